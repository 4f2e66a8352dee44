import assert from "node:assert/strict";
import { geodesicDestination } from "../../../core/render/geodesy.ts";
import {
  LOCATE_STRIDE,
  locatePolarPoints,
  planGrid,
  type PolarRaster,
  resamplePolarGrid,
} from "../../../core/render/polar_grid.ts";
import { inflateIdat, rowsOf } from "./_png_chunks.ts";
import {
  fromMercator,
  toMercator,
  vincentyInverse,
} from "./_reference_geodesy.ts";

/** Returns a raster with one code per gate, the same on every radial. */
function ringRaster(options: {
  azimuthsDeg: number[];
  spacingDeg: number;
  gateCount?: number;
  latitudeDeg?: number;
}): PolarRaster {
  const gateCount = options.gateCount ?? 240;
  const radialCount = options.azimuthsDeg.length;
  const raw = new Uint8Array(radialCount * gateCount);
  for (let k = 0; k < radialCount; k++) {
    for (let g = 0; g < gateCount; g++) {
      raw[k * gateCount + g] = 2 + (g % 250);
    }
  }
  return {
    radarLatitudeDeg: options.latitudeDeg ?? 35.3334,
    radarLongitudeDeg: -97.2778,
    elevationAngleDeg: 0.5,
    azimuthsDeg: options.azimuthsDeg,
    azimuthSpacingsDeg: new Array(radialCount).fill(options.spacingDeg),
    gateCount,
    firstGateRangeKm: 2.125,
    gateIntervalKm: 1,
    raw,
  };
}

/** Colour index that paints every data code (2..255) as itself. */
const IDENTITY = Uint8Array.from({ length: 256 }, (_, code) => code);

function azimuths(count: number, startDeg: number): number[] {
  return Array.from(
    { length: count },
    (_, k) => (startDeg + (k * 360) / count) % 360,
  );
}

Deno.test("locatePolarPoints() agrees with Vincenty within 2 m", () => {
  // Radar latitudes from Guam (13 N) to Alaska (65 N); 16 azimuths, every
  // 5 km out to 500 km. The points come from the project's Vincenty
  // direct solution, checked here against the test's own inverse one.
  let worstRange = 0;
  let worstAcross = 0;
  for (const latitude of [13.45, 18.1, 30.7, 35.33, 45.69, 55.2, 64.8]) {
    const raster = ringRaster({
      azimuthsDeg: [0],
      spacingDeg: 1,
      latitudeDeg: latitude,
    });
    const expected: { azimuth: number; distance: number }[] = [];
    const points: number[] = [];
    for (let azimuth = 0; azimuth < 360; azimuth += 22.5) {
      for (let distance = 5000; distance <= 500000; distance += 5000) {
        const [lon, lat] = geodesicDestination(
          raster.radarLongitudeDeg,
          latitude,
          azimuth,
          distance,
        );
        const check = vincentyInverse(
          raster.radarLongitudeDeg,
          latitude,
          lon,
          lat,
        );
        assert.ok(Math.abs(check.distanceM - distance) < 1e-3);
        expected.push({ azimuth, distance });
        points.push(lon, lat);
      }
    }
    const located = locatePolarPoints(raster, new Float64Array(points));
    expected.forEach(({ azimuth, distance }, i) => {
      const at = i * LOCATE_STRIDE;
      const turn = ((located[at] - azimuth + 540) % 360) - 180;
      worstRange = Math.max(
        worstRange,
        Math.abs(located[at + 1] - distance),
      );
      worstAcross = Math.max(
        worstAcross,
        Math.abs(turn * Math.PI / 180) * distance,
      );
    });
  }
  assert.ok(worstRange < 2, `ground range off by ${worstRange} m`);
  assert.ok(worstAcross < 2, `azimuth off by ${worstAcross} m across`);
});

Deno.test("planGrid() covers the maximum range in whole pixels", () => {
  const raster = ringRaster({ azimuthsDeg: azimuths(360, 0.5), spacingDeg: 1 });
  const grid = planGrid(raster, { resolutionM: 1000 });
  const { nw, se } = grid.boundingBox;
  const [west, north] = toMercator(nw[0], nw[1]);
  const [east, south] = toMercator(se[0], se[1]);
  assert.ok(Math.abs((east - west) / grid.width - grid.pixelSizeM) < 1e-6);
  assert.ok(Math.abs((north - south) / grid.height - grid.pixelSizeM) < 1e-6);
  // The farthest gate edge (2.125 + 239.5 km slant) lies inside every edge.
  for (const azimuth of [0, 90, 180, 270]) {
    const [lon, lat] = geodesicDestination(
      raster.radarLongitudeDeg,
      raster.radarLatitudeDeg,
      azimuth,
      241.5e3,
    );
    assert.ok(lon > nw[0], `west edge at ${azimuth}`);
    assert.ok(lon < se[0], `east edge at ${azimuth}`);
    assert.ok(lat < nw[1], `north edge at ${azimuth}`);
    assert.ok(lat > se[1], `south edge at ${azimuth}`);
  }
});

Deno.test("resamplePolarGrid() draws a symmetric sweep symmetric", () => {
  // Rotationally symmetric data: the image must mirror about the radar's
  // meridian, which runs through the middle of the image.
  const raster = ringRaster({
    azimuthsDeg: azimuths(720, 0.25),
    spacingDeg: 0.5,
  });
  const grid = planGrid(raster, { resolutionM: 1000 });
  const image = resamplePolarGrid(raster, grid, IDENTITY);
  let opaque = 0;
  let mismatched = 0;
  for (let row = 0; row < grid.height; row++) {
    for (let column = 0; column < grid.width; column++) {
      const left = image[row * grid.width + column];
      const right = image[row * grid.width + grid.width - 1 - column];
      if (left !== 0) opaque++;
      if (left !== right) mismatched++;
    }
  }
  // Pixel centres within a metre of a gate edge may round either way.
  assert.ok(opaque > 0.7 * grid.width * grid.height, `${opaque} opaque`);
  assert.ok(mismatched < 1e-3 * opaque, `${mismatched} pixels differ`);
});

Deno.test("resamplePolarGrid() leaves missing radials transparent", () => {
  // 1-degree radials with 90..100 degrees missing: the ten-degree wedge is
  // empty, its neighbours are drawn, and so is the rest of the circle.
  const all = azimuths(360, 0.5);
  const raster = ringRaster({
    azimuthsDeg: all.filter((azimuth) => azimuth < 90 || azimuth > 100),
    spacingDeg: 1,
  });
  const grid = planGrid(raster, { resolutionM: 1000 });
  const image = resamplePolarGrid(raster, grid, IDENTITY);
  const located = locatePixels(raster, grid, image);
  let inGap = 0;
  for (const { azimuth, range, index } of located) {
    if (range < 5000 || range > 230000) continue;
    if (azimuth > 90.2 && azimuth < 99.8) {
      inGap++;
      assert.equal(index, 0, `pixel at ${azimuth} degrees, ${range} m`);
    } else if (azimuth < 89.8 || azimuth > 100.2) {
      assert.notEqual(index, 0, `pixel at ${azimuth} degrees, ${range} m`);
    }
  }
  assert.ok(inGap > 100, `only ${inGap} pixels in the gap`);
});

Deno.test("resamplePolarGrid() draws no seam at north", () => {
  // Jittered azimuths in file order starting at 180 degrees, so the list
  // wraps through north in the middle. Every pixel in range is drawn,
  // including the columns on the radar's meridian, which some of these
  // resolutions centre exactly on it (odd widths).
  const jittered = azimuths(720, 180.25).map((azimuth, k) =>
    (azimuth + 0.02 * Math.sin(k * 1.7) + 360) % 360
  );
  const raster = ringRaster({ azimuthsDeg: jittered, spacingDeg: 0.5 });
  for (const resolutionM of [500, 501, 503, 509]) {
    const grid = planGrid(raster, { resolutionM });
    const image = resamplePolarGrid(raster, grid, IDENTITY);
    const middle = grid.width >> 1;
    let nearNorth = 0;
    for (
      const pixel of locatePixels(raster, grid, image, [middle - 2, middle + 2])
    ) {
      if (pixel.range < 3000 || pixel.range > 238000) continue;
      if (pixel.azimuth < 2 || pixel.azimuth > 358) nearNorth++;
      assert.notEqual(
        pixel.index,
        0,
        `pixel ${pixel.column},${pixel.row} of a ${grid.width}-pixel-wide ` +
          `image at ${pixel.azimuth} degrees, ${pixel.range} m`,
      );
    }
    assert.ok(nearNorth > 100, `only ${nearNorth} pixels near north`);
  }
});

Deno.test("resamplePolarGrid() honours each radial's gate count", () => {
  const raster = ringRaster({ azimuthsDeg: azimuths(360, 0.5), spacingDeg: 1 });
  raster.radialGateCounts = new Uint16Array(360).fill(240);
  raster.radialGateCounts.fill(100, 0, 180);
  const grid = planGrid(raster, { resolutionM: 1000 });
  const image = resamplePolarGrid(raster, grid, IDENTITY);
  for (const { azimuth, range, index } of locatePixels(raster, grid, image)) {
    if (azimuth < 1 || (azimuth > 179 && azimuth < 181) || azimuth > 359) {
      continue;
    }
    if (azimuth < 180 && range > 105000) {
      assert.equal(index, 0, `pixel at ${azimuth} degrees, ${range} m`);
    }
    if (azimuth > 180 && range > 105000 && range < 230000) {
      assert.notEqual(index, 0, `pixel at ${azimuth} degrees, ${range} m`);
    }
  }
});

Deno.test("planGrid() rejects an image larger than the limit", () => {
  const raster = ringRaster({ azimuthsDeg: azimuths(360, 0.5), spacingDeg: 1 });
  assert.throws(() => planGrid(raster, { resolutionM: 10 }), RangeError);
  assert.throws(() => planGrid(raster, { resolutionM: 0 }), RangeError);
});

Deno.test("resamplePolarGrid() rejects inconsistent rasters", () => {
  const raster = ringRaster({ azimuthsDeg: azimuths(360, 0.5), spacingDeg: 1 });
  const grid = planGrid(raster, { resolutionM: 2000 });
  assert.throws(
    () =>
      resamplePolarGrid(
        { ...raster, raw: raster.raw.subarray(1) },
        grid,
        IDENTITY,
      ),
    /raw has 86399 codes, expected 360 radials x 240 gates/,
  );
  assert.throws(
    () => resamplePolarGrid(raster, grid, new Uint8Array(65536)),
    /expected 256/,
  );
});

/**
 * Azimuth and range by Vincenty of the centre of every other pixel, or of
 * every pixel of the columns `columns` (first and last), with its index.
 */
function locatePixels(
  raster: PolarRaster,
  grid: ReturnType<typeof planGrid>,
  image: Uint8Array,
  columns?: [number, number],
): {
  azimuth: number;
  range: number;
  index: number;
  column: number;
  row: number;
}[] {
  const result = [];
  const step = columns === undefined ? 2 : 1;
  const [first, last] = columns ?? [0, grid.width - 1];
  for (let row = 0; row < grid.height; row += step) {
    for (let column = first; column <= last; column += step) {
      const x = grid.westXM + (column + 0.5) * grid.pixelSizeM;
      const y = grid.northYM - (row + 0.5) * grid.pixelSizeM;
      const [lon, lat] = fromMercator(x, y);
      const { distanceM, azimuthDeg } = vincentyInverse(
        raster.radarLongitudeDeg,
        raster.radarLatitudeDeg,
        lon,
        lat,
      );
      result.push({
        azimuth: azimuthDeg,
        range: distanceM,
        index: image[row * grid.width + column],
        column,
        row,
      });
    }
  }
  return result;
}

Deno.test("resamplePolarGrid() fills blocks exactly as pixel by pixel", async () => {
  // Real sweeps with echo, empty sky, range folding, gaps and several
  // elevation groups, at the default and a coarser resolution, and a
  // synthetic sweep of random codes with a missing wedge.
  const { decodeVolume } = await import("../../../core/level2/decode.ts");
  const { sweepRaster } = await import("../../../core/render/sweep_image.ts");
  const corpus = new URL(
    "../../../../shared/data/nexrad/level2/",
    import.meta.url,
  );
  const cases: [string, number, "REF" | "VEL", number][] = [
    ["KTLX20190715_120037_V06", 0, "REF", 340],
    ["KTLX20190525_222419_V06_3sweeps", 1, "VEL", 700],
    ["KLOT20220317_000842_V06", 0, "REF", 700],
    ["TDAL20191021021543V08.raw.gz", 0, "REF", 500],
  ];
  for (const [file, sweep, moment, resolutionM] of cases) {
    const volume = await decodeVolume(
      Deno.readFileSync(new URL(file, corpus)),
      { source: file },
    );
    const raster = sweepRaster(volume, sweep, moment);
    // Each code its own index, so a wrong gate shows even inside a run.
    const grid = planGrid(raster, { resolutionM });
    const blocks = resamplePolarGrid(raster, grid, IDENTITY);
    const pixels = resamplePolarGrid(raster, grid, IDENTITY, {
      everyPixel: true,
    });
    const differing = blocks.findIndex((index, i) => index !== pixels[i]);
    assert.equal(differing, -1, `${file} differs at pixel ${differing}`);
  }

  const all = azimuths(720, 0.25);
  const raster = ringRaster({
    azimuthsDeg: all.filter((azimuth) => azimuth < 200 || azimuth > 230),
    spacingDeg: 0.5,
  });
  let seed = 1;
  raster.raw = raster.raw.map(() => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % 7 === 0 ? 2 + (seed % 200) : 0;
  });
  const grid = planGrid(raster, { resolutionM: 300 });
  const blocks = resamplePolarGrid(raster, grid, IDENTITY);
  const pixels = resamplePolarGrid(raster, grid, IDENTITY, {
    everyPixel: true,
  });
  assert.deepEqual(blocks, pixels);
});

Deno.test("resamplePolarGrid() compresses the same pixels with idat", () => {
  // The IDAT chunk's zlib data, inflated by node:zlib, must be the plain
  // image's rows, each after filter type byte 0.
  const raster = ringRaster({
    azimuthsDeg: azimuths(720, 0.25),
    spacingDeg: 0.5,
  });
  let seed = 7;
  raster.raw = raster.raw.map((code) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % 3 === 0 ? 0 : code;
  });
  const grid = planGrid(raster, { resolutionM: 700 });
  const indices = resamplePolarGrid(raster, grid, IDENTITY);
  const chunk = resamplePolarGrid(raster, grid, IDENTITY, { idat: true });

  const { rows } = inflateIdat(chunk);
  assert.deepEqual(rows, rowsOf(indices, grid.width));
});

Deno.test("resamplePolarGrid() fills blocks exactly where rows bend", () => {
  // One colour per radial, so a block whose two ends lie in one radial is
  // filled with their colour. Where a row runs almost along a radial, its
  // bend can carry the pixels between into the next radial. Each case below
  // has such blocks.
  const cases: [number, number][] = [
    [35, 4000],
    [48, 500],
    [61, 9000],
    [65, 2000],
  ];
  for (const [latitudeDeg, resolutionM] of cases) {
    const raster = ringRaster({
      azimuthsDeg: azimuths(720, 0.25),
      spacingDeg: 0.5,
      gateCount: 460,
      latitudeDeg,
    });
    raster.raw = raster.raw.map((_, i) => 1 + (Math.floor(i / 460) % 255));
    const grid = planGrid(raster, { resolutionM });
    const blocks = resamplePolarGrid(raster, grid, IDENTITY);
    const pixels = resamplePolarGrid(raster, grid, IDENTITY, {
      everyPixel: true,
    });
    const differing = blocks.findIndex((index, i) => index !== pixels[i]);
    assert.equal(
      differing,
      -1,
      `${latitudeDeg} N at ${resolutionM} m differs at pixel ${differing}`,
    );
  }
});

Deno.test("resamplePolarGrid() rejects gates too fine for the range", () => {
  // 1 mm gates out to 400 km would need hundreds of millions of gate
  // lookup entries.
  // The module rejects them instead of aborting, and the next call works.
  const raster = ringRaster({
    azimuthsDeg: [0, 90, 180, 270],
    spacingDeg: 90,
    gateCount: 10,
  });
  raster.firstGateRangeKm = 400;
  raster.gateIntervalKm = 1e-6;
  const grid = planGrid(raster, { resolutionM: 1000 });
  assert.throws(
    () => resamplePolarGrid(raster, grid, IDENTITY),
    (error: Error) =>
      error.name === "Error" && /gates are too fine/.test(error.message),
  );
  assert.throws(
    () => locatePolarPoints(raster, new Float64Array([-97.2778, 38.9])),
    /gates are too fine/,
  );

  const usual = ringRaster({
    azimuthsDeg: azimuths(720, 0.25),
    spacingDeg: 0.5,
  });
  const image = resamplePolarGrid(usual, planGrid(usual), IDENTITY);
  assert.ok(image.some((index) => index !== 0));
});
