// Radial data packets (ICD 2620001, Figure 3-10 "Radial Data Packet - Packet
// Code AF1F" and Figure 3-11c "Digital Radial Data Array Packet - Packet
// Code 16"). Both share the packet header:
//
//   byte  0  packet code (0xAF1F or 0x0010)
//         2  index of first range bin
//         4  number of range bins
//         6  I coordinate of the sweep centre   8  J coordinate
//        10  range scale factor x 1000 (km per bin)
//        12  number of radials
//        14  first radial
//
// and each radial starts with
//
//   byte  0  count: RLE halfwords (0xAF1F) or data bytes (16)
//         2  radial start angle, degrees x 10
//         4  radial angle delta, degrees x 10
//         6  data
//
// Packet 16 data are one byte per bin, padded to a halfword. Packet 0xAF1F
// data are run-length bytes: high nibble run length, low nibble colour
// level 0-15.

import {
  DATA_RADIAL,
  SLOT_BIN_COUNT,
  SLOT_DATA_KIND,
  SLOT_DATA_PACKET,
  SLOT_FIRST_BIN,
  SLOT_I_COORDINATE,
  SLOT_J_COORDINATE,
  SLOT_RADIAL_COUNT,
  SLOT_RANGE_SCALE,
  WARN_BAD_DIMENSIONS,
  WARN_EXTRA_BINS,
  WARN_TRUNCATED_PACKET,
} from "./layout";
import { Reader } from "./reader";
import { Result } from "./result";

export const PACKET_DIGITAL_RADIAL = 0x0010;
export const PACKET_RLE_RADIAL = 0xaf1f;

const RADIAL_PACKET_HEADER_BYTES = 14;
const RADIAL_HEADER_BYTES = 6;
/** Limits well above any product (720 radials, 1840 bins) that keep a
 * corrupt header from allocating gigabytes. */
export const MAX_RADIALS = 3600;
export const MAX_BINS = 4096;

/**
 * Reads a packet 16 or 0xAF1F that starts at `offset`, returning the offset
 * after it, or -1 when the rest of the layer cannot be walked.
 */
export function readRadialPacket(
  reader: Reader,
  offset: i32,
  end: i32,
  code: u32,
  result: Result,
): i32 {
  if (!reader.has(offset, RADIAL_PACKET_HEADER_BYTES)) {
    result.warn(WARN_TRUNCATED_PACKET, offset, code);
    return -1;
  }
  const firstBin = reader.i16(offset + 2);
  const binCount = reader.i16(offset + 4);
  const radialCount = reader.i16(offset + 12);
  const dataStart = offset + RADIAL_PACKET_HEADER_BYTES;
  if (
    binCount <= 0 || binCount > MAX_BINS ||
    radialCount <= 0 || radialCount > MAX_RADIALS ||
    radialCount * RADIAL_HEADER_BYTES > end - dataStart
  ) {
    result.warn(WARN_BAD_DIMENSIONS, offset, code);
    return -1;
  }

  result.set(SLOT_DATA_KIND, DATA_RADIAL);
  result.set(SLOT_DATA_PACKET, code);
  result.set(SLOT_FIRST_BIN, firstBin);
  // Packet 16 pads each radial to whole halfwords, so an odd bin count
  // comes with one pad byte per radial. The array keeps that byte as a
  // last column, as the reference decoders do, and `binCounts` marks it
  // absent.
  const digital = code == PACKET_DIGITAL_RADIAL;
  const width = digital ? binCount + (binCount & 1) : binCount;
  result.set(SLOT_BIN_COUNT, width);
  result.set(SLOT_I_COORDINATE, reader.i16(offset + 6));
  result.set(SLOT_J_COORDINATE, reader.i16(offset + 8));
  result.set(SLOT_RANGE_SCALE, reader.i16(offset + 10));
  result.set(SLOT_RADIAL_COUNT, radialCount);
  result.azimuthsDeg = new Float32Array(radialCount);
  result.spacingsDeg = new Float32Array(radialCount);
  result.binCounts = new Uint16Array(radialCount);
  result.codes8 = new Uint8Array(radialCount * width);

  let position = dataStart;
  for (let radial = 0; radial < radialCount; radial++) {
    if (position + RADIAL_HEADER_BYTES > end) {
      result.warn(WARN_TRUNCATED_PACKET, position, code);
      result.keepRadials(radial, width);
      return -1;
    }
    const count = reader.i16(position);
    result.azimuthsDeg[radial] = <f32> reader.i16(position + 2) * 0.1;
    result.spacingsDeg[radial] = <f32> reader.i16(position + 4) * 0.1;
    const dataBytes = digital ? count : count * 2;
    const data = position + RADIAL_HEADER_BYTES;
    if (dataBytes < 0 || data + dataBytes > end) {
      result.warn(WARN_TRUNCATED_PACKET, position, code);
      result.keepRadials(radial, width);
      return -1;
    }
    const row = result.codes8.dataStart + <usize> (radial * width);
    const bins = digital
      ? copyBins(reader, data, dataBytes, row, width)
      : expandRuns(reader, data, dataBytes, row, width);
    if (bins < 0) result.warn(WARN_EXTRA_BINS, position, code);
    result.binCounts[radial] = <u16> min(bins < 0 ? width : bins, binCount);
    // Packet 16 pads an odd byte count to a whole halfword.
    position = data + dataBytes + (digital ? dataBytes & 1 : 0);
  }
  return position;
}

/** Copies one byte per bin; returns the bins stored, -1 if some were cut. */
function copyBins(
  reader: Reader,
  data: i32,
  byteCount: i32,
  row: usize,
  binCount: i32,
): i32 {
  const stored = min(byteCount, binCount);
  memory.copy(row, reader.base + <usize> data, <usize> stored);
  return byteCount > binCount ? -1 : stored;
}

/** Expands run-length bytes; returns the bins stored, -1 if some were cut. */
function expandRuns(
  reader: Reader,
  data: i32,
  byteCount: i32,
  row: usize,
  binCount: i32,
): i32 {
  let bin = 0;
  let overflow = false;
  for (let i = 0; i < byteCount; i++) {
    const run = reader.u8(data + i);
    const length = <i32> (run >> 4);
    const level = <u8> (run & 0x0f);
    const stop = min(bin + length, binCount);
    if (bin + length > binCount) overflow = true;
    for (let b = bin; b < stop; b++) store<u8>(row + <usize> b, level);
    bin = stop;
  }
  return overflow ? -1 : bin;
}
