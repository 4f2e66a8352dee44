import assert from "node:assert/strict";
import { colourOfValue } from "../../../core/render/colour_table.ts";
import { parsePalFile } from "../../../core/render/pal_file.ts";

// A table in the GRLevelX layout, with the irregularities real files
// carry: a byte order mark, CRLF line ends, comments, mixed case, tabs.
const VELOCITY_PAL = [
  "\uFEFF; velocity in knots",
  "Product: BV",
  "units:\tKTS",
  "Scale: 1.9426   ; m/s to knots",
  "Step: 10",
  "RF: 119 0 125",
  "",
  "Color4: -20 0 255 0 200",
  "SolidColor: 0 128 128 128",
  "color: 10 255 0 0 255 255 0",
  "Color: 30 255 255 255",
].join("\r\n");

Deno.test("parsePalFile() reads every statement", () => {
  const table = parsePalFile(VELOCITY_PAL, "bv.pal");
  assert.equal(table.product, "BV");
  assert.equal(table.units, "KTS");
  assert.equal(table.scale, 1.9426);
  assert.equal(table.offset, 0);
  assert.equal(table.step, 10);
  assert.deepEqual(table.rangeFolded, [119, 0, 125, 255]);
  assert.deepEqual(table.stops.map((stop) => stop.value), [-20, 0, 10, 30]);
  assert.deepEqual(table.stops[0].colour, [0, 255, 0, 200]);
  assert.equal(table.stops[1].solid, true);
  assert.deepEqual(table.stops[2].endColour, [255, 255, 0, 255]);
});

Deno.test("parsePalFile() tables colour values as GRLevelX does", () => {
  const table = parsePalFile(VELOCITY_PAL, "bv.pal");
  const knots = (kt: number) => colourOfValue(table, kt / 1.9426);
  // Below the first stop: not drawn.
  assert.equal(knots(-20.5), null);
  // A solid stop keeps its colour up to the next stop.
  assert.deepEqual(knots(0), [128, 128, 128, 255]);
  assert.deepEqual(knots(9.9), [128, 128, 128, 255]);
  // A gradient with its own end colour: halfway from red to yellow.
  assert.deepEqual(knots(20), [255, 128, 0, 255]);
  // Color4 without an end colour runs to the next stop's colour, alpha too.
  assert.deepEqual(knots(-10), [64, 192, 64, 228]);
  // From the last stop up: its colour.
  assert.deepEqual(knots(80), [255, 255, 255, 255]);
});

Deno.test("parsePalFile() names the line of each error", () => {
  const cases: [string, RegExp][] = [
    [
      "Color: 10 0 0 0\nColour: 20 1 1 1",
      /x\.pal line 2: unknown keyword "Colour"/,
    ],
    ["Color 10 0 0 0", /x\.pal line 1: expected "Keyword: values"/],
    ["Color: 10 0 0", /x\.pal line 1: expected 4 or 7 numbers, got 3/],
    ["Color: 10 0 0 0\nColor4: 20 0 0 0", /line 2: expected 5 or 9 numbers/],
    [
      "Color: 10 0 0 256",
      /line 1: colour components must be integers 0 to 255, got 256/,
    ],
    ["Color: 10 0 0.5 0", /line 1: colour components must be integers/],
    ["Color: ten 0 0 0", /line 1: "ten" is not a number/],
    ["Scale: 2\nScale: 3\nColor: 1 0 0 0", /line 2: Scale repeats line 1/],
    ["Scale: 0\nColor: 1 0 0 0", /line 1: Scale must not be 0/],
    ["Step: -5\nColor: 1 0 0 0", /line 1: Step must be positive/],
    ["Color: 10 0 0 0\n\nColor: 10 1 1 1", /line 3: value 10 repeats line 1/],
    [
      "Product: BR\n; only a comment",
      /x\.pal: no Color, Color4, SolidColor or SolidColor4 line/,
    ],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parsePalFile(text, "x.pal"), (error: unknown) => {
      assert.ok(error instanceof SyntaxError, `${text}: ${error}`);
      assert.match(error.message, message);
      return true;
    });
  }
});

Deno.test("parsePalFile() sorts stops given out of order", () => {
  const table = parsePalFile("Color: 20 0 0 0\nColor: -10 9 9 9", "x.pal");
  assert.deepEqual(table.stops.map((stop) => stop.value), [-10, 20]);
});
