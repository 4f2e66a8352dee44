/**
 * Level 3 product images against the expected files of the shared corpus:
 * the sampled bins' raw codes (agreed by the reference decoders) must show
 * in the pixels that the reference geometry puts over each bin.
 */

import assert from "node:assert/strict";
import { decode as decodePng } from "fast-png";
import { decodeProduct } from "../../../core/level3/decode.ts";
import {
  beamGroundRange,
  geodesicDestination,
} from "../../../core/render/geodesy.ts";
import { colourOfValue } from "../../../core/render/colour_table.ts";
import {
  defaultColourTable,
  type DefaultTableName,
} from "../../../core/render/palettes/default_tables.ts";
import { renderProductImage } from "../../../core/render/product_image.ts";
import {
  coveringCell,
  fromMercator,
  toMercator,
} from "./_reference_geodesy.ts";

const CORPUS = new URL("../../../../shared/data/nexrad/", import.meta.url);

// One product per family the frontend shows: hydrometeor classes (165,
// 177), precipitation accumulation and rate (170, 172, 176) and digital
// reflectivity (94, 153) for comparison with Level 2.
const PRODUCTS: [file: string, units: string][] = [
  ["KLSX_SDUS83_HHCLSX_202112110140", ""],
  ["KOUN_SDUS84_N0HTLX_201305202016", ""],
  ["KLSX_SDUS83_DAALSX_202112110135", "in"],
  ["KLSX_SDUS83_DTALSX_202112110209", "in"],
  ["KOUN_SDUS84_DPRTLX_201305202016", "in/h"],
  ["KDDC_N0Q_20200817_0501.nids", "dBZ"],
  ["AMX_N0B_2026_07_06_15_45_17", "dBZ"],
];

const EDGE_MARGIN_M = 20;

for (const [file, units] of PRODUCTS) {
  Deno.test(`renderProductImage() places the sampled bins of ${file}`, async () => {
    const expected = JSON.parse(
      Deno.readTextFileSync(new URL(`expected/level3/${file}.json`, CORPUS)),
    );
    const product = await decodeProduct(
      Deno.readFileSync(new URL(`level3/${file}`, CORPUS)),
      { source: file },
    );
    const image = await renderProductImage(product, { resolutionM: 250 });
    assert.equal(image.metadata.units, units);
    const data = product.data!;
    assert.equal(data.kind, "polar");
    if (data.kind !== "polar") return;

    const png = decodePng(image.png);
    const { nw, se } = image.metadata.bounding_box_lon_lat;
    const [west, north] = toMercator(nw[0], nw[1]);
    const [east, south] = toMercator(se[0], se[1]);
    const pixelX = (east - west) / png.width;
    const pixelY = (north - south) / png.height;
    const radar = product.location;
    const elevation = product.elevationAngleDeg ?? 0;
    // Level 3 radials start at their azimuth; the cell centre is half a
    // spacing on.
    const cells = {
      centresDeg: Array.from(
        data.azimuthsDeg,
        (start, k) => start + data.azimuthSpacingsDeg[k] / 2,
      ),
      spacingsDeg: data.azimuthSpacingsDeg,
      elevationsDeg: new Array(data.radialCount).fill(elevation),
      firstGateM: data.firstGateRangeKm * 1000,
      gateIntervalM: data.gateIntervalKm * 1000,
      gateCount: data.gateCount,
    };

    const positions: [number, number][] = expected.data.samples.positions;
    const codes: number[] = expected.data.samples.raw_codes;
    let checked = 0;
    positions.forEach(([radial, bin], i) => {
      // The bin centre, placed by the reference geometry.
      const slant = cells.firstGateM + bin * cells.gateIntervalM;
      const [lon, lat] = geodesicDestination(
        radar.longitudeDeg,
        radar.latitudeDeg,
        cells.centresDeg[radial],
        beamGroundRange(slant, elevation),
      );
      const [x, y] = toMercator(lon, lat);
      const column = Math.floor((x - west) / pixelX);
      const line = Math.floor((north - y) / pixelY);
      const [centreLon, centreLat] = fromMercator(
        west + (column + 0.5) * pixelX,
        north - (line + 0.5) * pixelY,
      );
      const covering = coveringCell(
        cells,
        radar,
        centreLon,
        centreLat,
        EDGE_MARGIN_M,
      );
      if (covering?.radial !== radial || covering.gate !== bin) return;
      checked++;
      const index = png.data[line * png.width + column];
      const colour = image.palette.colours[image.palette.colourIndex[codes[i]]];
      assert.deepEqual(
        [...(png.palette![index] as number[])],
        colour,
        `sample ${i} (radial ${radial}, bin ${bin}, code ${codes[i]})`,
      );
    });
    assert.ok(checked >= 4, `only ${checked} samples checked`);
  });
}

Deno.test("renderProductImage() rejects products without radials", async () => {
  const file = "KBYX_NSS_2022_01_16_09_31";
  const product = await decodeProduct(
    Deno.readFileSync(new URL(`level3/${file}`, CORPUS)),
    { source: file },
  );
  await assert.rejects(
    () => renderProductImage(product),
    /Cannot render .*: it has no radial or raster data/,
  );
});

Deno.test("renderProductImage() renders every radial and raster product of the corpus", async () => {
  // The expected files name each file's data kind; reduced size (1 km
  // pixels) keeps the run short. A product with codes that the table
  // colours must draw pixels (values below a table's first stop, such as
  // 0 in of rain, are not drawn); a null product has no data and is
  // refused.
  const renderable = new Set(["radial", "generic_radial", "raster"]);
  const names = [...Deno.readDirSync(new URL("level3/", CORPUS))]
    .map((entry) => entry.name)
    .sort();
  let rendered = 0;
  for (const name of names) {
    const expected = JSON.parse(
      Deno.readTextFileSync(new URL(`expected/level3/${name}.json`, CORPUS)),
    );
    const product = await decodeProduct(
      Deno.readFileSync(new URL(`level3/${name}`, CORPUS)),
      { source: name },
    ).catch(() => null); // General Status and free-text messages
    if (product?.nullProduct) {
      assert.equal(product.data, null, name);
      await assert.rejects(() => renderProductImage(product), RangeError);
      continue;
    }
    if (!renderable.has(expected.data?.kind)) continue;

    assert.ok(product?.data, `${name}: no data decoded`);
    const image = await renderProductImage(product, { resolutionM: 1000 });
    const png = decodePng(image.png);
    let drawn = 0;
    for (const index of png.data) if (index !== 0) drawn++;
    const coloured = product.data.raw.some((code) =>
      image.palette.colourIndex[code] !== 0
    );
    assert.equal(drawn > 0, coloured, `${name}: ${drawn} pixels drawn`);
    rendered++;
  }
  // 119 radial, 2 generic radial and 18 raster files (expected/ README).
  assert.equal(rendered, 139);
});

Deno.test("renderProductImage() colours codes by their values", async () => {
  // Values worked out by hand from each file's threshold halfwords (in
  // its expected file): legacy velocity code 14 is 0x0240 = +64 kt and
  // code 15 is 0x8003 = range folded; legacy VIL code 2 is 0x0005 = 5
  // kg/m2; EET code 20 is ((20 & 0x7f) - 2) / 1 = 18 kft (mask 0x7f,
  // scale 1, offset 2); CFC code 4 is the control code 4. Code 1 of the
  // one-hour (N1P) and three-hour (N3P) precipitation is 0x2800, ">0.00"
  // in, below code 2 (0x2001 = 0.05 in, 0x2005 = 0.25 in): it takes the
  // table's first stop above 0, 0.01 in.
  const cases: [
    file: string,
    table: DefaultTableName,
    code: number,
    value: number | "rangeFolded",
  ][] = [
    ["KOUN_SDUS54_N0VTLX_201305202016", "velocityKnots", 14, 64],
    ["KOUN_SDUS54_N0VTLX_201305202016", "velocityKnots", 15, "rangeFolded"],
    ["KLSX_SDUS53_NVLLSX_202112110130", "VIL", 2, 5],
    ["AMX_EET_2026_07_10_04_57_17", "echoTops", 20, 18],
    ["KOUN_SDUS64_NC1TLX_201305202354", "controlCode", 4, 4],
    ["KFTG_N1P_20041122_183757", "precipitation", 1, 0.01],
    ["KFTG_N1P_20041122_183757", "precipitation", 2, 0.05],
    ["KLSX_SDUS63_N3PLSX_202112110209", "precipitation", 1, 0.01],
  ];
  for (const [file, name, code, value] of cases) {
    const product = await decodeProduct(
      Deno.readFileSync(new URL(`level3/${file}`, CORPUS)),
      { source: file },
    );
    const image = await renderProductImage(product, { resolutionM: 4000 });
    const table = defaultColourTable(name);
    const expected = value === "rangeFolded"
      ? table.rangeFolded
      : colourOfValue(table, value);
    const { colours, colourIndex } = image.palette;
    assert.deepEqual(colours[colourIndex[code]], expected, `${file} ${code}`);
  }
});
