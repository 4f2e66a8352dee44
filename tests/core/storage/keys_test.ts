import assert from "node:assert/strict";
import {
  assertSafeKey,
  comparePrefixes,
  failureKey,
  legendKey,
  listKey,
  parseLegendName,
  parseLevel,
  parsePlotStem,
  plotKey,
  plotStem,
  prefixTime,
} from "../../../core/storage/keys.ts";

// Expected keys are the layout of the Python service this project replaces:
// plots_level{2,3}/{stem}.{png,json} and lists/nexrad_level{L}_{product}_files.json.

Deno.test("listKey() follows the original layout", () => {
  assert.equal(
    listKey("reflectivity"),
    "lists/nexrad_level2_reflectivity_files.json",
  );
  assert.equal(
    listKey("hydrometeor"),
    "lists/nexrad_level3_hydrometeor_files.json",
  );
  assert.equal(
    listKey("precipitation"),
    "lists/nexrad_level3_precipitation_files.json",
  );
  assert.equal(
    failureKey("reflectivity"),
    "failures/nexrad_level2_reflectivity_failures.json",
  );
});

Deno.test("parsePlotStem() accepts the stems the frontend builds", () => {
  const level2 = parsePlotStem(2, "KPDT20250321_010412_V06_reflectivity_idx3");
  assert.deepEqual(level2, {
    level: 2,
    prefix: "KPDT20250321_010412_V06",
    product: "reflectivity",
    sweepIndex: 3,
  });
  assert.equal(
    plotKey(level2!, "png"),
    "plots_level2/KPDT20250321_010412_V06_reflectivity_idx3.png",
  );

  const level3 = parsePlotStem(3, "KPDT20250321_010412_HHC_hydrometeor_idx0");
  assert.equal(
    plotKey(level3!, "json"),
    "plots_level3/KPDT20250321_010412_HHC_hydrometeor_idx0.json",
  );
  // Pre-2008 archive names have no _V0n suffix.
  assert.notEqual(
    parsePlotStem(2, "KABR20050101_000745_reflectivity_idx0"),
    null,
  );
  // Outside CONUS the ICAO id does not start with K.
  assert.notEqual(
    parsePlotStem(3, "PHKI20250321_010412_DPR_precipitation_idx0"),
    null,
  );
});

Deno.test("parsePlotStem() rejects malformed stems", () => {
  const rejected: [2 | 3, string][] = [
    [2, ""],
    [2, "../../etc/passwd"],
    [2, "KPDT20250321_010412_V06_reflectivity_idx3/../x"],
    [2, "KPDT20250321_010412_V06_reflectivity"],
    [2, "KPDT20250321_010412_V06_reflectivity_idx03"],
    [2, "KPDT20250321_010412_V06_reflectivity_idx100"],
    [2, "KPDT20250321_010412_V06_reflectivity_idx-1"],
    [2, "KPDT20250321_010412_V06_hydrometeor_idx0"],
    [3, "KPDT20250321_010412_HHC_reflectivity_idx0"],
    [3, "KPDT20250321_010412_HHC_hydrometeor_idx1"],
    [2, "kpdt20250321_010412_V06_reflectivity_idx0"],
    [2, "KPDT2025032_010412_V06_reflectivity_idx0"],
    [2, "Level2_KPDT_20260604_2005.ar2v_reflectivity_idx0"],
    [2, "KPDT20250321_010412_V06\\_reflectivity_idx0"],
    [2, "KPDT20250321_010412_V06\0_reflectivity_idx0"],
  ];
  for (const [level, stem] of rejected) {
    assert.equal(parsePlotStem(level, stem), null, JSON.stringify(stem));
  }
});

Deno.test("plotStem() builds and checks stems", () => {
  assert.equal(
    plotStem("KPDT20250321_010412_V06", "reflectivity", 15),
    "KPDT20250321_010412_V06_reflectivity_idx15",
  );
  assert.throws(() => plotStem("../x", "reflectivity", 0), TypeError);
  assert.throws(
    () => plotStem("KPDT20250321_010412_N0H", "hydrometeor", 1),
    TypeError,
  );
});

Deno.test("parseLevel() accepts exactly 2 and 3", () => {
  assert.equal(parseLevel("2"), 2);
  assert.equal(parseLevel("3"), 3);
  for (const text of ["02", "4", "", " 2", "2.0", "two"]) {
    assert.equal(parseLevel(text), null, text);
  }
});

Deno.test("prefixTime() reads the UTC data time", () => {
  // 2025-03-21T01:04:12Z by hand: Date.UTC(2025, 2, 21, 1, 4, 12).
  assert.equal(
    prefixTime("KPDT20250321_010412_V06"),
    Date.UTC(2025, 2, 21, 1, 4, 12),
  );
  assert.equal(
    prefixTime("KPDT20250321_010412_N0H"),
    Date.UTC(2025, 2, 21, 1, 4, 12),
  );
  assert.equal(prefixTime("KPDT20250230_010412_V06"), null);
  assert.equal(prefixTime("KPDT20250321_250412_V06"), null);
  assert.equal(prefixTime("garbage"), null);
});

Deno.test("comparePrefixes() orders by time across sites", () => {
  const prefixes = [
    "KPDT20250321_011048_V06",
    "KOTX20250321_010000_V06",
    "KPDT20250321_010412_V06",
    "KOTX20250321_012000_V06",
  ];
  assert.deepEqual(prefixes.sort(comparePrefixes), [
    "KOTX20250321_010000_V06",
    "KPDT20250321_010412_V06",
    "KPDT20250321_011048_V06",
    "KOTX20250321_012000_V06",
  ]);
});

Deno.test("assertSafeKey() rejects unsafe keys", () => {
  const unsafe = [
    "",
    "/etc/passwd",
    "../data",
    "lists/../../x",
    "lists/./x",
    "lists//x",
    "lists/",
    "lists\\x",
    "lists/x\0",
    "lists/x\n",
    "C:/x",
    ".locks/x",
    "lists/.hidden",
    "lists/%2e%2e",
    "a".repeat(1025),
  ];
  for (const key of unsafe) {
    assert.throws(() => assertSafeKey(key), TypeError, JSON.stringify(key));
  }
  assertSafeKey("plots_level2/KPDT20250321_010412_V06_reflectivity_idx3.png");
  assertSafeKey("codes/options.json");
});

Deno.test("parsePlotStem() reads products with underscores", () => {
  assert.deepEqual(
    parsePlotStem(3, "KTLX20130520_201643_N0B_base_reflectivity_idx0"),
    {
      level: 3,
      prefix: "KTLX20130520_201643_N0B",
      product: "base_reflectivity",
      sweepIndex: 0,
    },
  );
  assert.equal(
    parsePlotStem(2, "KTLX20130520_201643_V06_spectrum_width_idx4")?.product,
    "spectrum_width",
  );
  assert.equal(
    parsePlotStem(2, "KTLX20130520_201643_V06_base_velocity_idx0"),
    null,
  );
});

Deno.test("legendKey() takes colour table names only", () => {
  assert.equal(legendKey("REF", "png"), "legends/REF.png");
  assert.equal(
    legendKey("precipitationRate", "json"),
    "legends/precipitationRate.json",
  );
  for (
    const name of ["", "../REF", "REF.png", "ref/x", "1REF", "a".repeat(33)]
  ) {
    assert.equal(parseLegendName(name), null, name);
    assert.throws(() => legendKey(name, "png"), TypeError, name);
  }
  assertSafeKey(legendKey("a".repeat(32), "json"));
});
