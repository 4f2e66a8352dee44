/**
 * bzip2 decompression through the WebAssembly module, for callers on the
 * TypeScript side. Decoders inside the module call
 * `assembly/bzip2/decoder.ts` directly instead.
 *
 * @module
 */

import {
  BZIP2_BAD_BLOCK_DATA,
  BZIP2_BAD_BLOCK_HEADER,
  BZIP2_BAD_HUFFMAN,
  BZIP2_BAD_MAGIC,
  BZIP2_CRC_MISMATCH,
  BZIP2_OK,
  BZIP2_OUTPUT_LIMIT,
  BZIP2_STREAM_CRC_MISMATCH,
  BZIP2_TRUNCATED,
} from "../assembly/bzip2/status.ts";
import { DecodeError } from "./errors.ts";
import { copyIn, releaseBuffer, withWasm } from "./wasm/loader.ts";

/**
 * Default ceiling on the decompressed size: 256 MiB. The largest bzip2
 * inputs we expect are whole Archive II volumes compressed as one file.
 * The 55 LDM records of a 12-cut super-resolution volume decompress to
 * about 51 MB, so this leaves room for longer volume coverage patterns and
 * bounds what a decompression bomb can allocate.
 *
 * NOTE: WebAssembly memory never shrinks, so one input that reaches the
 * ceiling leaves the module instance that much larger until it is replaced.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Largest ceiling the module accepts: 1 GiB, the maximum size of one
 * AssemblyScript buffer, less a small margin the decoder needs.
 */
export const MAX_OUTPUT_BYTES_LIMIT = 2 ** 30 - 4096;

/** Options of {@linkcode decompressBzip2}. */
export interface DecompressBzip2Options {
  /** File name or object key of the input, for error messages. */
  source: string;
  /**
   * Ceiling on the decompressed size in bytes; larger output is an error.
   * @default {DEFAULT_MAX_OUTPUT_BYTES}
   */
  maxOutputBytes?: number;
}

interface Bzip2Exports {
  bzip2Decompress(input: number, maxOutputBytes: number): number;
  bzip2OutputPointer(): number;
  bzip2OutputLength(): number;
  bzip2ReleaseOutput(): void;
  bzip2LastErrorOffset(): number;
  bzip2LastExpectedCrc(): number;
  bzip2LastComputedCrc(): number;
}

/**
 * Decompresses one or more concatenated bzip2 streams.
 *
 * Every block CRC and stream CRC is checked; randomised blocks written by
 * bzip2 0.9.x are supported. Bytes after the last stream are an error.
 *
 * @param bytes The compressed bytes, starting with "BZh".
 * @param options Source name and output ceiling.
 * @returns The decompressed bytes.
 * @throws {DecodeError} The data is not bzip2, is corrupt or truncated, or
 * decompresses to more than `maxOutputBytes`. Its offset is where the
 * failing stream or block starts, or the input length for truncated input.
 * @throws {RangeError} `maxOutputBytes` is not an integer from 0 to
 * {@linkcode MAX_OUTPUT_BYTES_LIMIT}.
 *
 * @example Decompress an LDM record
 * ```ts ignore
 * const record = decompressBzip2(bytes, { source: "KLOT20220317_000842_V06" });
 * ```
 */
export function decompressBzip2(
  bytes: Uint8Array,
  options: DecompressBzip2Options,
): Uint8Array {
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (
    !Number.isInteger(maxOutputBytes) || maxOutputBytes < 0 ||
    maxOutputBytes > MAX_OUTPUT_BYTES_LIMIT
  ) {
    throw new RangeError(
      `Cannot decompress bzip2 data: maxOutputBytes must be an integer from 0 to ${MAX_OUTPUT_BYTES_LIMIT}, got ${maxOutputBytes}`,
    );
  }

  return withWasm((wasm) => {
    const exports = wasm as unknown as Bzip2Exports;
    const input = copyIn(wasm, bytes);
    try {
      const status = exports.bzip2Decompress(input, maxOutputBytes);
      // The output is read from the decoder's own buffer and copied once,
      // before any other call can grow or reuse the memory.
      const result = status === BZIP2_OK
        ? new Uint8Array(
          wasm.memory.buffer,
          exports.bzip2OutputPointer() >>> 0,
          exports.bzip2OutputLength(),
        ).slice()
        : describeFailure(exports, status, options.source, maxOutputBytes);
      exports.bzip2ReleaseOutput();
      if (result instanceof DecodeError) throw result;
      return result;
    } finally {
      releaseBuffer(wasm, input);
    }
  });
}

function describeFailure(
  exports: Bzip2Exports,
  status: number,
  source: string,
  maxOutputBytes: number,
): DecodeError {
  const offset = exports.bzip2LastErrorOffset();
  const expected = hex(exports.bzip2LastExpectedCrc());
  const computed = hex(exports.bzip2LastComputedCrc());
  const reasons: Record<number, string> = {
    [BZIP2_BAD_MAGIC]:
      'expected a stream header ("BZh" and a block size digit 1-9)',
    [BZIP2_BAD_BLOCK_HEADER]:
      "invalid block header, expected the block magic 0x314159265359 or the end-of-stream magic 0x177245385090 and valid block tables",
    [BZIP2_BAD_HUFFMAN]:
      "invalid Huffman code table or a code that matches no symbol",
    [BZIP2_BAD_BLOCK_DATA]:
      "invalid block data, the symbols overflow the block size or select no table",
    [BZIP2_CRC_MISMATCH]:
      `block CRC mismatch, expected ${expected}, computed ${computed}`,
    [BZIP2_STREAM_CRC_MISMATCH]:
      `stream CRC mismatch, expected ${expected}, computed ${computed}`,
    [BZIP2_TRUNCATED]:
      "input is truncated, expected more blocks or the end-of-stream marker",
    [BZIP2_OUTPUT_LIMIT]:
      `output exceeds the limit of ${maxOutputBytes} bytes (maxOutputBytes)`,
  };
  const reason = reasons[status] ?? `unknown status ${status}`;
  return new DecodeError(`Cannot decompress bzip2 data: ${reason}`, {
    source,
    offset,
  });
}

function hex(value: number): string {
  return "0x" + (value >>> 0).toString(16).padStart(8, "0");
}
