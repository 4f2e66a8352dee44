/**
 * Raster products (packet 0xBA07) on the Web Mercator image: the sampled
 * cells' raw codes (from the expected files, decoded by MetPy) must show
 * in the pixels whose centres the reference geometry puts in those cells.
 *
 * Reference geometry: the raster is a square of `cell` km cells centred at
 * the radar, rows north first, on an azimuthal equidistant plane: a point
 * at Vincenty distance d and azimuth a lies at x = d sin a, y = d cos a,
 * in column floor(x / cell + columns / 2) and row floor(rows / 2 - y /
 * cell).
 */

import assert from "node:assert/strict";
import { decode as decodePng } from "fast-png";
import { decodeProduct } from "../../../core/level3/decode.ts";
import { geodesicDestination } from "../../../core/render/geodesy.ts";
import {
  planCartesianGrid,
  resampleCartesianGrid,
} from "../../../core/render/cartesian_grid.ts";
import { planGridAround } from "../../../core/render/polar_grid.ts";
import { renderProductImage } from "../../../core/render/product_image.ts";
import {
  fromMercator,
  toMercator,
  vincentyInverse,
} from "./_reference_geodesy.ts";

const CORPUS = new URL("../../../../shared/data/nexrad/", import.meta.url);

// Composite reflectivity (37, 1 km cells), echo tops (41) and VIL (57,
// both 4 km cells), with the pixel size a quarter of a cell or less.
const PRODUCTS: [file: string, resolutionM: number][] = [
  ["Level3_STL_NCR_20211211_0200.nids", 250],
  ["KOUN_SDUS74_NETTLX_201305202016", 1000],
  ["KLSX_SDUS53_NVLLSX_202112110130", 1000],
];

/** Pixels whose centre lies this near a cell edge are not checked. */
const EDGE_MARGIN_KM = 0.05;

for (const [file, resolutionM] of PRODUCTS) {
  Deno.test(`renderProductImage() places the sampled cells of ${file}`, async () => {
    const expected = JSON.parse(
      Deno.readTextFileSync(new URL(`expected/level3/${file}.json`, CORPUS)),
    );
    const product = await decodeProduct(
      Deno.readFileSync(new URL(`level3/${file}`, CORPUS)),
      { source: file },
    );
    const data = product.data!;
    assert.equal(data.kind, "grid");
    if (data.kind !== "grid") return;
    assert.equal(data.rowCount, expected.data.n_rows.value);
    assert.equal(data.columnCount, expected.data.n_cols.value);
    const image = await renderProductImage(product, { resolutionM });
    const png = decodePng(image.png);
    const { nw, se } = image.metadata.bounding_box_lon_lat;
    const [west, north] = toMercator(nw[0], nw[1]);
    const [east, south] = toMercator(se[0], se[1]);
    const pixelX = (east - west) / png.width;
    const pixelY = (north - south) / png.height;
    const { longitudeDeg: lon0, latitudeDeg: lat0 } = product.location;
    const cell = data.cellSizeKm!;

    const positions: [number, number][] = expected.data.samples.positions;
    const codes: number[] = expected.data.samples.raw_codes;
    let checked = 0;
    positions.forEach(([row, column], i) => {
      // The cell centre on the plane, then on the map.
      const x = (column + 0.5 - data.columnCount / 2) * cell;
      const y = (data.rowCount / 2 - row - 0.5) * cell;
      const azimuth = (Math.atan2(x, y) * 180) / Math.PI;
      const [lon, lat] = geodesicDestination(
        lon0,
        lat0,
        azimuth,
        Math.hypot(x, y) * 1000,
      );
      const [mx, my] = toMercator(lon, lat);
      const pixelColumn = Math.floor((mx - west) / pixelX);
      const line = Math.floor((north - my) / pixelY);
      if (line < 0 || line >= png.height) return; // a corner off the image

      // The pixel centre's cell by the reference geometry.
      const [centreLon, centreLat] = fromMercator(
        west + (pixelColumn + 0.5) * pixelX,
        north - (line + 0.5) * pixelY,
      );
      const { distanceM, azimuthDeg } = vincentyInverse(
        lon0,
        lat0,
        centreLon,
        centreLat,
      );
      const a = (azimuthDeg * Math.PI) / 180;
      const u = (distanceM / 1000) * Math.sin(a) / cell + data.columnCount / 2;
      const v = data.rowCount / 2 - (distanceM / 1000) * Math.cos(a) / cell;
      const nearEdge = (t: number) =>
        Math.abs(t - Math.round(t)) * cell < EDGE_MARGIN_KM;
      if (nearEdge(u) || nearEdge(v)) return;
      if (Math.floor(u) !== column || Math.floor(v) !== row) return;
      checked++;
      const index = png.data[line * png.width + pixelColumn];
      const colour = image.palette.colours[image.palette.colourIndex[codes[i]]];
      assert.deepEqual(
        [...(png.palette![index] as number[])],
        colour,
        `sample ${i} (row ${row}, column ${column}, code ${codes[i]})`,
      );
    });
    assert.ok(checked >= 4, `only ${checked} samples checked`);
  });
}

Deno.test("resampleCartesianGrid() matches Vincenty out to 460 km", () => {
  // A 230 x 230 raster of 4 km cells with a code per cell (1 to 250, so
  // neighbours differ), at radar latitudes from the tropics to Alaska. The
  // code of every 7th pixel in both directions must be that of the cell
  // the reference geometry puts its centre in.
  const rowCount = 230;
  const columnCount = 230;
  const cellSizeKm = 4;
  const raw = new Uint8Array(rowCount * columnCount);
  raw.forEach((_, k) => raw[k] = (k % 250) + 1);
  const colourIndex = Uint8Array.from({ length: 256 }, (_, code) => code);
  for (const lat0 of [18, 35.333, 64.5]) {
    const lon0 = -97.278;
    const raster = {
      radarLatitudeDeg: lat0,
      radarLongitudeDeg: lon0,
      rowCount,
      columnCount,
      cellSizeKm,
      raw,
    };
    const grid = planCartesianGrid(raster, { resolutionM: 1000 });
    const image = resampleCartesianGrid(raster, grid, colourIndex);
    let checked = 0;
    for (let line = 3; line < grid.height; line += 7) {
      for (let column = 3; column < grid.width; column += 7) {
        const [lon, lat] = fromMercator(
          grid.westXM + (column + 0.5) * grid.pixelSizeM,
          grid.northYM - (line + 0.5) * grid.pixelSizeM,
        );
        const { distanceM, azimuthDeg } = vincentyInverse(lon0, lat0, lon, lat);
        const a = (azimuthDeg * Math.PI) / 180;
        const u = (distanceM / 1000) * Math.sin(a) / cellSizeKm +
          columnCount / 2;
        const v = rowCount / 2 - (distanceM / 1000) * Math.cos(a) / cellSizeKm;
        const nearEdge = (t: number) =>
          Math.abs(t - Math.round(t)) * cellSizeKm < EDGE_MARGIN_KM;
        if (nearEdge(u) || nearEdge(v)) continue;
        const inside = u >= 0 && u < columnCount && v >= 0 && v < rowCount;
        const expected = inside
          ? raw[Math.floor(v) * columnCount + Math.floor(u)]
          : 0;
        assert.equal(
          image[line * grid.width + column],
          expected,
          `${lat0} N: pixel ${column}, ${line}`,
        );
        checked++;
      }
    }
    assert.ok(checked > 10_000, `only ${checked} pixels checked`);
  }
});

Deno.test("resampleCartesianGrid() puts row 0 north and column 0 west", () => {
  // A 2 x 2 raster of 10 km cells with codes 1 2 / 3 4: the image's
  // top-left quarter shows code 1, bottom-right code 4.
  const raster = {
    radarLatitudeDeg: 40,
    radarLongitudeDeg: -100,
    rowCount: 2,
    columnCount: 2,
    cellSizeKm: 10,
    raw: new Uint8Array([1, 2, 3, 4]),
  };
  const grid = planGridAround(-100, 40, 10_000, { resolutionM: 1000 });
  const colourIndex = new Uint8Array(256);
  colourIndex.set([0, 11, 12, 13, 14]);
  const image = resampleCartesianGrid(raster, grid, colourIndex);
  const at = (fx: number, fy: number) =>
    image[
      Math.floor(fy * grid.height) * grid.width + Math.floor(fx * grid.width)
    ];
  assert.deepEqual(
    [at(0.3, 0.3), at(0.7, 0.3), at(0.3, 0.7), at(0.7, 0.7)],
    [11, 12, 13, 14],
  );
});

Deno.test("resampleCartesianGrid() fills blocks as every-pixel does", () => {
  // A 464 x 464 raster of 1 km cells: patches of 29 x 37 cells alternate
  // between code 0 and a code per cell, and every 7th code is transparent
  // too, so both the skipped and the filled blocks occur next to cell
  // edges. Radar latitudes from Guam (13.5 N) to Alaska.
  const rowCount = 464;
  const columnCount = 464;
  const raw = new Uint8Array(rowCount * columnCount);
  for (let v = 0; v < rowCount; v++) {
    for (let u = 0; u < columnCount; u++) {
      const patch = Math.floor(v / 37) + Math.floor(u / 29);
      raw[v * columnCount + u] = patch % 2 === 0 ? 0 : ((u + 3 * v) % 250) + 1;
    }
  }
  const colourIndex = Uint8Array.from(
    { length: 256 },
    (_, code) => code % 7 === 0 ? 0 : code,
  );
  for (const lat0 of [13.5, 18, 35.333, 64.5]) {
    const raster = {
      radarLatitudeDeg: lat0,
      radarLongitudeDeg: 144.8,
      rowCount,
      columnCount,
      cellSizeKm: 1,
      raw,
    };
    const grid = planCartesianGrid(raster, { resolutionM: 170 });
    const blocks = resampleCartesianGrid(raster, grid, colourIndex);
    const pixels = resampleCartesianGrid(raster, grid, colourIndex, {
      everyPixel: true,
    });
    let differing = 0;
    let drawn = 0;
    for (let k = 0; k < blocks.length; k++) {
      if (blocks[k] !== pixels[k]) differing++;
      if (pixels[k] !== 0) drawn++;
    }
    assert.equal(differing, 0, `${lat0} N`);
    assert.ok(drawn > blocks.length / 5, `${lat0} N: ${drawn} pixels drawn`);
  }
});
