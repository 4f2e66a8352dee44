// Decodes every Level 3 file of the corpus and compares the result with
// the reference values in expected/level3/<file>.json, written by three
// independent decoders (Py-ART, MetPy, nexrad-level-3-data; see the
// README beside them). Where the decoders disagree on how a code maps to
// a value, the test asserts the representation this decoder follows:
// DISPUTE_CHOICE below names the decoder whose values match it, and
// core/level3/data_levels.ts gives the ICD reason.

import assert from "node:assert/strict";
import {
  decodeProduct,
  UnsupportedProductError,
} from "../../../core/level3/decode.ts";
import { productInfo } from "../../../core/level3/products.ts";
import type { Product } from "../../../core/radar/product.ts";

const CORPUS = new URL("../../../../shared/data/nexrad/", import.meta.url);
const LEVEL3 = new URL("level3/", CORPUS);
const EXPECTED = new URL("expected/level3/", CORPUS);

/** Decoder whose values we follow, per dispute kind, and why. */
const DISPUTE_CHOICE: Record<string, string> = {
  // Class index (code / 10): the ICD lists the classes by index.
  hmc_representation: "metpy",
  // Inches: the ICD's scale and offset give hundredths of an inch.
  precip_units: "pyart",
  // Levels count from code 2; codes 0 and 1 are flags, as for N0Q.
  dhr_offset_pyart: "metpy",
  dsp_mapping: "metpy",
  // DPR has 0 leading flags, so code 0 is a rate of 0 in/h.
  dpr_code0: "metpy",
  // CFC thresholds are all zero; the code is the filter state.
  cfc_representation: "pyart",
  // 16-level products map codes through their thresholds to values, not
  // to the level index.
  node_level_index: "metpy",
};

// deno-lint-ignore no-explicit-any
type Json = any;

/** Returns the agreed value of a field, bare or annotated as `{ value }`. */
function agreed(field: Json): Json {
  return field !== null && typeof field === "object" && "value" in field
    ? field.value
    : field;
}

function close(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-4, Math.abs(expected) * 1e-6);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: expected ${expected}, got ${actual}`,
  );
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(".000Z", "Z");
}

function checkDescription(product: Product, expected: Json): void {
  const p = expected.product;
  assert.equal(product.productCode, agreed(p.product_code), "product code");
  assert.equal(product.mnemonic, agreed(p.mnemonic), "mnemonic");
  // The AWIPS ID names the site by the ICAO identifier less its prefix.
  assert.equal(product.siteId?.slice(1), p.site_id_awips, "site");
  close(product.location.latitudeDeg, p.radar.lat_deg, "latitude");
  close(product.location.longitudeDeg, p.radar.lon_deg, "longitude");
  assert.equal(product.location.heightFt, p.radar.height_ft, "height");
  assert.equal(isoSeconds(product.volumeScanTime), p.volume_scan_time);
  assert.equal(
    isoSeconds(product.generationTime),
    p.product_generation_time,
  );
  assert.equal(isoSeconds(product.messageTime), p.message_header.time);
  assert.equal(product.vcp, p.vcp, "vcp");
  assert.equal(product.operationalMode, p.operational_mode, "mode");
  assert.equal(product.elevationNumber, p.elevation_number, "elevation no.");
  assert.equal(product.sequenceNumber, p.sequence_number, "sequence");
  assert.equal(product.volumeScanNumber, p.volume_scan_number, "volume no.");
  const elevation = agreed(p.elevation_angle_deg);
  if (elevation === null) {
    assert.equal(product.elevationAngleDeg, null, "elevation angle");
  } else {
    close(product.elevationAngleDeg ?? NaN, elevation, "elevation angle");
  }
  assert.deepEqual(product.dataLevelThresholds, p.threshold_halfwords_31_46);
  const dependent = p.dependent_halfwords;
  assert.deepEqual(product.dependentHalfwords, [
    dependent.hw27,
    dependent.hw28,
    dependent.hw30,
    ...dependent.hw47_53,
  ]);
  assert.equal(product.compressionMethod, agreed(p.compression_method));
  if (p.uncompressed_size_bytes !== undefined) {
    assert.equal(
      product.uncompressedSizeBytes,
      agreed(p.uncompressed_size_bytes),
      "uncompressed size",
    );
  }
  const nullFlag = agreed(p.null_product_flag);
  assert.equal(product.nullProduct, nullFlag !== null && nullFlag !== 0);
}

/** Picks the sample values of the decoder we follow in each dispute. */
function expectedValues(samples: Json, disputes: string[]): (number | null)[] {
  if (Array.isArray(samples.values)) return samples.values;
  for (const kind of disputes) {
    const choice = DISPUTE_CHOICE[kind];
    if (choice !== undefined && samples.values[choice]) {
      return samples.values[choice];
    }
  }
  throw new Error(`No dispute choice for ${disputes.join(", ")}`);
}

function checkData(product: Product, expected: Json): void {
  const data = expected.data;
  if (data === null || product.nullProduct) {
    assert.equal(product.data, null, "data array");
    return;
  }
  const actual = product.data;
  assert.ok(actual !== null, "data array missing");
  assert.equal(actual.packetCode, Number(data.packet), "packet code");
  let cellOf: (position: number[]) => number;
  if (actual.kind === "polar") {
    assert.equal(actual.radialCount, data.n_radials, "radial count");
    assert.equal(actual.gateCount, data.n_bins, "bin count");
    if (data.first_bin_index !== undefined) {
      assert.equal(actual.firstBinIndex, data.first_bin_index);
      assert.equal(actual.rangeScaleFactorRaw, data.range_scale_factor_raw);
    }
    if (data.first_gate_m !== undefined) {
      close(actual.firstGateRangeKm * 1000, agreed(data.first_gate_m), "r0");
      close(actual.gateIntervalKm * 1000, agreed(data.gate_width_m), "dr");
    }
    close(actual.azimuthsDeg[0], data.az_first_deg, "first azimuth");
    close(actual.azimuthsDeg.at(-1)!, data.az_last_deg, "last azimuth");
    cellOf = ([radial, bin]) => radial * actual.gateCount + bin;
  } else {
    assert.equal(actual.rowCount, agreed(data.n_rows), "row count");
    assert.equal(actual.columnCount, agreed(data.n_cols), "column count");
    if (data.raster_start_xy !== undefined) {
      // The expected start is the stored I and J times the scale factor.
      const [i, j] = actual.rasterStartIj;
      const [x, y] = actual.rasterScaleXy;
      assert.deepEqual([i * x, j * y], data.raster_start_xy, "raster start");
    }
    cellOf = ([row, column]) => row * actual.columnCount + column;
  }

  const samples = data.samples;
  const values = expectedValues(samples, Object.keys(expected.dispute_kinds));
  const map = product.dataLevels;
  samples.positions.forEach((position: number[], i: number) => {
    const code = actual.raw[cellOf(position)];
    assert.equal(code, samples.raw_codes[i], `raw code at ${position}`);
    const value = map?.values[code] ?? NaN;
    if (values[i] === null) {
      assert.ok(Number.isNaN(value), `value at ${position}: ${value}`);
    } else {
      close(value, values[i]!, `value at ${position} (code ${code})`);
    }
  });
}

/** Count, minimum and maximum of the values over the whole array. */
function checkStats(product: Product, expected: Json): void {
  const stats = expected.data?.stats;
  if (stats === undefined || product.data === null) return;
  const disputes = Object.keys(expected.dispute_kinds);
  let reference = stats;
  if (stats.per_decoder !== undefined) {
    const choice = disputes.map((kind) => DISPUTE_CHOICE[kind]).find((name) =>
      name !== undefined && stats.per_decoder[name] !== undefined
    );
    reference = stats.per_decoder[choice ?? "metpy"];
  }
  const values = product.dataLevels!.values;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const code of product.data.raw) {
    const value = values[code];
    if (Number.isNaN(value)) continue;
    count++;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  assert.equal(count, reference.count_with_value, "cells with a value");
  close(min, reference.min, "minimum value");
  close(max, reference.max, "maximum value");
}

const names = [...Deno.readDirSync(LEVEL3)].map((entry) => entry.name).sort();

for (const name of names) {
  Deno.test(`decodeProduct() matches expected values of ${name}`, async () => {
    const expected = JSON.parse(
      await Deno.readTextFile(new URL(`${name}.json`, EXPECTED)),
    );
    const bytes = await Deno.readFile(new URL(name, LEVEL3));
    const code = agreed(expected.product.product_code);
    // General Status and free-text messages carry no product description
    // block: they are reported as unsupported.
    if (code === null || code === 2) {
      await assert.rejects(
        () => decodeProduct(bytes, { source: name }),
        UnsupportedProductError,
      );
      return;
    }
    const product = await decodeProduct(bytes, { source: name });
    checkDescription(product, expected);
    // Distinct packet codes per symbology layer, nested packets included.
    assert.deepEqual(
      product.symbologyLayers,
      expected.blocks.symbology_layers ?? [],
      "symbology layers",
    );
    checkData(product, expected);
    checkStats(product, expected);
  });
}

Deno.test("decodeProduct() bin sizes span each product's range", async () => {
  // The longest radial of each product code should reach the maximum range
  // the product table gives for it (from the ICD): bins x bin size within
  // 3% of that range.
  const reach = new Map<number, { rangeKm: number; maxRangeKm: number }>();
  for (const name of names) {
    const bytes = await Deno.readFile(new URL(name, LEVEL3));
    let product: Product;
    try {
      product = await decodeProduct(bytes, { source: name });
    } catch {
      continue;
    }
    const data = product.data;
    const info = productInfo(product.productCode);
    if (data?.kind !== "polar" || info.maxRangeKm === null) continue;
    const rangeKm = data.firstGateRangeKm +
      (data.gateCount - 0.5) * data.gateIntervalKm;
    const best = reach.get(product.productCode);
    if (best === undefined || rangeKm > best.rangeKm) {
      reach.set(product.productCode, { rangeKm, maxRangeKm: info.maxRangeKm });
    }
  }
  for (const [code, { rangeKm, maxRangeKm }] of reach) {
    assert.ok(
      Math.abs(rangeKm - maxRangeKm) <= 0.03 * maxRangeKm,
      `product ${code}: radials reach ${rangeKm} km, ICD range ${maxRangeKm} km`,
    );
  }
});
