/**
 * Maps Level 3 raw codes to physical values from the data level threshold
 * halfwords 31-46 of the product description block (ICD 2620001, Figure
 * 3-6 and the per-product threshold tables).
 *
 * The result is a lookup table indexed by raw code, so a renderer colours
 * codes directly and a caller that needs values indexes `values`. Where the
 * reference decoders disagree, this module follows the ICD and makes these
 * choices:
 *
 * - Hydrometeor classes (165, 177) map to the class index, code / 10
 *   (0 no data, 1 biological, ... 13 unknown); code 150 is range folded.
 * - Digital accumulations (170, 172-175) are reported in inches: the
 *   scale and offset of halfwords 31-34 give hundredths of an inch, which
 *   are multiplied by 0.01.
 * - Digital reflectivity (32, 94, 153, 180, 186) and DSP (138) count
 *   levels from code 2: value = minimum + (code - 2) x increment, with
 *   codes 0 (below threshold) and 1 (missing) as flags.
 * - DPR (176) has no leading flags, so code 0 is a rate of 0 in/h.
 * - Clutter filter control (34) thresholds are all zero; the value is the
 *   code itself, the filter state the ICD lists for it.
 *
 * @module
 */

import { CodeKind, type DataLevelMap } from "../radar/product.ts";
import type { ProductFamily } from "./products.ts";

/** Labels of the hydrometeor classes by class index (products 165, 177). */
const CLASS_LABELS = [
  "ND",
  "BI",
  "GC",
  "IC",
  "DS",
  "WS",
  "RA",
  "HR",
  "BD",
  "GR",
  "HA",
  "LH",
  "GH",
  "UK",
  "RF",
];

/** Legacy threshold codes when bit 15 of the halfword is set. */
const LEGACY_CODE_LABELS = [
  "Blank",
  "TH",
  "ND",
  "RF",
  "BI",
  "GC",
  "IC",
  "GR",
  "WS",
  "DS",
  "RA",
  "HR",
  "BD",
  "HA",
  "UK",
];

/**
 * Builds the code-to-value map of a product.
 *
 * @param family The product's family from the product table.
 * @param thresholds The 16 threshold halfwords 31-46, unsigned.
 * @param unit The unit of the mapped values.
 * @param codeCount 256, or 65536 for 16-bit codes (packet 28).
 * @returns The map, or null for the family `none`.
 */
export function buildDataLevelMap(
  family: ProductFamily,
  thresholds: readonly number[],
  unit: string,
  codeCount = 256,
): DataLevelMap | null {
  if (family === "none") return null;
  const map: DataLevelMap = {
    unit,
    values: new Float32Array(codeCount).fill(NaN),
    kinds: new Uint8Array(codeCount).fill(CodeKind.NoData),
    labels: null,
  };
  switch (family) {
    case "legacy":
      fillLegacy(map, thresholds);
      break;
    case "digitalReflectivity":
    case "digitalVelocity":
      fillDigital(map, thresholds, family === "digitalVelocity");
      break;
    case "digitalSpectrumWidth":
      fillSpectrumWidth(map, thresholds);
      break;
    case "genericDigital":
      fillGenericDigital(map, thresholds, 1);
      break;
    case "accumulation":
      fillGenericDigital(map, thresholds, 0.01);
      break;
    case "stormTotal":
      fillStormTotal(map, thresholds);
      break;
    case "precipitationArray":
      fillPrecipitationArray(map, thresholds);
      break;
    case "vil":
      fillVil(map, thresholds);
      break;
    case "echoTops":
      fillEchoTops(map, thresholds);
      break;
    case "classification":
      fillClassification(map);
      break;
    case "category":
      for (let code = 0; code < 16; code++) setValue(map, code, code);
      break;
  }
  return map;
}

function setValue(map: DataLevelMap, code: number, value: number): void {
  if (code < 0 || code >= map.values.length) return;
  map.values[code] = value;
  map.kinds[code] = CodeKind.Value;
}

function setKind(map: DataLevelMap, code: number, kind: CodeKind): void {
  if (code < 0 || code >= map.values.length) return;
  map.values[code] = NaN;
  map.kinds[code] = kind;
}

/** Reinterprets an unsigned halfword as a signed one. */
export function toInt16(halfword: number): number {
  return (halfword << 16) >> 16;
}

/** Reads two halfwords (high first) as an IEEE float32. */
export function toFloat32(high: number, low: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, high);
  view.setUint16(2, low);
  return view.getFloat32(0);
}

/**
 * Reads the ICD's 16-bit float (sign bit, 5-bit exponent biased by 16,
 * 10-bit fraction); exponent 0 means 2 x fraction / 1024.
 */
export function toFloat16(halfword: number): number {
  const sign = halfword & 0x8000 ? -1 : 1;
  const exponent = (halfword >> 10) & 0x1f;
  const fraction = halfword & 0x03ff;
  if (exponent === 0) return sign * 2 * (fraction / 1024);
  return sign * 2 ** (exponent - 16) * (1 + fraction / 1024);
}

/**
 * Legacy 16-level products: each halfword describes one level. If bit 15
 * is set, the low byte is a code (0 blank, 1 below threshold, 2 no data,
 * 3 range folded, 4 and up class names). Otherwise the low byte is a
 * magnitude scaled by bit 14 (x 0.01), 13 (x 0.05) or 12 (x 0.1), negated
 * by bit 8; bits 9-11 mark "+", "<" and ">" for the legend.
 */
function fillLegacy(map: DataLevelMap, thresholds: readonly number[]): void {
  const labels: string[] = [];
  thresholds.forEach((halfword, code) => {
    const flags = halfword >> 8;
    const magnitude = halfword & 0xff;
    if (flags & 0x80) {
      const label = LEGACY_CODE_LABELS[magnitude] ?? "";
      labels.push(label);
      if (label === "TH") setKind(map, code, CodeKind.BelowThreshold);
      else if (label === "RF") setKind(map, code, CodeKind.RangeFolded);
      else setKind(map, code, CodeKind.NoData);
      return;
    }
    let value = magnitude;
    let text = String(magnitude);
    if (flags & 0x40) [value, text] = scaled(magnitude, 0.01, 2);
    else if (flags & 0x20) [value, text] = scaled(magnitude, 0.05, 2);
    else if (flags & 0x10) [value, text] = scaled(magnitude, 0.1, 1);
    if (flags & 0x01) {
      value = -value;
      text = "-" + text;
    } else if (flags & 0x02) {
      text = "+" + text;
    }
    if (flags & 0x04) text = "<" + text;
    else if (flags & 0x08) text = ">" + text;
    labels.push(text);
    setValue(map, code, value);
  });
  map.labels = labels;
}

function scaled(
  magnitude: number,
  factor: number,
  digits: number,
): [number, string] {
  const value = Number((magnitude * factor).toFixed(digits));
  return [value, value.toFixed(digits)];
}

/**
 * Digital base data (ICD: halfword 31 minimum x 10, 32 increment x 10,
 * 33 number of levels). Code 0 is below threshold; code 1 is range folded
 * for velocity, missing otherwise; code c >= 2 is min + (c - 2) x inc.
 */
function fillDigital(
  map: DataLevelMap,
  thresholds: readonly number[],
  velocity: boolean,
): void {
  const minimum = toInt16(thresholds[0]) / 10;
  const increment = thresholds[1] / 10;
  const levels = Math.min(thresholds[2], 254);
  setKind(map, 0, CodeKind.BelowThreshold);
  setKind(map, 1, velocity ? CodeKind.RangeFolded : CodeKind.NoData);
  for (let i = 0; i < levels; i++) {
    setValue(map, i + 2, minimum + i * increment);
  }
}

/**
 * Super-resolution spectrum width (155): minimum and increment as for the
 * digital base data, but levels start at code 129; code 0 is below
 * threshold and 1 range folded.
 *
 * NOTE: levels stop at code 167 (19 m/s at 0.5 m/s steps), as MetPy 1.x
 * reads the ICD; no product 155 was at hand to check this against.
 */
function fillSpectrumWidth(
  map: DataLevelMap,
  thresholds: readonly number[],
): void {
  const minimum = toInt16(thresholds[0]) / 10;
  const increment = thresholds[1] / 10;
  const levels = Math.min(thresholds[2], 167 - 129 + 1);
  setKind(map, 0, CodeKind.BelowThreshold);
  setKind(map, 1, CodeKind.RangeFolded);
  for (let i = 0; i < levels; i++) {
    setValue(map, i + 129, minimum + i * increment);
  }
}

/**
 * Generic digital products (ICD: halfwords 31-32 scale and 33-34 offset
 * as float32, 36 maximum data code, 37 leading and 38 trailing flag
 * counts). value = (code - offset) / scale x `factor`. Among the leading
 * flags, code 0 is below threshold and code 1 range folded; trailing flags
 * are no data.
 */
function fillGenericDigital(
  map: DataLevelMap,
  thresholds: readonly number[],
  factor: number,
): void {
  const scale = toFloat32(thresholds[0], thresholds[1]);
  const offset = toFloat32(thresholds[2], thresholds[3]);
  const maximum = Math.min(thresholds[5], map.values.length - 1);
  const leading = thresholds[6];
  const trailing = thresholds[7];
  if (leading > 0) setKind(map, 0, CodeKind.BelowThreshold);
  if (leading > 1) setKind(map, 1, CodeKind.RangeFolded);
  if (scale === 0) return;
  for (let code = leading; code <= maximum - trailing; code++) {
    setValue(map, code, ((code - offset) / scale) * factor);
  }
}

/**
 * DSP (138): halfword 31 minimum x 10 and 32 increment x 100, inches,
 * 33 number of levels; counted from code 2 like the digital base data.
 */
function fillStormTotal(
  map: DataLevelMap,
  thresholds: readonly number[],
): void {
  const minimum = toInt16(thresholds[0]) / 10;
  const increment = thresholds[1] / 100;
  const levels = Math.min(thresholds[2], 254);
  setKind(map, 0, CodeKind.BelowThreshold);
  for (let i = 0; i < levels; i++) {
    setValue(map, i + 2, minimum + i * increment);
  }
}

/**
 * DPA (81): halfword 31 minimum dBA x 10, 32 increment dBA x 1000, 33
 * number of levels; code 0 is below threshold and levels count from 1
 * up to code 254.
 */
function fillPrecipitationArray(
  map: DataLevelMap,
  thresholds: readonly number[],
): void {
  const minimum = toInt16(thresholds[0]) / 10;
  const increment = thresholds[1] / 1000;
  const levels = Math.min(thresholds[2], 254);
  setKind(map, 0, CodeKind.BelowThreshold);
  for (let i = 0; i < levels; i++) {
    setValue(map, i + 1, minimum + i * increment);
  }
}

/**
 * DVL (134): halfwords 31 linear scale, 32 linear offset (16-bit floats),
 * 33 first code of the logarithmic segment, 34 log scale and 35 log offset
 * (16-bit floats). Code 0 is below threshold, 1 flagged, 255 reserved.
 */
function fillVil(map: DataLevelMap, thresholds: readonly number[]): void {
  const linearScale = toFloat16(thresholds[0]);
  const linearOffset = toFloat16(thresholds[1]);
  const logStart = thresholds[2];
  const logScale = toFloat16(thresholds[3]);
  const logOffset = toFloat16(thresholds[4]);
  setKind(map, 0, CodeKind.BelowThreshold);
  for (let code = 2; code < 255; code++) {
    const value = code < logStart
      ? (code - linearOffset) / linearScale
      : Math.exp((code - logOffset) / logScale);
    setValue(map, code, value);
  }
}

/**
 * EET (135): halfword 31 data mask, 32 scale, 33 offset, 34 topped mask.
 * value = ((code & mask) - offset) / scale, kft; a code with the topped bit
 * is a lower bound. Code 0 is below threshold, 1 no data.
 */
function fillEchoTops(
  map: DataLevelMap,
  thresholds: readonly number[],
): void {
  const [mask, scale, offset, toppedMask] = thresholds;
  setKind(map, 0, CodeKind.BelowThreshold);
  if (scale === 0) return;
  for (let code = 2; code < 256; code++) {
    setValue(map, code, ((code & mask) - offset) / scale);
    if (code & toppedMask) map.kinds[code] = CodeKind.ToppedValue;
  }
}

/** Hydrometeor classes: code 10 x class index, 150 range folded. */
function fillClassification(map: DataLevelMap): void {
  setKind(map, 0, CodeKind.NoData);
  for (let code = 10; code < 150; code++) {
    setValue(map, code, Math.floor(code / 10));
  }
  setKind(map, 150, CodeKind.RangeFolded);
  map.labels = Array.from(
    { length: map.values.length },
    (_, code) => CLASS_LABELS[code / 10] ?? "",
  );
}
