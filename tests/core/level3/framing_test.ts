// The wrappers are built here by hand from the NOAAPORT and WMO layouts.
// NOAAPORT adds SOH, CR CR LF and a sequence number line in front and CR
// CR LF ETX behind. The heading "TTAAii CCCC DDHHMM" and the AWIPS ID
// line each end with CR CR LF. zlib output begins with a 24-byte CCB.

import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { DecodeError } from "../../../core/errors.ts";
import {
  MAX_INFLATED_BYTES,
  unwrapProduct,
} from "../../../core/level3/framing.ts";

const encoder = new TextEncoder();
const HEADING = "SDUS53 KLSX 301540\r\r\nN0BLSX\r\r\n";
/** Stands in for a product: a message header starting with code 153. */
const PRODUCT = Uint8Array.from({ length: 300 }, (_, i) => i === 1 ? 153 : i);

function concat(...parts: (string | Uint8Array)[]): Uint8Array {
  const arrays = parts.map((part) =>
    typeof part === "string" ? encoder.encode(part) : part
  );
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}

Deno.test("unwrapProduct() reads the WMO heading and AWIPS ID", () => {
  const unwrapped = unwrapProduct(concat(HEADING, PRODUCT), "test");
  assert.deepEqual(unwrapped.wmoHeading, {
    designator: "SDUS53",
    originator: "KLSX",
    issued: "301540",
  });
  assert.equal(unwrapped.awipsId, "N0BLSX");
  assert.deepEqual(unwrapped.message, PRODUCT);
  assert.equal(unwrapped.freeText, false);
  assert.equal(unwrapped.zlibStreams, 0);
});

Deno.test("unwrapProduct() skips the NOAAPORT SOH and sequence line", () => {
  const bytes = concat("\x01\r\r\n245 \r\r\n", HEADING, PRODUCT, "\r\r\n\x03");
  const unwrapped = unwrapProduct(bytes, "test");
  assert.equal(unwrapped.awipsId, "N0BLSX");
  // The trailer stays: the message header's length bounds the product.
  assert.deepEqual(unwrapped.message.subarray(0, PRODUCT.length), PRODUCT);
});

Deno.test("unwrapProduct() inflates concatenated zlib streams", () => {
  const ccb = new Uint8Array(24).fill(0x40);
  const inner = concat(ccb, HEADING, PRODUCT);
  const bytes = concat(
    "\x01\r\r\n245 \r\r\n",
    HEADING,
    deflateSync(inner.subarray(0, 100)),
    deflateSync(inner.subarray(100)),
    "\r\r\n\x03",
  );
  const unwrapped = unwrapProduct(bytes, "test");
  assert.equal(unwrapped.zlibStreams, 2);
  assert.equal(unwrapped.awipsId, "N0BLSX");
  assert.deepEqual(unwrapped.message, PRODUCT);
});

Deno.test("unwrapProduct() rejects a corrupt zlib stream", () => {
  const stream = deflateSync(concat(new Uint8Array(24), HEADING, PRODUCT));
  stream[10] ^= 0xff;
  stream[11] ^= 0xff;
  assert.throws(
    () => unwrapProduct(concat(HEADING, stream), "test"),
    DecodeError,
  );
});

Deno.test("unwrapProduct() marks NOUS products as free text", () => {
  const bytes = concat("NOUS63 KABR 281331\r\r\nFTMABR\r\r\nRadar down");
  assert.equal(unwrapProduct(bytes, "test").freeText, true);
});

Deno.test("unwrapProduct() passes a bare product through", () => {
  const unwrapped = unwrapProduct(PRODUCT, "test");
  assert.equal(unwrapped.wmoHeading, null);
  assert.equal(unwrapped.awipsId, null);
  assert.deepEqual(unwrapped.message, PRODUCT);
});

// A zlib bomb: 1 MB of NOAAPORT data inflated to 1 GiB and 4 GB of memory
// before the ceiling. The bombs here pass it by one byte, in one stream
// and spread over two.
Deno.test("unwrapProduct() rejects a zlib bomb in one stream", () => {
  const bomb = deflateSync(new Uint8Array(MAX_INFLATED_BYTES + 1));
  assert.throws(
    () => unwrapProduct(concat(HEADING, bomb), "bomb"),
    (error: unknown) =>
      error instanceof DecodeError && error.offset === HEADING.length &&
      /inflates to more than 16777216 bytes/.test(error.message),
  );
});

Deno.test("unwrapProduct() rejects a zlib bomb over streams", () => {
  const half = deflateSync(new Uint8Array(MAX_INFLATED_BYTES / 2));
  const last = deflateSync(new Uint8Array(1));
  assert.throws(
    () => unwrapProduct(concat(HEADING, half, half, last), "bomb"),
    (error: unknown) =>
      error instanceof DecodeError &&
      error.offset === HEADING.length + 2 * half.length &&
      /inflates to more than 16777216 bytes/.test(error.message),
  );
});
