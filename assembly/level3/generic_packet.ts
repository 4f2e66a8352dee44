// Generic data packet, packet code 28 (ICD 2620001, "Generic Data Packet",
// and the XDR product structures it refers to). The packet is
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
// as an XDR array of int. A text component (type 4) is a parameter list
// and a string. The first radial component is decoded, later radial and
// text components are stepped over, and any other type (area, table,
// grid, event) ends the walk of the component list.

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
const COMPONENT_TEXT = 4;

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
  readComponents(cursor, result);
  if (cursor.failed) result.warn(WARN_TRUNCATED_PACKET, cursor.position, code);
  return xdrEnd;
}

/**
 * Walks the component list: the first radial component is decoded, later
 * ones and text components are stepped over. Any other component type
 * ends the walk, because its length is not known here.
 */
function readComponents(cursor: XdrCursor, result: Result): void {
  const code = PACKET_GENERIC;
  const count = cursor.int();
  cursor.int(); // pointer word
  let radials = 0;
  for (let i = 0; i < count && !cursor.failed; i++) {
    const type = cursor.int();
    if (type == COMPONENT_RADIAL) {
      const start = cursor.position;
      if (radials == 0) {
        if (!readRadialComponent(cursor, result)) return;
      } else if (scanRadialComponent(cursor) < 0) {
        result.warn(WARN_BAD_DIMENSIONS, start, code);
        return;
      }
      radials++;
    } else if (type == COMPONENT_TEXT) {
      cursor.skipParameters();
      cursor.skipString();
    } else {
      break;
    }
    if (i < count - 1) cursor.int(); // pointer word
  }
  if (radials == 0 && !cursor.failed) {
    result.warn(WARN_GENERIC_NOT_RADIAL, cursor.position, code);
  }
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

/** The fields of a radial component before its radials. */
class RadialComponentHeader {
  gateWidthM: f32 = 0;
  firstGateM: f32 = 0;
  radialCount: i32 = 0;
}

/**
 * Reads a radial component header and steps over its radials. Returns
 * the bin count of the longest radial, or -1 when a count is impossible
 * or the data end first. The cursor is then at the end of the component.
 */
function scanRadialComponent(
  cursor: XdrCursor,
  header: RadialComponentHeader = new RadialComponentHeader(),
): i32 {
  cursor.skipString(); // description
  header.gateWidthM = cursor.float();
  header.firstGateM = cursor.float();
  cursor.skipParameters();
  const radialCount = cursor.int();
  header.radialCount = radialCount;
  // Every radial takes at least 24 bytes (five words and an empty array).
  if (
    cursor.failed || radialCount <= 0 || radialCount > MAX_RADIALS ||
    radialCount > (cursor.end - cursor.position) / 24
  ) {
    return -1;
  }
  let binCount = 0;
  for (let radial = 0; radial < radialCount && !cursor.failed; radial++) {
    for (let i = 0; i < 4; i++) cursor.int();
    cursor.skipString();
    const bins = cursor.int();
    if (bins < 0 || bins > (cursor.end - cursor.position) / 4) return -1;
    binCount = max(binCount, bins);
    cursor.position += bins * 4;
  }
  return cursor.failed || binCount == 0 || binCount > MAX_BINS ? -1 : binCount;
}

/** Decodes a radial component; returns false when it is invalid. */
function readRadialComponent(cursor: XdrCursor, result: Result): bool {
  const code = PACKET_GENERIC;
  const componentStart = cursor.position;
  const header = new RadialComponentHeader();
  const binCount = scanRadialComponent(cursor, header);
  if (binCount < 0) {
    result.warn(WARN_BAD_DIMENSIONS, componentStart, code);
    return false;
  }
  const componentEnd = cursor.position;
  const radialCount = header.radialCount;

  result.set(SLOT_DATA_KIND, DATA_RADIAL);
  result.set(SLOT_DATA_PACKET, code);
  result.set(SLOT_RADIAL_COUNT, radialCount);
  result.set(SLOT_BIN_COUNT, binCount);
  result.set(SLOT_GATE_WIDTH_M_BITS, reinterpret<i32>(header.gateWidthM));
  result.set(SLOT_FIRST_GATE_M_BITS, reinterpret<i32>(header.firstGateM));
  result.azimuthsDeg = new Float32Array(radialCount);
  result.spacingsDeg = new Float32Array(radialCount);
  result.binCounts = new Uint16Array(radialCount);
  result.codes16 = new Uint16Array(radialCount * binCount);

  // Second pass over the same bytes; the scan checked their bounds.
  cursor.position = componentStart;
  cursor.skipString();
  cursor.int();
  cursor.int();
  cursor.skipParameters();
  cursor.int();
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
  cursor.position = componentEnd;
  result.set(SLOT_CLAMPED_CODES, clamped);
  if (clamped > 0) result.warn(WARN_CLAMPED_CODES, componentStart, code);
  return true;
}
