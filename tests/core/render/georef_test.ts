/**
 * Georeferencing of rendered sweeps against gate positions computed
 * independently of this project. For the lowest reflectivity sweep of each
 * Level 2 file, `expected/georef/<name>.json` of the shared corpus lists
 * about 1900 gates. Their centre longitude and latitude come from pyproj
 * (WGS84 geodesic) and the 4/3 earth beam model.
 */

import assert from "node:assert/strict";
import { decode as decodePng } from "fast-png";
import { ChunkedVolume } from "../../../core/level2/chunks.ts";
import { decodeVolume } from "../../../core/level2/decode.ts";
import type { Volume } from "../../../core/radar/volume.ts";
import {
  LOCATE_STRIDE,
  locatePolarPoints,
} from "../../../core/render/polar_grid.ts";
import { parsePalFile } from "../../../core/render/pal_file.ts";
import {
  renderSweepImage,
  sweepRaster,
} from "../../../core/render/sweep_image.ts";
import {
  coveringCell,
  fromMercator,
  toMercator,
} from "./_reference_geodesy.ts";

const CORPUS = new URL("../../../../shared/data/nexrad/", import.meta.url);
const GEOREF = new URL("expected/georef/", CORPUS);

// deno-lint-ignore no-explicit-any
type Json = any;
type Row = [
  radial: number,
  gate: number,
  azimuthDeg: number,
  elevationDeg: number,
  slantRangeM: number,
  rawCode: number,
  groundM: number,
  heightM: number,
  lon: number,
  lat: number,
];

/** Slack for the renderer's slant range against the georef file's. */
const SLANT_RANGE_TOLERANCE_M = 5;
/** Gates nearer than this to the antenna (legacy data) have no azimuth. */
const MIN_SLANT_RANGE_M = 100;
/** Pixel centres nearer than this to a gate or radial edge are skipped. */
const EDGE_MARGIN_M = 10;
/** Resolution of the rendered test images; the gates are 250 m to 1 km. */
const TEST_RESOLUTION_M = 400;

/**
 * A grey ramp over every REF code. Codes 2 to 255 are -32 to 94.5 dBZ in
 * half-dB steps, and one grey level per half dB gives each code its own
 * colour. A pixel showing a neighbouring gate therefore fails the check.
 */
const GREY_RAMP = parsePalFile(
  "Color: -32 0 0 0\nColor: 95 254 254 254\nRF: 255 0 255",
  "grey ramp",
);

const names = [...Deno.readDirSync(GEOREF)]
  .map((entry) => entry.name.replace(/\.json$/, ""))
  .sort();

async function readVolume(name: string): Promise<Volume> {
  const file = new URL(`level2/${name}`, CORPUS);
  try {
    return await decodeVolume(Deno.readFileSync(file), { source: name });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  // Chunk sets are folders of real-time chunks, read in name order.
  const folder = new URL(`level2/chunks/${name}/`, CORPUS);
  const chunked = new ChunkedVolume(name);
  const chunkNames = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
  for (const chunk of chunkNames) {
    await chunked.add(chunk, Deno.readFileSync(new URL(chunk, folder)));
  }
  return chunked.volume();
}

function readGeoref(name: string): Json {
  return JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, GEOREF)));
}

/** Returns the georef file's radar position as a renderer location. */
function locationOf(georef: Json) {
  return {
    latitudeDeg: georef.radar.lat,
    longitudeDeg: georef.radar.lon,
    siteHeightM: 0,
    feedhornHeightM: 0,
  };
}

for (const name of names) {
  Deno.test(`locatePolarPoints() finds the georef gates of ${name}`, async () => {
    const georef = readGeoref(name);
    const volume = await readVolume(name);
    const sweepIndex = georef.sweep.index;
    assert.equal(
      volume.sweeps[sweepIndex].elevationNumber,
      georef.sweep.elevation_number,
    );
    const raster = sweepRaster(volume, sweepIndex, "REF", locationOf(georef));
    const rows: Row[] = georef.rows;
    const points = new Float64Array(rows.flatMap((row) => [row[8], row[9]]));
    const located = locatePolarPoints(raster, points);

    rows.forEach((row, i) => {
      // A gate centred on the antenna has no azimuth to check.
      if (row[4] < MIN_SLANT_RANGE_M) return;
      const at = i * LOCATE_STRIDE;
      const where = `row ${i} (radial ${row[0]}, gate ${row[1]}, azimuth ` +
        `${row[2]}, ${(row[6] / 1000).toFixed(1)} km)`;
      assert.equal(located[at + 3], row[0], `radial of ${where}`);
      assert.equal(located[at + 4], row[1], `gate of ${where}`);
      const slantError = Math.abs(located[at + 2] - row[4]);
      assert.ok(
        slantError < SLANT_RANGE_TOLERANCE_M,
        `slant range of ${where} is off by ${slantError.toFixed(2)} m`,
      );
    });
  });

  Deno.test(`renderSweepImage() puts the georef gates of ${name} in place`, async () => {
    const georef = readGeoref(name);
    const volume = await readVolume(name);
    const sweepIndex = georef.sweep.index;
    const location = locationOf(georef);
    const image = await renderSweepImage(volume, sweepIndex, "REF", {
      location,
      resolutionM: TEST_RESOLUTION_M,
      colourTable: GREY_RAMP,
    });
    const png = decodePng(image.png);
    const { nw, se } = image.metadata.bounding_box_lon_lat;
    const [west, north] = toMercator(nw[0], nw[1]);
    const [east, south] = toMercator(se[0], se[1]);
    const pixelX = (east - west) / png.width;
    const pixelY = (north - south) / png.height;

    const sweep = volume.sweeps[sweepIndex];
    const moment = sweep.moments.REF!;
    const cells = {
      centresDeg: sweep.azimuthsDeg,
      spacingsDeg: sweep.azimuthSpacingsDeg,
      elevationsDeg: sweep.elevationsDeg,
      firstGateM: moment.firstGateRangeKm * 1000,
      gateIntervalM: moment.gateIntervalKm * 1000,
      gateCount: moment.gateCount,
    };
    const colourOfCode = (
      code: number,
    ) => [...image.palette.colours[image.palette.colourIndex[code]]];
    let checked = 0;
    let opaque = 0;
    const rows: Row[] = georef.rows;
    for (const [i, row] of rows.entries()) {
      // The georef gate's own code, as decoded: the data under test.
      const code = moment.raw[row[0] * moment.gateCount + row[1]];
      assert.equal(code, row[5], `raw code of row ${i}`);

      // The pixel holding the gate centre, through the published corners.
      const [x, y] = toMercator(row[8], row[9]);
      const column = Math.floor((x - west) / pixelX);
      const line = Math.floor((north - y) / pixelY);
      assert.ok(column >= 0, `column of row ${i}`);
      assert.ok(column < png.width, `column of row ${i}`);
      assert.ok(line >= 0, `line of row ${i}`);
      assert.ok(line < png.height, `line of row ${i}`);

      // Which gate covers that pixel's centre, by the reference geometry.
      const [lon, lat] = fromMercator(
        west + (column + 0.5) * pixelX,
        north - (line + 0.5) * pixelY,
      );
      const covering = coveringCell(cells, location, lon, lat, EDGE_MARGIN_M);
      if (covering === null) continue;
      checked++;
      const index = png.data[line * png.width + column];
      const actual = [...(png.palette![index] as number[])];
      const expectedCode =
        covering.gate < moment.radialGateCounts[covering.radial]
          ? moment.raw[covering.radial * moment.gateCount + covering.gate]
          : 0;
      const expected = colourOfCode(expectedCode);
      if (expected[3] !== 0) opaque++;
      assert.deepEqual(
        actual,
        expected,
        `pixel ${column},${line} of row ${i} (radial ${row[0]}, gate ` +
          `${row[1]}) should show radial ${covering.radial} gate ` +
          `${covering.gate} (code ${expectedCode})`,
      );
    }
    // The skipped pixels sit on an edge; most must be checked, and enough
    // must carry echo for the check to see a misplaced image.
    assert.ok(
      checked >= 0.75 * rows.length,
      `only ${checked} of ${rows.length} pixels checked`,
    );
    assert.ok(opaque >= 10, `only ${opaque} checked pixels carry echo`);
  });
}
