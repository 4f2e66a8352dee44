/**
 * Removes the transmission wrappers around a Level 3 product. These are
 * the NOAAPORT framing (SOH, sequence line, trailing CR CR LF ETX), the WMO
 * abbreviated heading and AWIPS ID lines, and NOAAPORT zlib compression.
 * The latter is one or more concatenated zlib streams whose output starts
 * with a 24-byte CCB and repeats the WMO heading.
 *
 * @module
 */

import { inflateSync } from "node:zlib";
import { DecodeError } from "../errors.ts";

/** The WMO abbreviated heading, e.g. `SDUS53 KLSX 301540`. */
export interface WmoHeading {
  /** Data type and area designator plus number, e.g. "SDUS53". */
  designator: string;
  /** Originating centre (ICAO of the issuing office), e.g. "KLSX". */
  originator: string;
  /** Day of month, hour and minute of issue, "DDHHMM". */
  issued: string;
}

/** A product with its wrappers removed. */
export interface UnwrappedProduct {
  /** Bytes from the message header on (or the text of a free-text message). */
  message: Uint8Array;
  /** The WMO heading; null when the input has none. */
  wmoHeading: WmoHeading | null;
  /** AWIPS ID line, e.g. "N0RLSX"; null when absent. */
  awipsId: string | null;
  /** True for a free-text message (data type NOUS): no message header. */
  freeText: boolean;
  /** Number of NOAAPORT zlib streams that were inflated, 0 if none. */
  zlibStreams: number;
}

const SOH = 0x01;
const CCB_BYTES = 24;
/** Room for a CCB and a heading before the heading proper starts. */
const HEADING_SEARCH_BYTES = 64;
const HEADING =
  /^([A-Z]{4}\d{2}) ([A-Z0-9]{4}) (\d{6})(?: [A-Z]{3})?\r\r\n(?:([A-Z0-9 ]{4,6})\r\r\n)?/;

/**
 * Unwraps one Level 3 product.
 *
 * @param bytes The file or object as stored.
 * @param source File name or object key, for error messages.
 * @returns The product message and the fields of its wrappers.
 * @throws {DecodeError} The zlib data is corrupt or inflates past
 * {@linkcode MAX_INFLATED_BYTES}.
 */
export function unwrapProduct(
  bytes: Uint8Array,
  source: string,
): UnwrappedProduct {
  let offset = skipNoaaportLine(bytes);
  let heading = readHeading(bytes, offset);
  if (heading !== null) offset += heading.length;

  let zlibStreams = 0;
  let message = bytes.subarray(offset);
  if (isZlibHeader(message)) {
    const inflated = inflateAll(message, source, offset);
    zlibStreams = inflated.streams;
    message = inflated.bytes;
    // The first stream's output repeats the heading after the CCB.
    const start = findHeading(message);
    const inner = start < 0 ? null : readHeading(message, start);
    if (inner !== null) {
      heading = inner;
      message = message.subarray(start + inner.length);
    } else if (message.length >= CCB_BYTES) {
      message = message.subarray(CCB_BYTES);
    }
  }

  const wmoHeading = heading?.wmo ?? null;
  return {
    message,
    wmoHeading,
    awipsId: heading?.awipsId ?? null,
    freeText: wmoHeading?.designator.startsWith("NOUS") ?? false,
    zlibStreams,
  };
}

/** Skips SOH, CR CR LF, the sequence number line; returns the next offset. */
function skipNoaaportLine(bytes: Uint8Array): number {
  if (bytes[0] !== SOH) return 0;
  let crlf = 0;
  for (let i = 1; i < Math.min(bytes.length, 32) - 2; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) {
      crlf++;
      i += 2;
      if (crlf === 2) return i + 1;
    }
  }
  return 0;
}

interface Heading {
  wmo: WmoHeading;
  awipsId: string | null;
  /** Bytes of the heading and AWIPS ID lines. */
  length: number;
}

function readHeading(bytes: Uint8Array, offset: number): Heading | null {
  const text = latin1(bytes.subarray(offset, offset + 48));
  const match = HEADING.exec(text);
  if (match === null) return null;
  return {
    wmo: { designator: match[1], originator: match[2], issued: match[3] },
    awipsId: match[4]?.trim() || null,
    length: match[0].length,
  };
}

function findHeading(bytes: Uint8Array): number {
  const text = latin1(bytes.subarray(0, HEADING_SEARCH_BYTES));
  const match = /[A-Z]{4}\d{2} [A-Z0-9]{4} \d{6}/.exec(text);
  return match === null ? -1 : match.index;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** A zlib header: deflate method, 32 KiB window, valid check bits. */
function isZlibHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x78 &&
    ((bytes[0] << 8) | bytes[1]) % 31 === 0;
}

/**
 * Ceiling on the inflated NOAAPORT data, an estimate: the largest products
 * (153 and 176) inflate to under 2 MB, and a zlib bomb of 1 MB would
 * otherwise fill over 1 GB.
 */
export const MAX_INFLATED_BYTES = 16 << 20;

/** Inflates consecutive zlib streams until the bytes stop being one. */
function inflateAll(
  bytes: Uint8Array,
  source: string,
  baseOffset: number,
): { bytes: Uint8Array; streams: number } {
  const parts: Uint8Array[] = [];
  let total = 0;
  let offset = 0;
  while (isZlibHeader(bytes.subarray(offset))) {
    const where = { source, offset: baseOffset + offset };
    const room = MAX_INFLATED_BYTES - total;
    if (room <= 0) throw tooLarge(where);
    let output: Uint8Array;
    let consumed: number;
    try {
      const result = inflateSync(bytes.subarray(offset), {
        info: true,
        maxOutputLength: room,
      }) as unknown as { buffer: Uint8Array; engine: { bytesWritten: number } };
      output = result.buffer;
      consumed = result.engine.bytesWritten;
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") {
        throw tooLarge(where);
      }
      throw new DecodeError(
        `Cannot inflate NOAAPORT zlib stream ${parts.length + 1}: ${
          (error as Error).message
        }`,
        where,
        { cause: error },
      );
    }
    parts.push(output);
    total += output.length;
    if (consumed <= 0) break;
    offset += consumed;
  }
  const joined = new Uint8Array(total);
  let position = 0;
  for (const part of parts) {
    joined.set(part, position);
    position += part.length;
  }
  return { bytes: joined, streams: parts.length };
}

/** Creates the error for NOAAPORT data that inflates past the ceiling. */
function tooLarge(where: { source: string; offset: number }): DecodeError {
  return new DecodeError(
    `NOAAPORT zlib data inflates to more than ${MAX_INFLATED_BYTES} bytes; expected a Level 3 product smaller than that`,
    where,
  );
}
