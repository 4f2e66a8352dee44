// The bzip2 functions that build/nexrad.wasm exports to the TypeScript side
// (core/bzip2.ts). AssemblyScript callers use ./decoder directly.

import { Bzip2Decoder } from "./decoder";
import { BZIP2_OK } from "./status";

/** Output storage kept between calls; anything larger is freed. */
const KEPT_OUTPUT_BYTES = 16 << 20;

let decoder: Bzip2Decoder | null = null;

/**
 * Decompresses the bzip2 streams in `input` into at most `maxOutputBytes`
 * bytes. Returns the output, or null on failure: then the bzip2Last*
 * functions describe the error.
 */
export function bzip2Decompress(
  input: ArrayBuffer,
  maxOutputBytes: i32,
): ArrayBuffer | null {
  if (decoder == null) decoder = new Bzip2Decoder();
  const bzip2 = decoder!;
  const status = bzip2.decompress(
    changetype<usize>(input),
    input.byteLength,
    maxOutputBytes,
  );
  let result: ArrayBuffer | null = null;
  if (status == BZIP2_OK) {
    const length = bzip2.outputLength();
    const copy = changetype<ArrayBuffer>(__new(length, idof<ArrayBuffer>()));
    memory.copy(changetype<usize>(copy), bzip2.outputPointer(), length);
    result = copy;
  }
  bzip2.releaseOutput(KEPT_OUTPUT_BYTES);
  return result;
}

/** Status code of the last bzip2Decompress call (see ./status). */
export function bzip2LastStatus(): i32 {
  return decoder == null ? BZIP2_OK : decoder!.status;
}

/** Input byte offset where the last bzip2Decompress call failed. */
export function bzip2LastErrorOffset(): i32 {
  return decoder == null ? 0 : decoder!.errorOffset;
}

/** Stored CRC after a CRC mismatch of the last bzip2Decompress call. */
export function bzip2LastExpectedCrc(): u32 {
  return decoder == null ? 0 : decoder!.expectedCrc;
}

/** Computed CRC after a CRC mismatch of the last bzip2Decompress call. */
export function bzip2LastComputedCrc(): u32 {
  return decoder == null ? 0 : decoder!.computedCrc;
}

/**
 * Output bytes of the last bzip2Decompress call that come from blocks
 * whose CRC matched; the output itself is not returned after a failure.
 */
export function bzip2LastVerifiedLength(): i32 {
  return decoder == null ? 0 : decoder!.verifiedLength;
}
