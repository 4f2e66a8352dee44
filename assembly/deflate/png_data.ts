// The IDAT chunk of a PNG, made where the image already is. Its rows get
// filter type 0 (none), or type 2 (up), and go through the run-length zlib
// writer. The chunk then gets its length, type and CRC-32 (PNG
// specification, sections 5.3 and 9).

import { ZlibWriter } from "./zlib_writer";

/**
 * CRC-32 of the reflected polynomial 0xEDB88320: table k (256 entries from
 * k * 256) gives the CRC of a byte value followed by k zero bytes, so that
 * eight bytes at a time take eight independent lookups ("slicing by 8").
 */
const CRC_TABLES = crcTables();

function crcTables(): StaticArray<u32> {
  const tables = new StaticArray<u32>(8 * 256);
  for (let byte: u32 = 0; byte < 256; byte++) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = (crc & 1) != 0 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
    }
    tables[byte] = crc;
  }
  for (let at = 256; at < 8 * 256; at++) {
    const previous = tables[at - 256];
    tables[at] = (previous >>> 8) ^ tables[previous & 0xff];
  }
  return tables;
}

function crcLookup(tables: usize, table: u32, byte: u32): u32 {
  return load<u32>(tables + (<usize> ((table << 8) | (byte & 0xff)) << 2));
}

function crc32(data: usize, length: i32): u32 {
  const tables = changetype<usize>(CRC_TABLES);
  let crc: u32 = 0xffffffff;
  let at = 0;
  for (; at + 8 <= length; at += 8) {
    // Little-endian words: the first byte is the lowest.
    const low = load<u32>(data + at) ^ crc;
    const high = load<u32>(data + at + 4);
    crc = crcLookup(tables, 7, low) ^ crcLookup(tables, 6, low >>> 8) ^
      crcLookup(tables, 5, low >>> 16) ^ crcLookup(tables, 4, low >>> 24) ^
      crcLookup(tables, 3, high) ^ crcLookup(tables, 2, high >>> 8) ^
      crcLookup(tables, 1, high >>> 16) ^ crcLookup(tables, 0, high >>> 24);
  }
  for (; at < length; at++) {
    crc = crcLookup(tables, 0, crc ^ <u32> load<u8>(data + at)) ^ (crc >>> 8);
  }
  return crc ^ 0xffffffff;
}

// Made when the module starts, so it lies below the memory that images use.
// Made by the first image instead, it split the memory that image freed.
const writer = new ZlibWriter();

/**
 * Returns the IDAT chunk of `rows`: image rows that each begin with their
 * PNG filter type byte, compressed as they are.
 */
export function pngIdatChunkOfRows(rows: ArrayBuffer): ArrayBuffer {
  return idatChunk(changetype<usize>(rows), rows.byteLength);
}

/**
 * Returns the IDAT chunk of an image of `width` bytes a row, or null when
 * `width` does not divide the image. Rows get filter type 0 (none), or
 * with `upFilter` type 2 (up) after the first: each byte less the one
 * above it, which turns repeated rows into zeros.
 */
export function pngIdatChunk(
  image: ArrayBuffer,
  width: i32,
  upFilter: bool,
): ArrayBuffer | null {
  const size = image.byteLength;
  if (width <= 0 || size % width != 0) return null;
  const height = size / width;
  const rowBytes = width + 1;
  const rows = heap.alloc(<usize> rowBytes * height);
  const pixels = changetype<usize>(image);
  for (let row = 0; row < height; row++) {
    const at = rows + <usize> row * rowBytes;
    const line = pixels + <usize> row * width;
    if (!upFilter || row == 0) {
      store<u8>(at, 0);
      memory.copy(at + 1, line, width);
      continue;
    }
    store<u8>(at, 2);
    for (let i = 0; i < width; i++) {
      const above = load<u8>(line - <usize> width + i);
      store<u8>(at + 1 + i, load<u8>(line + i) - above);
    }
  }
  const chunk = idatChunk(rows, rowBytes * height);
  heap.free(rows);
  return chunk;
}

/** Returns the IDAT chunk of `size` bytes of filtered rows at `rows`. */
function idatChunk(rows: usize, size: i32): ArrayBuffer {
  const zlib = writer;
  zlib.compress(rows, size);

  const length = zlib.length();
  const chunk = new ArrayBuffer(12 + length);
  const base = changetype<usize>(chunk);
  store<u32>(base, bswap<u32>(<u32> length));
  // "IDAT", stored little-endian.
  store<u32>(base + 4, 0x54414449);
  memory.copy(base + 8, zlib.pointer(), length);
  store<u32>(base + 8 + length, bswap<u32>(crc32(base + 4, 4 + length)));
  // Freed, not kept for the next image, because a kept buffer splits the
  // memory this image frees and the next image as large must grow memory.
  zlib.release();
  return chunk;
}
