// Expected values are worked out by hand from the threshold encodings of
// ICD 2620001 (Figure 3-6 and the per-product threshold tables). The
// threshold halfwords are the ones of real corpus products.

import assert from "node:assert/strict";
import {
  buildDataLevelMap,
  toFloat16,
  toFloat32,
  toInt16,
} from "../../../core/level3/data_levels.ts";
import { CodeKind, type DataLevelMap } from "../../../core/radar/product.ts";

/** Pads threshold halfwords to 16 with zeros. */
function thresholds(...halfwords: number[]): number[] {
  return [...halfwords, ...new Array(16 - halfwords.length).fill(0)];
}

function build(family: Parameters<typeof buildDataLevelMap>[0], t: number[]) {
  const map = buildDataLevelMap(family, t, "unit");
  assert.ok(map !== null);
  return map;
}

function assertValue(map: DataLevelMap, code: number, value: number): void {
  assert.ok(
    Math.abs(map.values[code] - value) < 1e-5,
    `code ${code}: expected ${value}, got ${map.values[code]}`,
  );
}

Deno.test("toInt16() reads two's complement halfwords", () => {
  assert.equal(toInt16(0xfec0), -320);
  assert.equal(toInt16(0x0005), 5);
});

Deno.test("toFloat32() joins two halfwords into an IEEE float", () => {
  assert.equal(toFloat32(0x447a, 0x0000), 1000);
  assert.equal(toFloat32(0xc272, 0x0000), -60.5);
});

Deno.test("toFloat16() decodes the ICD 16-bit float", () => {
  // 0x59AB: exponent 22, fraction 427: 2^6 x (1 + 427/1024).
  assert.equal(toFloat16(0x59ab), 90.6875);
  // 0x4400: exponent 17, fraction 0: 2^1.
  assert.equal(toFloat16(0x4400), 2);
  // Exponent 0: 2 x fraction / 1024.
  assert.equal(toFloat16(0x0200), 1);
});

Deno.test("buildDataLevelMap() maps digital reflectivity from code 2", () => {
  // N0Q: minimum -32.0 dBZ, increment 0.5 dBZ, 254 levels.
  const map = build("digitalReflectivity", thresholds(0xfec0, 5, 254));
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assert.equal(map.kinds[1], CodeKind.NoData);
  assert.ok(Number.isNaN(map.values[1]));
  assertValue(map, 2, -32);
  assertValue(map, 255, -32 + 253 * 0.5);
});

Deno.test("buildDataLevelMap() keeps velocity range folding apart", () => {
  // N0U: minimum -63.5 m/s, increment 0.5 m/s.
  const map = build("digitalVelocity", thresholds(0xfd85, 5, 254));
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assert.equal(map.kinds[1], CodeKind.RangeFolded);
  assertValue(map, 2, -63.5);
  assertValue(map, 129, 0);
});

Deno.test("buildDataLevelMap() spells out legacy 16-level thresholds", () => {
  // N1P and N0V halfwords: flags in the high byte, magnitude in the low.
  const map = build(
    "legacy",
    thresholds(0x8002, 0x2800, 0x2001, 0x1003, 0x0140, 0x020a, 0x8003),
  );
  assert.equal(map.kinds[0], CodeKind.NoData);
  assert.deepEqual(map.labels!.slice(0, 7), [
    "ND",
    ">0.00",
    "0.05",
    "0.3",
    "-64",
    "+10",
    "RF",
  ]);
  assertValue(map, 1, 0);
  assertValue(map, 2, 0.05);
  assertValue(map, 3, 0.3);
  assertValue(map, 4, -64);
  assertValue(map, 5, 10);
  assert.equal(map.kinds[6], CodeKind.RangeFolded);
});

Deno.test("buildDataLevelMap() starts spectrum width at code 129", () => {
  // Minimum 0 m/s, increment 0.5 m/s, 40 levels, capped at code 167.
  const map = build("digitalSpectrumWidth", thresholds(0, 5, 40));
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assert.equal(map.kinds[1], CodeKind.RangeFolded);
  assert.equal(map.kinds[2], CodeKind.NoData);
  assertValue(map, 129, 0);
  assertValue(map, 130, 0.5);
  assertValue(map, 167, 19);
  assert.equal(map.kinds[168], CodeKind.NoData);
});

Deno.test("buildDataLevelMap() applies generic scale and offset", () => {
  // N0C: scale 300, offset -60.5, maximum 255, 2 leading flags.
  const map = build(
    "genericDigital",
    thresholds(0x4396, 0, 0xc272, 0, 0, 255, 2),
  );
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assert.equal(map.kinds[1], CodeKind.RangeFolded);
  assertValue(map, 2, 62.5 / 300);
  assertValue(map, 255, 315.5 / 300);
});

Deno.test("buildDataLevelMap() reports accumulations in inches", () => {
  // DTA: scale 1, offset 0: codes are hundredths of an inch.
  const map = build(
    "accumulation",
    thresholds(0x3f80, 0, 0, 0, 0, 255, 1),
  );
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assertValue(map, 1, 0.01);
  assertValue(map, 150, 1.5);
});

Deno.test("buildDataLevelMap() maps DPR codes up to 65535", () => {
  // DPR: scale 1000, offset 0, maximum 65535, no leading flags.
  const map = buildDataLevelMap(
    "genericDigital",
    thresholds(0x447a, 0, 0, 0, 0, 0xffff, 0),
    "in/h",
    65536,
  )!;
  assertValue(map, 0, 0);
  assertValue(map, 7544, 7.544);
  assertValue(map, 65535, 65.535);
});

Deno.test("buildDataLevelMap() maps hydrometeor classes to indices", () => {
  const map = build("classification", thresholds());
  assert.equal(map.kinds[0], CodeKind.NoData);
  assertValue(map, 10, 1);
  assertValue(map, 60, 6);
  assert.equal(map.labels![60], "RA");
  assert.equal(map.kinds[150], CodeKind.RangeFolded);
});

Deno.test("buildDataLevelMap() flags topped echo tops", () => {
  // EET: data mask 0x7F, scale 1, offset 2, topped mask 0x80.
  const map = build("echoTops", thresholds(0x7f, 1, 2, 0x80));
  assertValue(map, 24, 22);
  assert.equal(map.kinds[24], CodeKind.Value);
  assertValue(map, 152, 22);
  assert.equal(map.kinds[152], CodeKind.ToppedValue);
});

Deno.test("buildDataLevelMap() joins the linear and log VIL segments", () => {
  // DVL: linear scale 90.6875, offset 2; log from code 20 with scale
  // 38.875 (0x54DC) and offset 83.875 (0x593E).
  const map = build("vil", thresholds(0x59ab, 0x4400, 20, 0x54dc, 0x593e));
  assertValue(map, 3, 1 / 90.6875);
  assertValue(map, 216, Math.exp((216 - 83.875) / 38.875));
  assert.equal(map.kinds[255], CodeKind.NoData);
});

Deno.test("buildDataLevelMap() maps the DPA from code 1", () => {
  // DPA: minimum -6.0 dBA, increment 0.125 dBA.
  const map = build("precipitationArray", thresholds(0xffc4, 125, 256));
  assert.equal(map.kinds[0], CodeKind.BelowThreshold);
  assertValue(map, 1, -6);
  assertValue(map, 7, -5.25);
  assert.equal(map.kinds[255], CodeKind.NoData);
});

Deno.test("buildDataLevelMap() returns null without a mapping", () => {
  assert.equal(buildDataLevelMap("none", thresholds(), ""), null);
});
