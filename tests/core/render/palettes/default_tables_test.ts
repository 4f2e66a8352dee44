/**
 * The Level 3 built-in tables and their legends: values rise, labels
 * follow them, and each entry's colour is the table's colour there.
 */

import assert from "node:assert/strict";
import { colourOfValue } from "../../../../core/render/colour_table.ts";
import { legendOf } from "../../../../core/render/legend.ts";
import {
  defaultColourTable,
  type DefaultTableName,
} from "../../../../core/render/palettes/default_tables.ts";

const LEVEL3_TABLES: [DefaultTableName, units: string][] = [
  ["velocityKnots", "kt"],
  ["spectrumWidthKnots", "kt"],
  ["VIL", "kg/m2"],
  ["echoTops", "kft"],
  ["KDP", "deg/km"],
  ["controlCode", ""],
];

const css = ([red, green, blue]: number[]) =>
  "#" + [red, green, blue].map((c) => c.toString(16).padStart(2, "0")).join("");

for (const [name, units] of LEVEL3_TABLES) {
  Deno.test(`legendOf() lists the ${name} table in rising order`, () => {
    const table = defaultColourTable(name);
    assert.equal(table.units, units);
    const legend = legendOf(table);
    const valued = legend.entries.filter((entry) => entry.value !== null);
    assert.ok(valued.length >= 5, `${valued.length} entries`);
    for (let i = 1; i < valued.length; i++) {
      assert.ok(valued[i].value! > valued[i - 1].value!, valued[i].label);
    }
    for (const entry of valued) {
      assert.equal(entry.colour, css(colourOfValue(table, entry.value!)!));
      if (table.categorical) continue;
      // Continuous labels are the value and the unit.
      assert.equal(parseFloat(entry.label), entry.value);
      if (units !== "") assert.ok(entry.label.endsWith(` ${units}`));
    }
    const labels = new Set(legend.entries.map((entry) => entry.label));
    assert.equal(labels.size, legend.entries.length);
  });
}

Deno.test("defaultColourTable() gives each 5-unit step of VIL and echo tops its colour", () => {
  // NWS displays step VIL and echo tops by 5 kg/m2 and 5 kft: values
  // within a step share a colour, neighbouring steps differ.
  for (const name of ["VIL", "echoTops"] as const) {
    const table = defaultColourTable(name);
    for (let low = 5; low < 70; low += 5) {
      assert.deepEqual(
        colourOfValue(table, low),
        colourOfValue(table, low + 4.9),
      );
      assert.notDeepEqual(
        colourOfValue(table, low),
        colourOfValue(table, low + 5),
      );
    }
  }
});

Deno.test("defaultColourTable() velocity in knots matches the m/s table", () => {
  // 64 m/s = 124.4 kt and 20 m/s = 38.9 kt (1 kt = 1852 / 3600 m/s): the
  // knot table's stops sit at the m/s table's stops, rounded to 1 kt.
  const knots = defaultColourTable("velocityKnots");
  const metres = defaultColourTable("VEL");
  for (const ms of [-64, -40, -20, 0, 20, 40, 64]) {
    assert.deepEqual(
      colourOfValue(knots, Math.round((ms * 3600) / 1852)),
      colourOfValue(metres, ms),
    );
  }
});
