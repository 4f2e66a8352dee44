// Helpers for tests of PNG data: the rows a PNG stores, and an IDAT chunk
// checked and inflated by node:zlib (block codes, Adler-32 and CRC-32).

import assert from "node:assert/strict";
import { crc32, inflateSync } from "node:zlib";

/** Returns the rows of an image as PNG stores them: filter type 0, then pixels. */
export function rowsOf(indices: Uint8Array, width: number): Uint8Array {
  const height = indices.length / width;
  const rows = new Uint8Array((width + 1) * height);
  for (let row = 0; row < height; row++) {
    rows.set(
      indices.subarray(row * width, (row + 1) * width),
      row * (width + 1) + 1,
    );
  }
  return rows;
}

/**
 * Checks an IDAT chunk's length, type and CRC, and returns its zlib stream
 * and the bytes that stream inflates to.
 */
export function inflateIdat(
  chunk: Uint8Array,
): { stream: Uint8Array; rows: Uint8Array } {
  const view = new DataView(chunk.buffer, chunk.byteOffset);
  const length = view.getUint32(0);
  assert.equal(chunk.length, 12 + length);
  assert.equal(new TextDecoder().decode(chunk.subarray(4, 8)), "IDAT");
  assert.equal(
    view.getUint32(8 + length),
    crc32(chunk.subarray(4, 8 + length)),
  );
  const stream = chunk.subarray(8, 8 + length);
  return { stream, rows: new Uint8Array(inflateSync(stream)) };
}
