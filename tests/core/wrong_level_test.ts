import assert from "node:assert/strict";
import { DecodeError } from "../../core/errors.ts";
import { decodeVolume } from "../../core/level2/decode.ts";
import { decodeProduct } from "../../core/level3/decode.ts";

// A file of the other level gets the decoder's error plus what the file
// is. A Level 3 product starts with a WMO heading ("SDUS53 KLSX 110152"),
// after a NOAAPORT frame (SOH, CR CR LF, a sequence number) when there is
// one. A Level 2 volume starts with "AR2V" or "ARCHIVE2".

const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);

Deno.test("decodeVolume() names a Level 3 product it is given", async () => {
  const heading = Deno.readFileSync(
    new URL("level3/KLSX_SDUS53_DVLLSX_202112110152", CORPUS),
  );
  const framed = new Uint8Array([
    ...new TextEncoder().encode("\x01\r\r\n123 \r\r\n"),
    ...heading,
  ]);
  for (const bytes of [heading, framed]) {
    await assert.rejects(
      () => decodeVolume(bytes, { source: "product" }),
      (error) =>
        error instanceof DecodeError &&
        /input is not Archive II: .*; it starts with a WMO heading, as a Level 3 product does$/
          .test(error.message),
    );
  }
});

Deno.test("decodeProduct() names a Level 2 volume it is given", async () => {
  const volume = Deno.readFileSync(
    new URL("level2/KTLX20170101_030027_V06", CORPUS),
  );
  await assert.rejects(
    () => decodeProduct(volume, { source: "volume" }),
    /is not a product code \(16-211\): the input is a Level 2 volume/,
  );
});
