// Message header block and product description block of a Level 3 product
// (ICD 2620001, section 3.3.1: Figure 3-3 message header, Figure 3-6
// sheets 1-7 product description). Halfwords are numbered from 1 at the
// message start, as in the ICD; all fields are big-endian.
//
// Message header (halfwords 1-9, 18 bytes):
//
//   byte  0  message code (product code)      int16
//         2  date of message, Julian (1/1/1970 = day 1)
//         4  time of message, seconds after midnight UTC   int32
//         8  length of message, bytes                      uint32
//        12  source ID   14 destination ID   16 number of blocks
//
// Product description block (halfwords 10-60, 102 bytes):
//
//   byte 18  divider, -1
//        20  latitude, deg x 1000      int32   24 longitude, deg x 1000
//        28  height, ft MSL            30 product code
//        32  operational mode          34 volume coverage pattern
//        36  sequence number           38 volume scan number
//        40  volume scan date          42 volume scan start time, s (int32)
//        46  generation date           48 generation time, s (int32)
//        52  halfwords 27-28, product dependent
//        56  elevation number (halfword 29)
//        58  halfword 30, product dependent (often elevation angle x 10)
//        60  halfwords 31-46, data level thresholds
//        92  halfwords 47-53, product dependent (51: compression method,
//            52-53: uncompressed size, for the digital products)
//       106  version (byte)            107 spot blank (byte)
//       108  offset to symbology, halfwords (uint32)
//       112  offset to graphic        116 offset to tabular
//   byte 120  end of the block

import { Reader } from "./reader";
import { Result } from "./result";
import {
  SLOT_BLOCK_COUNT,
  SLOT_DESTINATION_ID,
  SLOT_ELEVATION_NUMBER,
  SLOT_GENERATION_DATE,
  SLOT_GENERATION_TIME,
  SLOT_GRAPHIC_OFFSET,
  SLOT_HEIGHT_FT,
  SLOT_LATITUDE,
  SLOT_LONGITUDE,
  SLOT_MESSAGE_CODE,
  SLOT_MESSAGE_DATE,
  SLOT_MESSAGE_LENGTH,
  SLOT_MESSAGE_TIME,
  SLOT_OPERATIONAL_MODE,
  SLOT_PRODUCT_CODE,
  SLOT_SEQUENCE_NUMBER,
  SLOT_SOURCE_ID,
  SLOT_SPOT_BLANK,
  SLOT_SYMBOLOGY_OFFSET,
  SLOT_TABULAR_OFFSET,
  SLOT_VCP,
  SLOT_VERSION,
  SLOT_VOLUME_DATE,
  SLOT_VOLUME_SCAN_NUMBER,
  SLOT_VOLUME_TIME,
} from "./layout";

export const MESSAGE_HEADER_BYTES = 18;
/** Message header plus product description block. */
export const DESCRIPTION_END = 120;

/** Byte offset of halfword `n` (1-based, from the message start). */
function halfword(n: i32): i32 {
  return (n - 1) * 2;
}

/** Reads the message header; the caller checks 18 bytes are present. */
export function readMessageHeader(reader: Reader, result: Result): void {
  result.set(SLOT_MESSAGE_CODE, reader.i16(0));
  result.set(SLOT_MESSAGE_DATE, reader.u16(2));
  result.set(SLOT_MESSAGE_TIME, reader.i32(4));
  result.set(SLOT_MESSAGE_LENGTH, reader.i32(8));
  result.set(SLOT_SOURCE_ID, reader.i16(12));
  result.set(SLOT_DESTINATION_ID, reader.i16(14));
  result.set(SLOT_BLOCK_COUNT, reader.i16(16));
}

/** Returns true when the product description block starts with divider -1. */
export function hasDescriptionDivider(reader: Reader): bool {
  return reader.i16(halfword(10)) == -1;
}

/** Reads halfwords 10-60; the caller checks 120 bytes are present. */
export function readProductDescription(reader: Reader, result: Result): void {
  result.set(SLOT_LATITUDE, reader.i32(halfword(11)));
  result.set(SLOT_LONGITUDE, reader.i32(halfword(13)));
  result.set(SLOT_HEIGHT_FT, reader.i16(halfword(15)));
  result.set(SLOT_PRODUCT_CODE, reader.i16(halfword(16)));
  result.set(SLOT_OPERATIONAL_MODE, reader.i16(halfword(17)));
  result.set(SLOT_VCP, reader.i16(halfword(18)));
  result.set(SLOT_SEQUENCE_NUMBER, reader.i16(halfword(19)));
  result.set(SLOT_VOLUME_SCAN_NUMBER, reader.i16(halfword(20)));
  result.set(SLOT_VOLUME_DATE, reader.u16(halfword(21)));
  result.set(SLOT_VOLUME_TIME, reader.i32(halfword(22)));
  result.set(SLOT_GENERATION_DATE, reader.u16(halfword(24)));
  result.set(SLOT_GENERATION_TIME, reader.i32(halfword(25)));
  result.set(SLOT_ELEVATION_NUMBER, reader.i16(halfword(29)));
  result.set(SLOT_VERSION, reader.u8(halfword(54)));
  result.set(SLOT_SPOT_BLANK, reader.u8(halfword(54) + 1));
  result.set(SLOT_SYMBOLOGY_OFFSET, reader.i32(halfword(55)));
  result.set(SLOT_GRAPHIC_OFFSET, reader.i32(halfword(57)));
  result.set(SLOT_TABULAR_OFFSET, reader.i32(halfword(59)));

  for (let i = 0; i < 16; i++) {
    result.thresholds[i] = <u16> reader.u16(halfword(31 + i));
  }
  result.dependent[0] = <u16> reader.u16(halfword(27));
  result.dependent[1] = <u16> reader.u16(halfword(28));
  result.dependent[2] = <u16> reader.u16(halfword(30));
  for (let i = 0; i < 7; i++) {
    result.dependent[3 + i] = <u16> reader.u16(halfword(47 + i));
  }
}

/** Halfword 51, the compression method of the digital products. */
export function compressionMethod(reader: Reader): u32 {
  return reader.u16(halfword(51));
}
