// Entry point of the Level 3 decoder: one product message in (message
// header first, WMO and NOAAPORT framing already removed), one result
// buffer out, laid out as layout.ts describes. Problems in the data become
// a status or warnings in the result; nothing here aborts on bad input.

import {
  SLOT_COMPRESSED,
  SLOT_MESSAGE_CODE,
  SLOT_MESSAGE_LENGTH,
  SLOT_PRODUCT_CODE,
  SLOT_STATUS,
  SLOT_STATUS_OFFSET,
  SLOT_SYMBOLOGY_OFFSET,
  SLOT_UNCOMPRESSED_SIZE,
  STATUS_BAD_COMPRESSION,
  STATUS_BAD_DESCRIPTION,
  STATUS_GENERAL_STATUS,
  STATUS_NOT_A_PRODUCT,
  STATUS_TRUNCATED,
} from "./layout";
import {
  DESCRIPTION_END,
  hasDescriptionDivider,
  MESSAGE_HEADER_BYTES,
  readMessageHeader,
  readProductDescription,
} from "./product_description";
import { Bzip2Decoder } from "../bzip2/decoder";
import { BZIP2_OK } from "../bzip2/status";
import { Reader } from "./reader";
import { Result } from "./result";
import { readSymbologyBlock } from "./symbology_block";

/**
 * Ceiling of a decompressed symbology block. The largest products (DPR,
 * 360 radials of 920 32-bit codes) decompress to about 1.4 MB.
 */
const MAX_UNCOMPRESSED_BYTES = 32 << 20;
/** Decompressor storage kept between calls; anything larger is freed. */
const KEPT_OUTPUT_BYTES = 4 << 20;

let bzip2: Bzip2Decoder | null = null;

/** Message code of the General Status Message, which has no description block. */
const GENERAL_STATUS_MESSAGE = 2;
/** Product codes are 16-211 (ICD 2620001, Table III). */
const FIRST_PRODUCT_CODE = 16;
const LAST_PRODUCT_CODE = 211;

/**
 * Decodes one Level 3 product message.
 *
 * @param input The message, starting at the message header.
 * @returns The result buffer (see layout.ts).
 */
export function decodeLevel3Product(input: ArrayBuffer): ArrayBuffer {
  const result = new Result();
  const reader = new Reader(changetype<usize>(input), input.byteLength);
  decodeInto(reader, result);
  return result.serialize();
}

function fail(result: Result, status: i32, offset: i32): void {
  result.set(SLOT_STATUS, status);
  result.set(SLOT_STATUS_OFFSET, offset);
}

function decodeInto(reader: Reader, result: Result): void {
  if (!reader.has(0, MESSAGE_HEADER_BYTES)) {
    fail(result, STATUS_TRUNCATED, 0);
    return;
  }
  readMessageHeader(reader, result);
  const messageCode = result.get(SLOT_MESSAGE_CODE);
  if (messageCode == GENERAL_STATUS_MESSAGE) {
    fail(result, STATUS_GENERAL_STATUS, 0);
    return;
  }
  if (messageCode < FIRST_PRODUCT_CODE || messageCode > LAST_PRODUCT_CODE) {
    fail(result, STATUS_NOT_A_PRODUCT, 0);
    return;
  }
  if (!reader.has(0, DESCRIPTION_END)) {
    fail(result, STATUS_TRUNCATED, MESSAGE_HEADER_BYTES);
    return;
  }
  if (!hasDescriptionDivider(reader)) {
    fail(result, STATUS_BAD_DESCRIPTION, MESSAGE_HEADER_BYTES);
    return;
  }
  readProductDescription(reader, result);

  const symbologyOffset = result.get(SLOT_SYMBOLOGY_OFFSET);
  if (symbologyOffset <= 0 || isStandaloneTabular(result)) return;
  if (symbologyOffset > reader.length / 2) {
    fail(result, STATUS_TRUNCATED, DESCRIPTION_END);
    return;
  }
  const start = symbologyOffset * 2;

  // Halfword 51 is the compression method only for the products that
  // define it, so the "BZh" magic after the description block decides;
  // an uncompressed block would start with divider -1 there instead.
  if (isBzip2(reader, DESCRIPTION_END)) {
    readCompressedSymbology(reader, start, result);
    return;
  }
  readSymbologyBlock(reader, start, result);
}

/**
 * Decompresses the bzip2 data after the description block and walks the
 * symbology block in it. The decompressed bytes take the place of the
 * compressed ones, so block offsets still count from the message start,
 * and so do the warning offsets.
 */
function readCompressedSymbology(
  reader: Reader,
  start: i32,
  result: Result,
): void {
  result.set(SLOT_COMPRESSED, 1);
  // The message length bounds the bzip2 data: NOAAPORT trailers follow.
  const messageLength = result.get(SLOT_MESSAGE_LENGTH);
  const end = messageLength > DESCRIPTION_END && messageLength < reader.length
    ? messageLength
    : reader.length;
  if (bzip2 == null) bzip2 = new Bzip2Decoder();
  const decoder = bzip2!;
  const status = decoder.decompress(
    reader.base + <usize> DESCRIPTION_END,
    end - DESCRIPTION_END,
    MAX_UNCOMPRESSED_BYTES,
  );
  if (status != BZIP2_OK) {
    fail(
      result,
      STATUS_BAD_COMPRESSION,
      DESCRIPTION_END + decoder.errorOffset,
    );
    decoder.releaseOutput(KEPT_OUTPUT_BYTES);
    return;
  }

  const length = decoder.outputLength();
  result.set(SLOT_UNCOMPRESSED_SIZE, length);
  const block = new Reader(decoder.outputPointer(), length);
  result.offsetBias = DESCRIPTION_END;
  readSymbologyBlock(block, start - DESCRIPTION_END, result);
  result.offsetBias = 0;
  decoder.releaseOutput(KEPT_OUTPUT_BYTES);
}

/**
 * Products 62, 73, 75 and 82 are stand-alone tabular alphanumeric
 * products: their symbology offset points at a tabular block.
 */
function isStandaloneTabular(result: Result): bool {
  const code = result.get(SLOT_PRODUCT_CODE);
  return code == 62 || code == 73 || code == 75 || code == 82;
}

function isBzip2(reader: Reader, offset: i32): bool {
  return reader.has(offset, 3) && reader.u8(offset) == 0x42 &&
    reader.u8(offset + 1) == 0x5a && reader.u8(offset + 2) == 0x68;
}
