// Raster data packets (ICD 2620001, "Raster Data Packet", packet codes
// 0xBA0F and 0xBA07) and the "Digital Precipitation Data Array Packet"
// (packet code 17). Rows are stored row-major, first row north.
//
// Raster (0xBA07, 0xBA0F):
//
//   byte  0  packet code       2  0x8000      4  0x00C0 (op flags)
//         6  I start (km/4)    8  J start (km/4)
//        10  X scale, integer 12  X scale, fraction
//        14  Y scale, integer 16  Y scale, fraction
//        18  number of rows   20  packing descriptor
//        22  rows: bytes in row (halfword), then run-length bytes,
//            high nibble run, low nibble colour level 0-15
//
// Digital Precipitation Array (17):
//
//   byte  0  packet code       2, 4  spare
//         6  LFM boxes per row 8  number of rows
//        10  rows: bytes in row (halfword), then (run, level) byte pairs

import {
  DATA_GRID,
  SLOT_BIN_COUNT,
  SLOT_DATA_KIND,
  SLOT_DATA_PACKET,
  SLOT_I_COORDINATE,
  SLOT_J_COORDINATE,
  SLOT_RADIAL_COUNT,
  SLOT_X_SCALE,
  SLOT_Y_SCALE,
  WARN_BAD_DIMENSIONS,
  WARN_EXTRA_BINS,
  WARN_TRUNCATED_PACKET,
} from "./layout";
import { Reader } from "./reader";
import { Result } from "./result";

export const PACKET_RASTER_BA0F = 0xba0f;
export const PACKET_RASTER_BA07 = 0xba07;
export const PACKET_PRECIPITATION_ARRAY = 17;

const RASTER_HEADER_BYTES = 22;
const PRECIPITATION_HEADER_BYTES = 10;
const MAX_ROWS = 4096;
const MAX_COLUMNS = 4096;

/** Reads a raster packet; returns the offset after it or -1. */
export function readRasterPacket(
  reader: Reader,
  offset: i32,
  end: i32,
  code: u32,
  result: Result,
): i32 {
  if (!reader.has(offset, RASTER_HEADER_BYTES)) {
    result.warn(WARN_TRUNCATED_PACKET, offset, code);
    return -1;
  }
  const rowCount = reader.i16(offset + 18);
  const first = offset + RASTER_HEADER_BYTES;
  if (rowCount <= 0 || rowCount > MAX_ROWS || rowCount * 2 > end - first) {
    result.warn(WARN_BAD_DIMENSIONS, offset, code);
    return -1;
  }

  // First pass: the widest row sets the column count.
  let columnCount = 0;
  let position = first;
  for (let row = 0; row < rowCount; row++) {
    if (position + 2 > end) return truncated(result, position, code);
    const bytes = reader.i16(position);
    if (bytes < 0 || position + 2 + bytes > end) {
      return truncated(result, position, code);
    }
    let columns = 0;
    for (let i = 0; i < bytes; i++) columns += reader.u8(position + 2 + i) >> 4;
    columnCount = max(columnCount, <i32> columns);
    position += 2 + bytes;
  }
  if (columnCount == 0 || columnCount > MAX_COLUMNS) {
    result.warn(WARN_BAD_DIMENSIONS, offset, code);
    return -1;
  }

  setGrid(result, code, rowCount, columnCount);
  result.set(SLOT_I_COORDINATE, reader.i16(offset + 6));
  result.set(SLOT_J_COORDINATE, reader.i16(offset + 8));
  result.set(SLOT_X_SCALE, reader.i16(offset + 10));
  result.set(SLOT_Y_SCALE, reader.i16(offset + 14));

  position = first;
  for (let row = 0; row < rowCount; row++) {
    const bytes = reader.i16(position);
    const line = result.codes8.dataStart + <usize> (row * columnCount);
    let column = 0;
    for (let i = 0; i < bytes; i++) {
      const run = reader.u8(position + 2 + i);
      const stop = column + <i32> (run >> 4);
      const level = <u8> (run & 0x0f);
      for (let c = column; c < stop; c++) store<u8>(line + <usize> c, level);
      column = stop;
    }
    position += 2 + bytes;
  }
  return position;
}

/** Reads a Digital Precipitation Array packet; returns the offset after it or -1. */
export function readPrecipitationArray(
  reader: Reader,
  offset: i32,
  end: i32,
  result: Result,
): i32 {
  const code = PACKET_PRECIPITATION_ARRAY;
  if (!reader.has(offset, PRECIPITATION_HEADER_BYTES)) {
    result.warn(WARN_TRUNCATED_PACKET, offset, code);
    return -1;
  }
  const columnCount = reader.i16(offset + 6);
  const rowCount = reader.i16(offset + 8);
  const first = offset + PRECIPITATION_HEADER_BYTES;
  if (
    columnCount <= 0 || columnCount > MAX_COLUMNS ||
    rowCount <= 0 || rowCount > MAX_ROWS || rowCount * 2 > end - first
  ) {
    result.warn(WARN_BAD_DIMENSIONS, offset, code);
    return -1;
  }

  setGrid(result, code, rowCount, columnCount);
  let position = first;
  let overflow = false;
  for (let row = 0; row < rowCount; row++) {
    if (position + 2 > end) return truncated(result, position, code);
    const bytes = reader.i16(position);
    if (bytes < 0 || position + 2 + bytes > end) {
      return truncated(result, position, code);
    }
    const line = result.codes8.dataStart + <usize> (row * columnCount);
    let column = 0;
    for (let i = 0; i + 1 < bytes; i += 2) {
      const run = <i32> reader.u8(position + 2 + i);
      const level = <u8> reader.u8(position + 3 + i);
      if (column + run > columnCount) overflow = true;
      const stop = min(column + run, columnCount);
      for (let c = column; c < stop; c++) store<u8>(line + <usize> c, level);
      column = stop;
    }
    position += 2 + bytes;
  }
  if (overflow) result.warn(WARN_EXTRA_BINS, offset, code);
  return position;
}

function setGrid(result: Result, code: u32, rows: i32, columns: i32): void {
  result.set(SLOT_DATA_KIND, DATA_GRID);
  result.set(SLOT_DATA_PACKET, code);
  result.set(SLOT_RADIAL_COUNT, rows);
  result.set(SLOT_BIN_COUNT, columns);
  result.codes8 = new Uint8Array(rows * columns);
}

function truncated(result: Result, position: i32, code: u32): i32 {
  result.warn(WARN_TRUNCATED_PACKET, position, code);
  return -1;
}
