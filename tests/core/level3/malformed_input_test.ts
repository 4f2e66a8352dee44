// Feeds truncated and corrupted Level 3 products to the decoder. Every
// case must either decode or throw DecodeError: a WasmAbortError (an
// AssemblyScript abort or trap), a RangeError from reading the result, or
// any other error fails the test. The corruptions come from a fixed seed,
// so a failure reproduces.

import assert from "node:assert/strict";
import { DecodeError } from "../../../core/errors.ts";
import { decodeProductSync } from "../../../core/level3/decode.ts";
import { unwrapProduct } from "../../../core/level3/framing.ts";
import type { Product } from "../../../core/radar/product.ts";

const LEVEL3 = new URL(
  "../../../../shared/data/nexrad/level3/",
  import.meta.url,
);

/** One product per packet kind and wrapper the decoder handles. */
const SAMPLES = [
  // 0xAF1F run-length radials, plain WMO heading.
  "KLSX_SDUS53_N0RLSX_202105041639",
  // 0xAF1F radials inside NOAAPORT framing and three zlib streams.
  "KFTG_N0R_20041119_214744",
  // Packet 16 digital radials, bzip2-compressed symbology.
  "KLOT_N0Q_20210815_070905",
  // Packet 28 generic XDR radials (DPR), bzip2-compressed.
  "KLSX_SDUS83_DPRLSX_202112110140",
  // 0xBA07 raster.
  "KLSX_SDUS53_NCRLSX_202112110215",
  // Packet 17 digital precipitation array plus packet 18 layers.
  "KLSX_SDUS53_DPALSX_202112110238",
  // Graphic packets 2, 15, 23, 24 (storm tracks).
  "KLSX_SDUS33_NSTLSX_202112110215",
];

const CASES_PER_SAMPLE = 300;

/** Mulberry32: a small seeded generator, enough to pick offsets. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks the shape of a decoded product: arrays agree with the counts. */
function checkShape(product: Product): void {
  const data = product.data;
  if (data === null) return;
  if (data.kind === "polar") {
    assert.equal(data.raw.length, data.radialCount * data.gateCount);
    assert.equal(data.azimuthsDeg.length, data.radialCount);
    assert.equal(data.radialGateCounts.length, data.radialCount);
  } else {
    assert.equal(data.raw.length, data.rowCount * data.columnCount);
  }
}

function decodeOrDecodeError(bytes: Uint8Array, label: string): void {
  let product: Product;
  try {
    product = decodeProductSync(bytes, { source: label });
  } catch (error) {
    if (error instanceof DecodeError) return;
    throw new Error(`${label}: ${(error as Error).name}`, { cause: error });
  }
  checkShape(product);
}

/** Truncations at fixed boundaries and random lengths, then byte flips. */
function corruptions(message: Uint8Array, random: () => number): Uint8Array[] {
  const cases: Uint8Array[] = [];
  for (const length of [0, 1, 17, 18, 19, 119, 120, 121, 130, 140]) {
    cases.push(message.slice(0, length));
  }
  while (cases.length < CASES_PER_SAMPLE / 2) {
    cases.push(message.slice(0, Math.floor(random() * message.length)));
  }
  while (cases.length < CASES_PER_SAMPLE) {
    const copy = message.slice();
    const flips = 1 + Math.floor(random() * 8);
    for (let i = 0; i < flips; i++) {
      // Most flips hit the headers, where a wrong count does most harm.
      const span = random() < 0.5 ? Math.min(copy.length, 200) : copy.length;
      copy[Math.floor(random() * span)] ^= 1 + Math.floor(random() * 255);
    }
    cases.push(copy);
  }
  return cases;
}

for (const [index, name] of SAMPLES.entries()) {
  Deno.test(`decodeProduct() rejects corrupt ${name} cleanly`, async () => {
    const file = await Deno.readFile(new URL(name, LEVEL3));
    const random = generator(20260101 + index);
    // Corrupt the unwrapped message, so the flips hit the product itself,
    // and the file as stored, so they also hit the framing and zlib.
    const message = unwrapProduct(file, name).message;
    for (const [i, bytes] of corruptions(message, random).entries()) {
      decodeOrDecodeError(bytes, `${name} message case ${i}`);
    }
    for (const [i, bytes] of corruptions(file, random).slice(0, 60).entries()) {
      decodeOrDecodeError(bytes, `${name} file case ${i}`);
    }
  });
}

Deno.test("decodeProduct() rejects empty and garbage input", () => {
  for (const bytes of [new Uint8Array(0), new Uint8Array(1000)]) {
    assert.throws(() => decodeProductSync(bytes), DecodeError);
  }
  const random = generator(7);
  const garbage = Uint8Array.from({ length: 5000 }, () => random() * 256);
  decodeOrDecodeError(garbage, "garbage");
});
