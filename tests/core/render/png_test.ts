// The IDAT chunks the module writes are checked against zlib itself.
// node:zlib inflates each chunk's data, checking the block codes and the
// Adler-32 checksum, and its CRC-32 checks the chunk. For sizes, zlib
// compresses the same rows with its own run-length strategy (Z_RLE).

import assert from "node:assert/strict";
import { constants, crc32 as zlibCrc32, deflateSync } from "node:zlib";
import type { Rgba } from "../../../core/render/colour_table.ts";
import { inflateIdat, rowsOf } from "./_png_chunks.ts";
import { decode as decodePng } from "fast-png";
import {
  crc32,
  encodeIndexedPng,
  encodeRgbaRowsPng,
  idatChunk,
} from "../../../core/render/png.ts";

/** Deterministic numbers in [0, 1) from a linear congruential generator. */
function randomNumbers(): () => number {
  let state = 12345;
  return () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
}

function bytesFrom(length: number, byte: (random: () => number) => number) {
  const random = randomNumbers();
  return Uint8Array.from({ length }, () => byte(random));
}

/**
 * Checks the IDAT chunk of `indices` (one row unless `width` is given) and
 * returns its zlib stream.
 */
function assertRoundTrip(
  indices: Uint8Array,
  width = indices.length,
): Uint8Array {
  const { stream, rows } = inflateIdat(idatChunk(indices, width));
  assert.deepEqual(rows, rowsOf(indices, width));
  return stream;
}

function zlibRleSize(indices: Uint8Array, width: number): number {
  const rows = rowsOf(indices, width);
  return deflateSync(rows, { strategy: constants.Z_RLE }).length;
}

Deno.test("idatChunk() writes rows of 1 to 4 pixels", () => {
  for (const bytes of [[7], [7, 7], [7, 7, 7], [0, 0, 0, 0]]) {
    assertRoundTrip(Uint8Array.from(bytes));
  }
  // Five rows of three: each row starts with its filter byte.
  assertRoundTrip(Uint8Array.from({ length: 15 }, (_, i) => i % 4), 3);
  assertRoundTrip(new Uint8Array(15), 3);
});

Deno.test("idatChunk() rejects sides that do not fit the image", () => {
  const ten = new Uint8Array(10);
  for (const width of [3, 2.5, 0, -2, 2 ** 32 + 5, NaN, 20]) {
    assert.throws(() => idatChunk(ten, width), RangeError, `width ${width}`);
  }
  assert.throws(() => idatChunk(new Uint8Array(0), 1), RangeError);
  assert.throws(() => idatChunk(new Uint8Array(16385), 16385), RangeError);
});

Deno.test("encodeIndexedPng() rejects sides that are not whole pixels", () => {
  const colours: Rgba[] = [[0, 0, 0, 0]];
  for (const [width, height] of [[2.5, 4], [5, 0], [-2, -5]]) {
    const image = { width, height, indices: new Uint8Array(10), colours };
    assert.throws(
      () => encodeIndexedPng(image),
      /sides must be integers from 1 to 16384/,
      `${width} x ${height}`,
    );
  }
});

Deno.test("idatChunk() codes runs longer than one match", () => {
  // 0 repeated 1 MB, then 255: matches of 258 across many blocks, with
  // Adler-32 sums that need the per-block reduction.
  const bytes = new Uint8Array(5_000_000);
  bytes.fill(255, 1_000_000);
  const stream = assertRoundTrip(bytes, 5000);
  assert.ok(stream.length < 25_000, `${stream.length} bytes`);
});

Deno.test("idatChunk() stores bytes it cannot shorten", () => {
  const bytes = bytesFrom(300_000, (random) => random() * 256);
  const stream = assertRoundTrip(bytes, 1000);
  // Stored blocks of at most 16,384 bytes (one per block of literals) with
  // 5 bytes of header each, plus the zlib header and checksum. Each row of
  // 1,000 adds its filter byte.
  const rowBytes = bytes.length + bytes.length / 1000;
  const blocks = Math.ceil(rowBytes / 16_384);
  assert.ok(stream.length <= rowBytes + 5 * blocks + 6, `${stream.length}`);
});

Deno.test("idatChunk() limits codes to 15 bits", () => {
  // Byte k occurs F(k + 3) times (Fibonacci: 2, 3, 5, 8, ...). The row's
  // filter byte and the end of block add two symbols that occur once, so a
  // Huffman tree over these counts is 18 levels deep. The bytes are grouped
  // by value, most frequent first, and dealt to the even positions and then
  // the odd ones. No byte repeats the one before, so all 10,943 stay
  // literals, in one block.
  const grouped: number[] = [];
  let [a, b] = [2, 3];
  for (let k = 0; k < 17; k++) {
    grouped.unshift(...Array<number>(a).fill(k * 8 + 1));
    [a, b] = [b, a + b];
  }
  const bytes = new Uint8Array(grouped.length);
  const half = Math.ceil(grouped.length / 2);
  grouped.forEach((byte, i) => {
    bytes[i < half ? 2 * i : 2 * (i - half) + 1] = byte;
  });
  assert.ok(bytes.every((byte, i) => i === 0 || byte !== bytes[i - 1]));
  assertRoundTrip(bytes);
});

Deno.test("idatChunk() compresses as well as zlib's Z_RLE", () => {
  const inputs = {
    "runs of varied length": Uint8Array.from(
      { length: 2_000_000 },
      (_, i) => Math.floor(i / (1 + (i % 977))) % 7,
    ),
    "skewed literals": bytesFrom(500_000, (random) => {
      const r = random();
      return r < 0.5 ? 0 : Math.floor(-Math.log2(1 - r) * 8) % 256;
    }),
    "four symbols": bytesFrom(300_000, (random) => random() * 4),
  };
  for (const [name, bytes] of Object.entries(inputs)) {
    const size = assertRoundTrip(bytes, 1000).length;
    const reference = zlibRleSize(bytes, 1000);
    assert.ok(
      size <= reference * 1.01,
      `${name}: ${size} bytes, zlib ${reference}`,
    );
  }
});

Deno.test("crc32() matches zlib's CRC-32", () => {
  const bytes = bytesFrom(10_000, (random) => random() * 256);
  assert.equal(crc32(new Uint8Array(0)), 0);
  // The check value of the CRC-32 catalogue: "123456789".
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(bytes), zlibCrc32(bytes));
});

Deno.test("encodeRgbaRowsPng() stores the pixels of every row", () => {
  // Rows that differ, with byte differences that wrap around (0 - 255).
  const random = randomNumbers();
  const width = 7;
  const height = 5;
  const rgba = Uint8Array.from(
    { length: width * height * 4 },
    () => random() < 0.5 ? 0 : 255 * Math.floor(random() * 2),
  );
  const decoded = decodePng(encodeRgbaRowsPng(width, height, rgba));
  assert.equal(decoded.width, width);
  assert.equal(decoded.height, height);
  assert.equal(decoded.channels, 4);
  assert.deepEqual(new Uint8Array(decoded.data), rgba);
});

Deno.test("encodeRgbaRowsPng() keeps a bar of repeated rows small", () => {
  const width = 512;
  const row = Uint8Array.from({ length: width * 4 }, (_, i) => (i * 37) % 256);
  const rgba = new Uint8Array(width * 24 * 4);
  for (let y = 0; y < 24; y++) rgba.set(row, y * width * 4);
  const png = encodeRgbaRowsPng(width, 24, rgba);
  // One row of 2,049 bytes that runs do not shorten, then 23 rows that the
  // up filter makes zeros. Without it, all 24 rows stay as they are.
  assert.ok(png.length < 3_000, `${png.length} bytes`);
  assert.ok(idatChunk(rgba, width * 4).length > 24 * 2_049);
  assert.deepEqual(new Uint8Array(decodePng(png).data), rgba);
});
