// Product symbology block (ICD 2620001, Figure 3-6 sheet 8):
//
//   byte  0  divider, -1        2  block ID, 1
//         4  block length, bytes, header included (int32)
//         8  number of layers
//        10  layers, each:  divider -1, layer length in bytes (int32),
//            then display data packets
//
// The walk decodes the first data packet (radial, raster, precipitation
// array or generic radial) and skips the others. Graphic packets carry
// their length after the code and are stepped over. A packet code this
// walk does not know ends its layer with a warning, because its length
// cannot be found.

import {
  SLOT_LAYER_COUNT,
  WARN_BAD_SYMBOLOGY,
  WARN_EXTRA_DATA_PACKET,
  WARN_TRUNCATED_PACKET,
  WARN_UNKNOWN_PACKET,
} from "./layout";
import { PACKET_GENERIC, readGenericPacket } from "./generic_packet";
import {
  PACKET_DIGITAL_RADIAL,
  PACKET_RLE_RADIAL,
  readRadialPacket,
} from "./radial_packet";
import {
  PACKET_PRECIPITATION_ARRAY,
  PACKET_RASTER_BA07,
  PACKET_RASTER_BA0F,
  readPrecipitationArray,
  readRasterPacket,
} from "./raster_packet";
import { Reader } from "./reader";
import { Result } from "./result";

const BLOCK_HEADER_BYTES = 10;
const LAYER_HEADER_BYTES = 6;
/** Packet 18, the precipitation rate array: rows like packet 17, no length. */
const PACKET_PRECIPITATION_RATE = 18;
/** Contour colour (0x0802): code, 0x0002, colour level. */
const PACKET_CONTOUR_COLOUR = 0x0802;
/** Linked contour vectors (0x0E03): code, 0x8000, I, J, vector bytes. */
const PACKET_LINKED_CONTOUR = 0x0e03;
/** Unlinked contour vectors (0x3501): code, vector bytes. */
const PACKET_UNLINKED_CONTOUR = 0x3501;
/** SCIT past and forecast data: packets nested inside a length. */
const PACKET_SCIT_PAST = 23;
const PACKET_SCIT_FORECAST = 24;
/** More layers than any product has; a corrupt count stops here. */
const MAX_LAYERS = 256;

/** Walks the symbology block at `start`, filling `result`. */
export function readSymbologyBlock(
  reader: Reader,
  start: i32,
  result: Result,
): void {
  if (
    !reader.has(start, BLOCK_HEADER_BYTES) ||
    reader.i16(start) != -1 || reader.i16(start + 2) != 1
  ) {
    result.warn(WARN_BAD_SYMBOLOGY, start, 0);
    return;
  }
  const blockLength = reader.i32(start + 4);
  let blockEnd = start + blockLength;
  if (blockLength < BLOCK_HEADER_BYTES || blockEnd > reader.length) {
    result.warn(WARN_TRUNCATED_PACKET, start, 0);
    blockEnd = reader.length;
  }
  const layerCount = min(reader.i16(start + 8), MAX_LAYERS);
  result.set(SLOT_LAYER_COUNT, layerCount);

  let position = start + BLOCK_HEADER_BYTES;
  for (let layer = 0; layer < layerCount; layer++) {
    if (position + LAYER_HEADER_BYTES > blockEnd) {
      result.warn(WARN_TRUNCATED_PACKET, position, 0);
      return;
    }
    if (reader.i16(position) != -1) {
      result.warn(WARN_BAD_SYMBOLOGY, position, 0);
      return;
    }
    const layerLength = reader.i32(position + 2);
    const first = position + LAYER_HEADER_BYTES;
    let layerEnd = first + layerLength;
    if (layerLength < 0 || layerEnd > blockEnd || layerEnd < first) {
      result.warn(WARN_TRUNCATED_PACKET, position, 0);
      layerEnd = blockEnd;
    }
    readLayer(reader, layer, first, layerEnd, result);
    position = layerEnd;
  }
}

function readLayer(
  reader: Reader,
  layer: i32,
  start: i32,
  end: i32,
  result: Result,
): void {
  let position = start;
  while (position >= 0 && position + 2 <= end) {
    const code = reader.u16(position);
    result.addPacket(layer, code);
    if (isDataPacket(code) && result.hasData()) {
      result.warn(WARN_EXTRA_DATA_PACKET, position, code);
      return;
    }
    const next = readPacket(reader, position, end, code, result);
    if (
      next > 0 && (code == PACKET_SCIT_PAST || code == PACKET_SCIT_FORECAST)
    ) {
      listNestedPackets(reader, layer, position + 4, next, result);
    }
    position = next;
  }
}

/**
 * Records the packets nested in a SCIT past or forecast packet (23, 24):
 * graphic packets only, stepped over one level deep.
 */
function listNestedPackets(
  reader: Reader,
  layer: i32,
  start: i32,
  end: i32,
  result: Result,
): void {
  let position = start;
  while (position >= 0 && position + 2 <= end) {
    const code = reader.u16(position);
    result.addPacket(layer, code);
    position = skipGraphicPacket(reader, position, end, code, result);
  }
}

function isDataPacket(code: u32): bool {
  return code == PACKET_DIGITAL_RADIAL || code == PACKET_RLE_RADIAL ||
    code == PACKET_RASTER_BA07 || code == PACKET_RASTER_BA0F ||
    code == PACKET_PRECIPITATION_ARRAY || code == PACKET_GENERIC;
}

/** Reads or skips one packet; returns the offset after it or -1. */
function readPacket(
  reader: Reader,
  position: i32,
  end: i32,
  code: u32,
  result: Result,
): i32 {
  if (code == PACKET_DIGITAL_RADIAL || code == PACKET_RLE_RADIAL) {
    return readRadialPacket(reader, position, end, code, result);
  }
  if (code == PACKET_RASTER_BA07 || code == PACKET_RASTER_BA0F) {
    return readRasterPacket(reader, position, end, code, result);
  }
  if (code == PACKET_PRECIPITATION_ARRAY) {
    return readPrecipitationArray(reader, position, end, result);
  }
  if (code == PACKET_GENERIC) {
    return readGenericPacket(reader, position, end, result);
  }
  if (code == PACKET_PRECIPITATION_RATE) return -1;
  return skipGraphicPacket(reader, position, end, code, result);
}

/** Steps over a packet that states its length; -1 when it cannot. */
function skipGraphicPacket(
  reader: Reader,
  position: i32,
  end: i32,
  code: u32,
  result: Result,
): i32 {
  let next = -1;
  if (code == PACKET_CONTOUR_COLOUR) {
    next = position + 6;
  } else if (code == PACKET_LINKED_CONTOUR && position + 10 <= end) {
    next = position + 10 + <i32> reader.u16(position + 8);
  } else if (
    (code >= 1 && code <= 15) || (code >= 19 && code <= 26) ||
    code == PACKET_UNLINKED_CONTOUR
  ) {
    // Packets 1-15, 19-26 and 0x3501 carry their length in bytes after
    // the code (packets 23 and 24 nest further packets inside it).
    if (position + 4 <= end) {
      next = position + 4 + <i32> reader.u16(position + 2);
    }
  } else {
    result.warn(WARN_UNKNOWN_PACKET, position, code);
    return -1;
  }
  if (next <= position || next > end) {
    result.warn(WARN_TRUNCATED_PACKET, position, code);
    return -1;
  }
  return next;
}
