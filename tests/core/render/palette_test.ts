import assert from "node:assert/strict";
import { colourOfValue } from "../../../core/render/colour_table.ts";
import { colourBarPng, legendOf } from "../../../core/render/legend.ts";
import { decode as decodePng } from "fast-png";
import {
  buildPalette,
  linearCodeMapping,
  tabulatedCodeMapping,
} from "../../../core/render/palette.ts";
import { parsePalFile } from "../../../core/render/pal_file.ts";
import {
  defaultColourTable,
  type DefaultTableName,
} from "../../../core/render/palettes/default_tables.ts";
import {
  encodeIndexedPng,
  encodeIndexedPngWithFastPng,
  encodeRgbaPng,
} from "../../../core/render/png.ts";

// Reflectivity codes of the Level 2 ICD: value = (code - 66) / 2, code 0
// below threshold, code 1 range folded.
const REF = linearCodeMapping(2, 66, 8);

Deno.test("buildPalette() keeps half-dBZ steps apart", () => {
  const palette = buildPalette(defaultColourTable("REF"), REF);
  const colourOf = (code: number) => palette.colours[palette.colourIndex[code]];
  // Codes 134 and 135 are 34.0 and 34.5 dBZ, inside the 30-35 gradient.
  assert.notDeepEqual(colourOf(134), colourOf(135));
  // A solid table whose boundary sits on a half step: 20.5 dBZ (code 107)
  // takes the new colour, 20.0 dBZ (code 106) does not.
  const solid = parsePalFile(
    "SolidColor: 10 0 0 255\nSolidColor: 20.5 255 0 0",
    "half.pal",
  );
  const stepped = buildPalette(solid, REF);
  assert.deepEqual(stepped.colours[stepped.colourIndex[106]], [0, 0, 255, 255]);
  assert.deepEqual(stepped.colours[stepped.colourIndex[107]], [255, 0, 0, 255]);
});

Deno.test("buildPalette() draws range folding, not below threshold", () => {
  const palette = buildPalette(defaultColourTable("VEL"), REF);
  assert.equal(palette.colourIndex[0], 0);
  assert.deepEqual(palette.colours[0], [0, 0, 0, 0]);
  assert.deepEqual(palette.colours[palette.colourIndex[1]], [119, 0, 125, 255]);
});

Deno.test("buildPalette() fits 16-bit gradients in 256 colours", () => {
  // 16-bit differential phase: value = (code - 2) / 2.8361 degrees.
  const mapping = linearCodeMapping(2.8361, 2, 16);
  const palette = buildPalette(defaultColourTable("PHI"), mapping);
  assert.equal(palette.colourIndex.length, 65536);
  assert.ok(palette.colours.length <= 256);
  // Sampling moves a value by at most 360 / 254 deg. The table's steepest
  // ramp changes a channel by 255 over 60 deg, so by 6.1 levels at most.
  const table = defaultColourTable("PHI");
  for (const code of [2, 300, 511, 1000]) {
    const exact = colourOfValue(table, (code - 2) / 2.8361)!;
    const drawn = palette.colours[palette.colourIndex[code]];
    for (let channel = 0; channel < 3; channel++) {
      const difference = Math.abs(drawn[channel] - exact[channel]);
      assert.ok(difference <= 7, `code ${code} channel ${channel}`);
    }
  }
});

Deno.test("buildPalette() maps tabulated Level 3 codes", () => {
  // Hydrometeor classes: code = 10 x class index, 150 range folded.
  const values = new Float64Array(256).fill(NaN);
  for (let code = 10; code < 150; code++) values[code] = Math.floor(code / 10);
  const palette = buildPalette(
    defaultColourTable("hydrometeor"),
    tabulatedCodeMapping(values, [150]),
  );
  assert.equal(palette.colourIndex[0], 0);
  const rain = palette.colours[palette.colourIndex[60]];
  const heavyRain = palette.colours[palette.colourIndex[70]];
  assert.notDeepEqual(rain, heavyRain);
  assert.deepEqual(palette.colours[palette.colourIndex[150]], [
    119,
    0,
    125,
    255,
  ]);
});

Deno.test("buildPalette() puts translucent colours first", () => {
  const table = parsePalFile(
    "Color: 0 255 0 0\nColor4: 10 0 0 255 128\nColor: 20 0 255 0",
    "x.pal",
  );
  const palette = buildPalette(table, REF);
  const firstOpaque = palette.colours.findIndex((c) => c[3] === 255);
  const lastTranslucent = palette.colours.findLastIndex((c) => c[3] !== 255);
  assert.ok(lastTranslucent < firstOpaque);
});

Deno.test("PNG encoders store the same pixels", async () => {
  const table = parsePalFile(
    "Color4: 0 255 0 0 100\nColor: 10 0 0 255\nColor: 20 0 255 0",
    "x.pal",
  );
  const palette = buildPalette(table, REF);
  const width = 64;
  const height = 3;
  const indices = Uint8Array.from(
    { length: width * height },
    (_, i) => palette.colourIndex[(i * 7) % 256],
  );
  const image = { width, height, indices, colours: palette.colours };
  // The decoder is fast-png's, which checks every chunk's CRC.
  const indexed = decodePng(encodeIndexedPng(image));
  const fastPng = decodePng(await encodeIndexedPngWithFastPng(image));
  const rgba = decodePng(await encodeRgbaPng(image));
  assert.equal(indexed.palette!.length, palette.colours.length);
  for (let i = 0; i < width * height; i++) {
    const expected = palette.colours[indices[i]];
    assert.deepEqual(indexed.palette![indexed.data[i]], expected);
    assert.deepEqual(fastPng.palette![fastPng.data[i]], expected);
    assert.deepEqual([...rgba.data.subarray(i * 4, i * 4 + 4)], expected);
  }
});

Deno.test("legendOf() lists every table's labelled values", () => {
  const names: DefaultTableName[] = [
    "REF",
    "VEL",
    "SW",
    "ZDR",
    "RHO",
    "PHI",
    "CFP",
    "hydrometeor",
    "precipitation",
    "precipitationRate",
  ];
  for (const name of names) {
    const table = defaultColourTable(name);
    const legend = legendOf(table);
    assert.ok(legend.entries.length >= 5, name);
    for (const entry of legend.entries) {
      assert.match(entry.colour, /^#[0-9a-f]{6}([0-9a-f]{2})?$/, name);
    }
    const bar = decodePng(
      colourBarPng(table, { width: 100, height: 4 }),
    );
    assert.equal(bar.width, 100);
    assert.equal(bar.height, 4);
  }
  const reflectivity = legendOf(defaultColourTable("REF"));
  assert.deepEqual(reflectivity.entries[0], {
    value: -30,
    colour: "#3c3c3c",
    label: "-30 dBZ",
  });
  assert.deepEqual(reflectivity.entries.at(-1), {
    value: null,
    colour: "#77007d",
    label: "range folded",
  });
  const classes = legendOf(defaultColourTable("hydrometeor"));
  assert.equal(classes.entries[5].label, "RA light to moderate rain");
  // 14 classes, the last of them range folding (RF), listed once.
  assert.equal(classes.entries.length, 14);
  assert.equal(classes.entries.at(-1)!.label, "RF range folded");
});

Deno.test("colourBarPng() gives every solid step a box", () => {
  // The built-in precipitation table: 15 solid steps from 0.01 in (175
  // 238 238) to 10 in (white). On a value scale 10 in would get no pixel.
  const bar = decodePng(
    colourBarPng(defaultColourTable("precipitation"), { width: 150 }),
  );
  const pixel = (x: number) => [...bar.data.subarray(x * 4, x * 4 + 4)];
  for (let box = 0; box < 15; box++) {
    assert.deepEqual(pixel(box * 10), pixel(box * 10 + 9), `box ${box}`);
  }
  assert.deepEqual(pixel(0), [175, 238, 238, 255]);
  assert.deepEqual(pixel(149), [255, 255, 255, 255]);
  // 0.5 in (0 230 0) is the 4th step.
  assert.deepEqual(pixel(35), [0, 230, 0, 255]);
});
