import assert from "node:assert/strict";
import { decode } from "fast-png";
import {
  legendObjects,
  level2Tables,
  level3Tables,
  publishLegends,
} from "../../jobs/legends.ts";
import {
  LEVEL3_CATALOGUE,
  parseLevel3Types,
} from "../../jobs/level3_catalogue.ts";
import { MemoryStore } from "./_memory_store.ts";

// Expected colours and labels are read from the built-in tables' text in
// core/render/palettes/default_tables.ts (REF "Color: -30 60 60 60",
// precipitation "SolidColor: 0.01 175 238 238", the hydrometeor classes).

Deno.test("level2Tables() names one table per moment", () => {
  assert.deepEqual(level2Tables(["reflectivity", "velocity"]), ["REF", "VEL"]);
  assert.deepEqual(level2Tables(["reflectivity", "reflectivity"]), ["REF"]);
});

Deno.test("level3Tables() follows each chosen code's unit", () => {
  // Units come from the product table (core/level3/products.ts) and their
  // tables from builtInTableOf(), the lookup the renderer makes.
  const tables = (setting: string) => level3Tables(parseLevel3Types(setting));
  assert.deepEqual(tables("hydrometeor,precipitation"), [
    "hydrometeor",
    "precipitation",
    "precipitationRate",
  ]);
  // The 16-level N0V is in knots, the digital N0U in m/s.
  assert.deepEqual(tables("base_velocity:N0V"), ["velocityKnots"]);
  assert.deepEqual(tables("base_velocity:N0U"), ["VEL"]);
  assert.deepEqual(tables("base_velocity"), ["VEL", "velocityKnots"]);
  assert.deepEqual(
    tables(
      "digital_differential_reflectivity,digital_correlation_coefficient," +
        "digital_specific_differential_phase,echo_tops," +
        "vertically_integrated_liquid,base_spectrum_width",
    ),
    ["ZDR", "RHO", "KDP", "echoTops", "VIL", "spectrumWidthKnots"],
  );
  // SPD has no image, so precipitation:SPD draws with nothing.
  assert.deepEqual(tables("precipitation:SPD"), []);
});

Deno.test("level3Tables() has a table for every catalogue code", () => {
  for (const [type, codes] of Object.entries(LEVEL3_CATALOGUE)) {
    for (const { value, image } of codes) {
      if (image === false) continue;
      assert.equal(
        level3Tables(parseLevel3Types(`${type}:${value}`)).length,
        1,
        `${type}:${value}`,
      );
    }
  }
});

Deno.test("legendObjects() lists values, colours and labels", () => {
  const reflectivity = JSON.parse(
    new TextDecoder().decode(legendObjects("REF").json),
  );
  assert.equal(reflectivity.name, "REF");
  assert.equal(reflectivity.units, "dBZ");
  assert.deepEqual(reflectivity.entries[0], {
    value: -30,
    colour: "#3c3c3c",
    label: "-30 dBZ",
  });
  // RF: 119 0 125, the range-folded purple, listed last.
  assert.deepEqual(reflectivity.entries.at(-1), {
    value: null,
    colour: "#77007d",
    label: "range folded",
  });

  const precipitation = JSON.parse(
    new TextDecoder().decode(legendObjects("precipitation").json),
  );
  assert.deepEqual(precipitation.entries[0], {
    value: 0.01,
    colour: "#afeeee",
    label: "0.01 in",
  });
});

Deno.test("legendObjects() draws a class per box of a class table", () => {
  const { width, height, data } = decode(
    legendObjects("hydrometeor").png,
  );
  assert.deepEqual([width, height], [512, 24]);
  // 14 classes in equal boxes: BI grey first, RF purple last.
  const pixel = (x: number) => Array.from(data.slice(x * 4, x * 4 + 4));
  assert.deepEqual(pixel(0), [150, 150, 150, 255]);
  assert.deepEqual(pixel(511), [119, 0, 125, 255]);
  // Class 6 (RA, 0 210 0) covers x from 512 * 5 / 14 to 512 * 6 / 14.
  assert.deepEqual(pixel(Math.floor(512 * 5.5 / 14)), [0, 210, 0, 255]);
});

Deno.test("publishLegends() writes missing or changed legends only", async () => {
  const store = new MemoryStore();
  assert.deepEqual(await publishLegends(store, ["REF", "VEL"]), [
    "legends/REF.png",
    "legends/REF.json",
    "legends/VEL.png",
    "legends/VEL.json",
  ]);
  assert.deepEqual(await publishLegends(store, ["REF", "VEL"]), []);

  await store.put("legends/VEL.json", new TextEncoder().encode("{}\n"), {
    contentType: "application/json",
  });
  assert.deepEqual(await publishLegends(store, ["REF", "VEL"]), [
    "legends/VEL.json",
  ]);
  assert.equal(
    (store.json("legends/VEL.json") as { units: string }).units,
    "m/s",
  );
});
