// The bzip2 functions that build/nexrad.wasm exports to the TypeScript side
// (core/bzip2.ts). AssemblyScript callers use ./decoder directly.
//
// One call sequence: bzip2Decompress, then on success copy
// bzip2OutputLength() bytes from bzip2OutputPointer(), then
// bzip2ReleaseOutput(). The output stays in the decoder's own buffer, so
// the module never keeps two copies of it.

import { Bzip2Decoder } from "./decoder";
import { BZIP2_OK } from "./status";

/** Output storage kept between calls; anything larger is freed. */
const KEPT_OUTPUT_BYTES = 16 << 20;

let decoder: Bzip2Decoder | null = null;

function sharedDecoder(): Bzip2Decoder {
  if (decoder == null) decoder = new Bzip2Decoder();
  return decoder!;
}

/**
 * Decompresses the bzip2 streams in `input` into at most `maxOutputBytes`
 * bytes. Returns a status code (see ./status); the bzip2Last* functions
 * describe a failure.
 */
export function bzip2Decompress(input: ArrayBuffer, maxOutputBytes: i32): i32 {
  return sharedDecoder().decompress(
    changetype<usize>(input),
    input.byteLength,
    maxOutputBytes,
  );
}

/** Address of the output of the last successful bzip2Decompress call. */
export function bzip2OutputPointer(): usize {
  return sharedDecoder().outputPointer();
}

/** Length of that output; 0 after a failure. */
export function bzip2OutputLength(): i32 {
  return sharedDecoder().outputLength();
}

/** Frees the output storage if it grew beyond what is kept between calls. */
export function bzip2ReleaseOutput(): void {
  sharedDecoder().releaseOutput(KEPT_OUTPUT_BYTES);
}

/** Input byte offset where the last bzip2Decompress call failed. */
export function bzip2LastErrorOffset(): i32 {
  return sharedDecoder().errorOffset;
}

/** Stored CRC after a CRC mismatch of the last bzip2Decompress call. */
export function bzip2LastExpectedCrc(): u32 {
  return sharedDecoder().expectedCrc;
}

/** Computed CRC after a CRC mismatch of the last bzip2Decompress call. */
export function bzip2LastComputedCrc(): u32 {
  return sharedDecoder().computedCrc;
}

/**
 * Output bytes of the last bzip2Decompress call that come from blocks
 * whose CRC matched; after a failure they are still at bzip2OutputPointer.
 */
export function bzip2LastVerifiedLength(): i32 {
  return sharedDecoder().verifiedLength;
}
