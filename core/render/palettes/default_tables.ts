/**
 * Built-in colour tables, written as `.pal` text so that any of them can be
 * replaced by a GRLevelX or Weather and Climate Toolkit file of the same
 * shape.
 *
 * The Level 2 tables follow the NWS conventions: reflectivity in the
 * classic 5 dBZ colour steps from cyan through green, yellow and red to
 * magenta and white; velocity green towards the radar, red away, with
 * purple for range folding. They are gradients, so every half-dBZ code of
 * reflectivity keeps its own colour.
 *
 * The Level 3 tables cover the units the product table gives: knots for
 * the 16-level velocity and spectrum width products (the velocity table
 * in knots ends near 124 kt, the 64 m/s of the m/s table), kg/m2 for VIL
 * and kft for echo tops in 5-unit solid steps like the NWS displays, and
 * deg/km for specific differential phase. The control products (clutter
 * filter control 34, power removed control 113) are categorical: one
 * colour per code, code 0 (nothing filtered or removed) not drawn.
 *
 * @module
 */

import type { ColourTable, Rgba } from "../colour_table.ts";
import { parsePalFile } from "../pal_file.ts";

/** Names of the built-in tables. */
export type DefaultTableName =
  | "REF"
  | "VEL"
  | "SW"
  | "ZDR"
  | "RHO"
  | "PHI"
  | "CFP"
  | "hydrometeor"
  | "precipitation"
  | "precipitationRate"
  | "velocityKnots"
  | "spectrumWidthKnots"
  | "VIL"
  | "echoTops"
  | "KDP"
  | "controlCode";

/** Purple of range-folded gates, shared by the Level 2 tables. */
const RANGE_FOLDED = "RF: 119 0 125";

const PAL_TEXTS: Record<
  Exclude<DefaultTableName, "hydrometeor" | "controlCode">,
  string
> = {
  REF: `
Product: REF
Units: dBZ
Step: 10
${RANGE_FOLDED}
Color: -30 60 60 60
Color: -10 130 130 130
Color: 5 4 233 231
Color: 10 1 159 244
Color: 15 3 0 244
Color: 20 2 253 2
Color: 25 1 197 1
Color: 30 0 142 0
Color: 35 253 248 2
Color: 40 229 188 0
Color: 45 253 149 0
Color: 50 253 0 0
Color: 55 212 0 0
Color: 60 188 0 0
Color: 65 248 0 253
Color: 70 152 84 198
Color: 75 253 253 253
`,
  VEL: `
Product: VEL
Units: m/s
Step: 10
${RANGE_FOLDED}
Color: -64 120 255 255
Color: -40 0 255 0
Color: -20 0 150 0
Color: -5 30 80 30
Color: 0 120 120 120
Color: 5 90 30 30
Color: 20 160 0 0
Color: 40 255 0 0
Color: 64 255 240 120
`,
  SW: `
Product: SW
Units: m/s
Step: 5
${RANGE_FOLDED}
Color: 0 70 70 70
Color: 3 0 100 200
Color: 6 0 200 90
Color: 9 255 255 0
Color: 12 255 140 0
Color: 15 255 0 0
Color: 20 255 255 255
`,
  ZDR: `
Product: ZDR
Units: dB
Step: 1
${RANGE_FOLDED}
Color: -4 40 40 40
Color: -1 170 170 170
Color: 0 20 20 170
Color: 1 40 150 255
Color: 2 0 200 80
Color: 3 255 255 0
Color: 4 255 140 0
Color: 5 255 0 0
Color: 6 200 0 100
Color: 8 255 190 255
`,
  RHO: `
Product: RHO
Units:
Step: 0.1
${RANGE_FOLDED}
Color: 0.2 20 20 90
Color: 0.45 70 70 190
Color: 0.65 100 180 255
Color: 0.75 0 200 120
Color: 0.8 130 220 0
Color: 0.85 255 255 0
Color: 0.9 255 150 0
Color: 0.95 255 0 0
Color: 0.97 190 0 70
Color: 1.0 255 170 255
Color: 1.05 255 255 255
`,
  PHI: `
Product: PHI
Units: deg
Step: 45
${RANGE_FOLDED}
Color: 0 60 0 160
Color: 60 0 120 255
Color: 120 0 200 90
Color: 180 255 255 0
Color: 240 255 120 0
Color: 300 220 0 0
Color: 360 255 200 255
`,
  CFP: `
Product: CFP
Units: dB
Step: 10
${RANGE_FOLDED}
Color: -20 40 40 40
Color: 0 120 120 160
Color: 20 255 255 120
Color: 40 255 80 0
Color: 60 255 255 255
`,
  precipitation: `
Product: precipitation
Units: in
${RANGE_FOLDED}
SolidColor: 0.01 175 238 238
SolidColor: 0.1 0 200 255
SolidColor: 0.25 0 110 255
SolidColor: 0.5 0 230 0
SolidColor: 0.75 0 170 0
SolidColor: 1 0 120 0
SolidColor: 1.5 255 255 0
SolidColor: 2 255 200 0
SolidColor: 2.5 255 140 0
SolidColor: 3 255 0 0
SolidColor: 4 200 0 0
SolidColor: 5 150 0 0
SolidColor: 6 255 0 255
SolidColor: 8 150 80 200
SolidColor: 10 255 255 255
`,
  precipitationRate: `
Product: precipitationRate
Units: in/h
${RANGE_FOLDED}
SolidColor: 0.01 175 238 238
SolidColor: 0.05 0 200 255
SolidColor: 0.1 0 110 255
SolidColor: 0.25 0 230 0
SolidColor: 0.5 0 170 0
SolidColor: 0.75 0 120 0
SolidColor: 1 255 255 0
SolidColor: 1.5 255 200 0
SolidColor: 2 255 140 0
SolidColor: 2.5 255 0 0
SolidColor: 3 200 0 0
SolidColor: 4 150 0 0
SolidColor: 5 255 0 255
SolidColor: 8 255 255 255
`,
  velocityKnots: `
Product: velocityKnots
Units: kt
Step: 20
${RANGE_FOLDED}
Color: -124 120 255 255
Color: -78 0 255 0
Color: -39 0 150 0
Color: -10 30 80 30
Color: 0 120 120 120
Color: 10 90 30 30
Color: 39 160 0 0
Color: 78 255 0 0
Color: 124 255 240 120
`,
  spectrumWidthKnots: `
Product: spectrumWidthKnots
Units: kt
Step: 10
${RANGE_FOLDED}
Color: 0 70 70 70
Color: 6 0 100 200
Color: 12 0 200 90
Color: 18 255 255 0
Color: 24 255 140 0
Color: 30 255 0 0
Color: 40 255 255 255
`,
  VIL: `
Product: VIL
Units: kg/m2
SolidColor: 1 4 233 231
SolidColor: 5 1 159 244
SolidColor: 10 3 0 244
SolidColor: 15 2 253 2
SolidColor: 20 1 197 1
SolidColor: 25 0 142 0
SolidColor: 30 253 248 2
SolidColor: 35 229 188 0
SolidColor: 40 253 149 0
SolidColor: 45 253 0 0
SolidColor: 50 212 0 0
SolidColor: 55 188 0 0
SolidColor: 60 248 0 253
SolidColor: 65 152 84 198
SolidColor: 70 253 253 253
`,
  echoTops: `
Product: echoTops
Units: kft
SolidColor: 0 118 118 118
SolidColor: 5 0 224 255
SolidColor: 10 0 140 255
SolidColor: 15 0 40 200
SolidColor: 20 0 251 144
SolidColor: 25 0 187 0
SolidColor: 30 0 112 0
SolidColor: 35 255 255 0
SolidColor: 40 255 190 0
SolidColor: 45 255 120 0
SolidColor: 50 255 0 0
SolidColor: 55 174 0 0
SolidColor: 60 255 0 255
SolidColor: 65 150 80 200
SolidColor: 70 255 255 255
`,
  KDP: `
Product: KDP
Units: deg/km
Step: 1
${RANGE_FOLDED}
Color: -2 50 50 50
Color: -0.5 150 150 150
Color: 0 30 30 140
Color: 0.5 40 150 255
Color: 1 0 200 80
Color: 2 255 255 0
Color: 3 255 140 0
Color: 4 255 0 0
Color: 6 200 0 120
Color: 10 255 200 255
`,
};

/**
 * Colours of the codes of the control products (34, 113), by code from 1:
 * distinct hues so that neighbouring codes differ.
 */
const CONTROL_CODE_COLOURS: Rgba[] = [
  [0, 200, 255, 255],
  [0, 90, 255, 255],
  [0, 200, 0, 255],
  [255, 230, 0, 255],
  [255, 130, 0, 255],
  [255, 0, 0, 255],
  [255, 0, 255, 255],
  [140, 60, 200, 255],
  [150, 90, 40, 255],
  [0, 120, 60, 255],
  [255, 160, 200, 255],
  [120, 120, 120, 255],
  [200, 200, 255, 255],
  [128, 128, 0, 255],
  [255, 255, 255, 255],
];

function controlCodeTable(): ColourTable {
  return {
    product: "controlCode",
    units: "",
    scale: 1,
    offset: 0,
    step: null,
    rangeFolded: null,
    stops: CONTROL_CODE_COLOURS.map((colour, i) => ({
      value: i + 1,
      colour,
      solid: true,
      label: `code ${i + 1}`,
    })),
    categorical: true,
  };
}

/**
 * Hydrometeor classes of the classification products (165, 177), by class
 * index = raw code / 10, labelled as MetPy labels them. Index 0 (no data)
 * is not drawn.
 */
const HYDROMETEOR_CLASSES: [string, Rgba][] = [
  ["BI biological", [150, 150, 150, 255]],
  ["GC ground clutter / anomalous propagation", [100, 60, 30, 255]],
  ["IC ice crystals", [170, 210, 255, 255]],
  ["DS dry snow", [100, 140, 255, 255]],
  ["WS wet snow", [0, 60, 220, 255]],
  ["RA light to moderate rain", [0, 210, 0, 255]],
  ["HR heavy rain", [0, 130, 0, 255]],
  ["BD big drops", [255, 255, 0, 255]],
  ["GR graupel", [230, 160, 200, 255]],
  ["HA hail with rain", [255, 0, 0, 255]],
  ["LH large hail", [160, 0, 0, 255]],
  ["GH giant hail", [255, 0, 255, 255]],
  ["UK unknown", [40, 40, 40, 255]],
  ["RF range folded", [119, 0, 125, 255]],
];

function hydrometeorTable(): ColourTable {
  return {
    product: "hydrometeor",
    units: "class",
    scale: 1,
    offset: 0,
    step: null,
    rangeFolded: [119, 0, 125, 255],
    stops: HYDROMETEOR_CLASSES.map(([label, colour], i) => ({
      value: i + 1,
      colour,
      solid: true,
      label,
    })),
    categorical: true,
  };
}

/** Returns a fresh copy of a built-in colour table. */
export function defaultColourTable(name: DefaultTableName): ColourTable {
  if (name === "hydrometeor") return hydrometeorTable();
  if (name === "controlCode") return controlCodeTable();
  return parsePalFile(PAL_TEXTS[name], `built-in ${name} table`);
}

/** Built-in tables by the unit of a product's values. */
const TABLE_OF_UNIT: Record<string, DefaultTableName> = {
  "dBZ": "REF",
  "m/s": "VEL",
  "kt": "velocityKnots",
  "dB": "ZDR",
  "in": "precipitation",
  "in/h": "precipitationRate",
  "kg/m2": "VIL",
  "kft": "echoTops",
  "deg/km": "KDP",
};

/** Built-in tables of products whose unit does not decide the table. */
const TABLE_OF_PRODUCT: Record<number, DefaultTableName> = {
  28: "spectrumWidthKnots",
  30: "spectrumWidthKnots",
  34: "controlCode",
  113: "controlCode",
  155: "SW",
  161: "RHO",
  165: "hydrometeor",
  167: "RHO",
  177: "hydrometeor",
};

/**
 * Returns the built-in table that draws a Level 3 product code whose
 * values are in `unit`; undefined when none fits.
 */
export function builtInTableOf(
  productCode: number,
  unit: string,
): DefaultTableName | undefined {
  return TABLE_OF_PRODUCT[productCode] ?? TABLE_OF_UNIT[unit];
}
