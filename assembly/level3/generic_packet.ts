// Generic data packet, packet code 28 (ICD 2620001, Figure 3-15c, and the
// XDR product structures of its appendix E). The packet is
//
//   byte  0  packet code (28)   2  reserved   4  bytes that follow (int32)
//         8  XDR-encoded product (RFC 4506: big-endian, 4-byte units;
//            a string is a uint32 length plus bytes padded to 4)
//
// The XDR product is: name, description (strings); code, type (int);
// generation time (uint); radar name (string); latitude, longitude,
// height (float); volume time, elevation time (uint); elevation angle
// (float); volume number, operational mode, VCP, elevation number,
// compression, uncompressed size (int; the ICD lists four of them as
// int*2, but the encoded products carry int*4); then a parameter list and
// a component list. A list is a count and a pointer word, then its items
// with a pointer word between consecutive items.
//
// A radial component (type 1) is: description (string); bin size and
// range to the first bin centre, metres (float); a parameter list; a
// radial count; then per radial azimuth, elevation, width (float), bin
// count (int; the ICD says float), attributes (string) and the bin codes
// as an XDR array of int. Other component types (area, text, table,
// grid) are not decoded: the packet is then reported without data.

import {
  DATA_RADIAL,
  SLOT_BIN_COUNT,
  SLOT_CLAMPED_CODES,
  SLOT_DATA_KIND,
  SLOT_DATA_PACKET,
  SLOT_FIRST_GATE_M_BITS,
  SLOT_GATE_WIDTH_M_BITS,
  SLOT_RADIAL_COUNT,
  WARN_BAD_DIMENSIONS,
  WARN_CLAMPED_CODES,
  WARN_GENERIC_NOT_RADIAL,
  WARN_TRUNCATED_PACKET,
} from "./layout";
import { MAX_BINS, MAX_RADIALS } from "./radial_packet";
import { Reader } from "./reader";
import { Result } from "./result";

export const PACKET_GENERIC = 28;
const COMPONENT_RADIAL = 1;

class XdrCursor {
  failed: bool = false;

  constructor(
    public reader: Reader,
    public position: i32,
    public end: i32,
  ) {}

  int(): i32 {
    if (this.failed || this.position + 4 > this.end) {
      this.failed = true;
      return 0;
    }
    const value = this.reader.i32(this.position);
    this.position += 4;
    return value;
  }

  float(): f32 {
    return reinterpret<f32>(this.int());
  }

  skipString(): void {
    const length = this.int();
    if (length < 0 || length > this.end - this.position) {
      this.failed = true;
      return;
    }
    this.position += (length + 3) & ~3;
  }

  /** Skips a parameter list: pairs of strings. */
  skipParameters(): void {
    const count = this.int();
    this.int(); // pointer word
    if (count < 0 || count > (this.end - this.position) / 8) {
      this.failed = true;
      return;
    }
    for (let i = 0; i < count && !this.failed; i++) {
      this.skipString();
      this.skipString();
      if (i < count - 1) this.int();
    }
  }
}

/** Reads a packet 28; returns the offset after it or -1. */
export function readGenericPacket(
  reader: Reader,
  offset: i32,
  end: i32,
  result: Result,
): i32 {
  const code = PACKET_GENERIC;
  if (!reader.has(offset, 8)) {
    result.warn(WARN_TRUNCATED_PACKET, offset, code);
    return -1;
  }
  const length = reader.i32(offset + 4);
  const xdrEnd = offset + 8 + length;
  if (length < 0 || xdrEnd > end || xdrEnd < offset) {
    result.warn(WARN_TRUNCATED_PACKET, offset, code);
    return -1;
  }

  const cursor = new XdrCursor(reader, offset + 8, xdrEnd);
  skipProductHeader(cursor);
  const componentCount = cursor.int();
  cursor.int(); // pointer word
  const componentType = componentCount > 0 ? cursor.int() : 0;
  if (cursor.failed) {
    result.warn(WARN_TRUNCATED_PACKET, cursor.position, code);
    return xdrEnd;
  }
  if (componentType != COMPONENT_RADIAL) {
    result.warn(WARN_GENERIC_NOT_RADIAL, cursor.position, code);
    return xdrEnd;
  }
  readRadialComponent(cursor, result);
  return xdrEnd;
}

function skipProductHeader(cursor: XdrCursor): void {
  cursor.skipString(); // name
  cursor.skipString(); // description
  cursor.int(); // product code
  cursor.int(); // product type
  cursor.int(); // generation time
  cursor.skipString(); // radar name
  for (let i = 0; i < 3; i++) cursor.int(); // latitude, longitude, height
  for (let i = 0; i < 2; i++) cursor.int(); // volume and elevation time
  cursor.int(); // elevation angle
  for (let i = 0; i < 6; i++) cursor.int(); // volume number ... size
  cursor.skipParameters();
}

function readRadialComponent(cursor: XdrCursor, result: Result): void {
  const code = PACKET_GENERIC;
  const componentStart = cursor.position;
  cursor.skipString(); // description
  const gateWidthM = cursor.float();
  const firstGateM = cursor.float();
  cursor.skipParameters();
  const radialCount = cursor.int();
  if (cursor.failed) {
    result.warn(WARN_TRUNCATED_PACKET, cursor.position, code);
    return;
  }
  // Every radial takes at least 24 bytes (five words and an empty array).
  if (
    radialCount <= 0 || radialCount > MAX_RADIALS ||
    radialCount > (cursor.end - cursor.position) / 24
  ) {
    result.warn(WARN_BAD_DIMENSIONS, componentStart, code);
    return;
  }

  // First pass: the longest radial sets the bin count.
  const radialsStart = cursor.position;
  let binCount = 0;
  for (let radial = 0; radial < radialCount && !cursor.failed; radial++) {
    for (let i = 0; i < 4; i++) cursor.int();
    cursor.skipString();
    const bins = cursor.int();
    if (bins < 0 || bins > (cursor.end - cursor.position) / 4) {
      cursor.failed = true;
      break;
    }
    binCount = max(binCount, bins);
    cursor.position += bins * 4;
  }
  if (cursor.failed) {
    result.warn(WARN_TRUNCATED_PACKET, cursor.position, code);
    return;
  }
  if (binCount == 0 || binCount > MAX_BINS) {
    result.warn(WARN_BAD_DIMENSIONS, componentStart, code);
    return;
  }

  result.set(SLOT_DATA_KIND, DATA_RADIAL);
  result.set(SLOT_DATA_PACKET, code);
  result.set(SLOT_RADIAL_COUNT, radialCount);
  result.set(SLOT_BIN_COUNT, binCount);
  result.set(SLOT_GATE_WIDTH_M_BITS, reinterpret<i32>(gateWidthM));
  result.set(SLOT_FIRST_GATE_M_BITS, reinterpret<i32>(firstGateM));
  result.azimuthsDeg = new Float32Array(radialCount);
  result.spacingsDeg = new Float32Array(radialCount);
  result.binCounts = new Uint16Array(radialCount);
  result.codes16 = new Uint16Array(radialCount * binCount);

  // Second pass: the bounds were checked by the first.
  cursor.position = radialsStart;
  const reader = cursor.reader;
  let clamped = 0;
  for (let radial = 0; radial < radialCount; radial++) {
    result.azimuthsDeg[radial] = cursor.float();
    cursor.int(); // elevation
    result.spacingsDeg[radial] = cursor.float();
    cursor.int(); // bin count as a float word in the ICD, an int here
    cursor.skipString();
    const bins = cursor.int();
    result.binCounts[radial] = <u16> bins;
    const row = radial * binCount;
    for (let bin = 0; bin < bins; bin++) {
      const value = reader.i32(cursor.position + bin * 4);
      if (value < 0 || value > 0xffff) clamped++;
      result.codes16[row + bin] = <u16> (value < 0 ? 0 : min(value, 0xffff));
    }
    cursor.position += bins * 4;
  }
  result.set(SLOT_CLAMPED_CODES, clamped);
  if (clamped > 0) result.warn(WARN_CLAMPED_CODES, componentStart, code);
}
