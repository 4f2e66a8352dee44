/**
 * Polar rasters and the Web Mercator images they are resampled onto.
 *
 * A {@linkcode PolarRaster} is what Level 2 sweeps and Level 3 radial
 * products have in common: radials of raw codes at known azimuths and
 * ranges. {@linkcode planGrid} chooses the image that covers the raster's
 * maximum range, {@linkcode resamplePolarGrid} fills it with palette indices
 * in WebAssembly, and {@linkcode locatePolarPoints} reports which radial and
 * gate a longitude/latitude falls in, by the same code path.
 *
 * @module
 */

import {
  LOCATE_STRIDE,
  PARAM_COUNT,
  PARAM_EVERY_PIXEL,
  PARAM_FIRST_GATE_RANGE_M,
  PARAM_GATE_COUNT,
  PARAM_GATE_INTERVAL_M,
  PARAM_HEIGHT,
  PARAM_NORTH_Y_M,
  PARAM_PIXEL_SIZE_M,
  PARAM_RADAR_LATITUDE_DEG,
  PARAM_RADAR_LONGITUDE_DEG,
  PARAM_RADIAL_COUNT,
  PARAM_ROW_PREFIX,
  PARAM_SEGMENT_COUNT,
  PARAM_WEST_X_M,
  PARAM_WIDTH,
  PARAM_WORD_SIZE_BITS,
} from "../../assembly/render/grid_layout.ts";
import {
  copyIn,
  copyOut,
  type NexradExports,
  releaseBuffer,
  withWasm,
} from "../wasm/loader.ts";
import { azimuthSegments, segmentCount } from "./azimuth_segments.ts";
import { idatChunkOfRowsInModule } from "./png.ts";
import {
  beamGroundRange,
  geodesicDestination,
  latitudeOfMercatorY,
  longitudeOfMercatorX,
  MERCATOR_RADIUS_M,
  mercatorX,
  mercatorY,
  primeVerticalRadius,
} from "./geodesy.ts";

/** Radials of raw codes around a radar: one sweep or one radial product. */
export interface PolarRaster {
  /** Antenna latitude, degrees north (WGS84). */
  radarLatitudeDeg: number;
  /** Antenna longitude, degrees east (WGS84). */
  radarLongitudeDeg: number;
  /** Elevation of the sweep, degrees; used where `elevationsDeg` is absent. */
  elevationAngleDeg: number;
  /** Measured elevation of each radial, degrees. */
  elevationsDeg?: ArrayLike<number>;
  /** Azimuth of each radial's centre, degrees clockwise from north. */
  azimuthsDeg: ArrayLike<number>;
  /** Azimuthal width of each radial, degrees; else the median step. */
  azimuthSpacingsDeg?: ArrayLike<number>;
  /** Codes per radial in `raw` (the longest radial's gate count). */
  gateCount: number;
  /** Slant range to the centre of the first gate, km. */
  firstGateRangeKm: number;
  /** Distance between gate centres, km. */
  gateIntervalKm: number;
  /** Raw codes, radial-major: gate `g` of radial `r` at `r * gateCount + g`. */
  raw: Uint8Array | Uint16Array;
  /** Gates each radial carried; the codes past that count are not drawn. */
  radialGateCounts?: Uint16Array;
}

/** A point as `[longitudeDeg, latitudeDeg]`, the order map libraries use. */
export type LonLat = [number, number];

/** Image corners: top-left, top-right, bottom-right, bottom-left. */
export interface BoundingBox {
  nw: LonLat;
  ne: LonLat;
  se: LonLat;
  sw: LonLat;
}

/** An image whose rows and columns are evenly spaced in Web Mercator. */
export interface MercatorGrid {
  width: number;
  height: number;
  /** Web Mercator x of the left edge, metres. */
  westXM: number;
  /** Web Mercator y of the top edge, metres. */
  northYM: number;
  /** Side of a pixel in Web Mercator metres. */
  pixelSizeM: number;
  /** The corners of the image, i.e. of its outer pixel edges. */
  boundingBox: BoundingBox;
}

/** Options of {@linkcode planGrid}. */
export interface GridOptions {
  /**
   * Ground size of a pixel at the radar, east-west, metres.
   *
   * @default {340}
   */
  resolutionM?: number;
}

/** Default ground resolution: 2706 pixels across a 460 km sweep. */
export const DEFAULT_RESOLUTION_M = 340;
/** Largest image side the resampler accepts, pixels. */
export const MAX_IMAGE_SIDE = 16384;

/**
 * Returns the ground range of the raster's farthest gate edge, metres: the
 * radius the image must cover.
 */
export function maxGroundRangeM(raster: PolarRaster): number {
  const farEdgeM = (raster.firstGateRangeKm +
    (raster.gateCount - 0.5) * raster.gateIntervalKm) * 1000;
  let lowest = raster.elevationAngleDeg;
  for (const elevation of Array.from(raster.elevationsDeg ?? [])) {
    if (Number.isFinite(elevation)) lowest = Math.min(lowest, elevation);
  }
  return beamGroundRange(Math.max(farEdgeM, 0), lowest);
}

/**
 * Plans the image for a raster: a longitude/latitude rectangle around the
 * circle of its maximum range, in whole pixels of `resolutionM` at the
 * radar.
 *
 * @throws {RangeError} The resolution is not positive or the image would be
 * larger than {@linkcode MAX_IMAGE_SIDE} on a side.
 */
export function planGrid(
  raster: PolarRaster,
  options: GridOptions = {},
): MercatorGrid {
  checkRaster(raster);
  return planGridAround(
    raster.radarLongitudeDeg,
    raster.radarLatitudeDeg,
    maxGroundRangeM(raster),
    options,
  );
}

/**
 * Plans the image around the circle of ground radius `groundRangeM`
 * centred at the radar; see {@linkcode planGrid}.
 *
 * @throws {RangeError} The resolution is not positive or the image would be
 * larger than {@linkcode MAX_IMAGE_SIDE} on a side.
 */
export function planGridAround(
  lon0: number,
  lat0: number,
  groundRangeM: number,
  options: GridOptions = {},
): MercatorGrid {
  const resolutionM = options.resolutionM ?? DEFAULT_RESOLUTION_M;
  if (!(resolutionM > 0)) {
    throw new RangeError(
      `Cannot plan the image: resolutionM must be positive, got ${resolutionM}`,
    );
  }
  const rangeM = Math.max(groundRangeM, resolutionM);

  const north = geodesicDestination(lon0, lat0, 0, rangeM)[1];
  const south = geodesicDestination(lon0, lat0, 180, rangeM)[1];
  let east = lon0;
  let west = lon0;
  // The easternmost point of the range circle lies near azimuth 90; a
  // quarter-degree search keeps the miss under 2 m at 500 km.
  for (let azimuth = 45; azimuth <= 135; azimuth += 0.25) {
    east = Math.max(east, geodesicDestination(lon0, lat0, azimuth, rangeM)[0]);
    west = Math.min(
      west,
      geodesicDestination(lon0, lat0, 360 - azimuth, rangeM)[0],
    );
  }

  // Square pixels in Mercator, `resolutionM` wide on the ground at the radar.
  const pixelSizeM = (resolutionM * MERCATOR_RADIUS_M) /
    (primeVerticalRadius(lat0) * Math.cos((lat0 * Math.PI) / 180));
  const spanX = mercatorX(east) - mercatorX(west);
  const spanY = mercatorY(north) - mercatorY(south);
  const width = Math.ceil(spanX / pixelSizeM);
  const height = Math.ceil(spanY / pixelSizeM);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new RangeError(
      `Cannot plan a ${width} x ${height} image: sides are limited to ` +
        `${MAX_IMAGE_SIDE} pixels, so raise resolutionM above ${resolutionM}`,
    );
  }
  const westXM = mercatorX(west) - (width * pixelSizeM - spanX) / 2;
  const northYM = mercatorY(north) + (height * pixelSizeM - spanY) / 2;
  return {
    width,
    height,
    westXM,
    northYM,
    pixelSizeM,
    boundingBox: cornersOf(westXM, northYM, width, height, pixelSizeM),
  };
}

function cornersOf(
  westXM: number,
  northYM: number,
  width: number,
  height: number,
  pixelSizeM: number,
): BoundingBox {
  const west = longitudeOfMercatorX(westXM);
  const east = longitudeOfMercatorX(westXM + width * pixelSizeM);
  const north = latitudeOfMercatorY(northYM);
  const south = latitudeOfMercatorY(northYM - height * pixelSizeM);
  return {
    nw: [west, north],
    ne: [east, north],
    se: [east, south],
    sw: [west, south],
  };
}

/**
 * Resamples a raster onto `grid`, one palette index per pixel.
 *
 * @param colourIndex Palette index of every raw code: 256 entries for 8-bit
 * codes, 65536 for 16-bit ones; index 0 is transparent.
 * @param options.everyPixel Evaluate every pixel instead of filling blocks
 * proven uniform from their ends; the image is the same, only slower.
 * @param options.idat Return the image's PNG IDAT chunk instead: the
 * module draws each row after its PNG filter type byte and compresses the
 * rows where they are, so the pixels are neither copied nor moved out.
 * @returns `width * height` indices, rows from the top, or the IDAT chunk.
 */
export function resamplePolarGrid(
  raster: PolarRaster,
  grid: MercatorGrid,
  colourIndex: Uint8Array,
  options: { everyPixel?: boolean; idat?: boolean } = {},
): Uint8Array {
  checkRaster(raster);
  const wordSizeBits = raster.raw instanceof Uint16Array ? 16 : 8;
  if (colourIndex.length !== 2 ** wordSizeBits) {
    throw new RangeError(
      `Cannot resample ${wordSizeBits}-bit codes: the colour index has ` +
        `${colourIndex.length} entries, expected ${2 ** wordSizeBits}`,
    );
  }
  const inputs = wasmInputs(raster, grid, wordSizeBits, options);
  const codes = new Uint8Array(
    raster.raw.buffer,
    raster.raw.byteOffset,
    raster.raw.byteLength,
  );
  const image = withWasm((wasm) =>
    callWithBuffers(
      wasm,
      [...inputs, codes, colourIndex],
      (pointers) => (wasm.renderPolarGrid as WasmCall)(...pointers),
      options.idat ? (rows) => idatChunkOfRowsInModule(wasm, rows) : undefined,
    )
  );
  if (image === null) {
    throw new Error(`Cannot resample the raster: ${REJECTED}`);
  }
  return image;
}

/**
 * Locates longitude/latitude points in a raster the way the resampler does.
 *
 * @param lonLat Longitude and latitude pairs, degrees.
 * @returns Per point, {@linkcode LOCATE_STRIDE} values: azimuth (degrees),
 * ground range and slant range (metres), radial index and gate index (-1
 * where no radial or gate covers the point).
 */
export function locatePolarPoints(
  raster: PolarRaster,
  lonLat: Float64Array,
): Float64Array {
  checkRaster(raster);
  const inputs = wasmInputs(raster, undefined, 8);
  const points = new Uint8Array(
    lonLat.buffer,
    lonLat.byteOffset,
    lonLat.byteLength,
  );
  const located = withWasm((wasm) =>
    callWithBuffers(
      wasm,
      [...inputs, points],
      (pointers) => (wasm.locatePolarPoints as WasmCall)(...pointers),
    )
  );
  if (located === null) {
    throw new Error(`Cannot locate points: ${REJECTED}`);
  }
  return new Float64Array(located.buffer, 0, located.byteLength / 8);
}

export { LOCATE_STRIDE };

type WasmCall = (...pointers: number[]) => number;

/** Why the module returns null for a raster that checkRaster accepted. */
const REJECTED = "the module rejected its input, whose buffers disagree " +
  "with its parameters or whose gates are too fine for its range (over " +
  "16.7 million gate lookup entries)";

/**
 * Copies `buffers` in, calls `work`, copies its result out, frees all.
 * With `then`, the result stays in module memory, and what `then` returns
 * is copied out instead.
 */
export function callWithBuffers(
  wasm: NexradExports,
  buffers: Uint8Array[],
  work: (pointers: number[]) => number,
  then?: (result: number) => number,
): Uint8Array | null {
  const pointers: number[] = [];
  try {
    for (const buffer of buffers) pointers.push(copyIn(wasm, buffer));
    const result = work(pointers);
    if (then === undefined || result === 0) return copyOut(wasm, result);
    // Pinned, so the step's own allocations cannot collect it.
    wasm.__pin(result);
    try {
      return copyOut(wasm, then(result));
    } finally {
      wasm.__unpin(result);
    }
  } finally {
    for (const pointer of pointers) releaseBuffer(wasm, pointer);
  }
}

/** Returns the parameter, segment, elevation and gate count buffers. */
function wasmInputs(
  raster: PolarRaster,
  grid: MercatorGrid | undefined,
  wordSizeBits: number,
  options: { everyPixel?: boolean; idat?: boolean } = {},
): Uint8Array[] {
  const radialCount = raster.azimuthsDeg.length;
  const segments = azimuthSegments(
    raster.azimuthsDeg,
    raster.azimuthSpacingsDeg,
  );
  const params = new Float64Array(PARAM_COUNT);
  params[PARAM_RADAR_LATITUDE_DEG] = raster.radarLatitudeDeg;
  params[PARAM_RADAR_LONGITUDE_DEG] = raster.radarLongitudeDeg;
  params[PARAM_FIRST_GATE_RANGE_M] = raster.firstGateRangeKm * 1000;
  params[PARAM_GATE_INTERVAL_M] = raster.gateIntervalKm * 1000;
  params[PARAM_GATE_COUNT] = raster.gateCount;
  params[PARAM_RADIAL_COUNT] = radialCount;
  params[PARAM_WORD_SIZE_BITS] = wordSizeBits;
  params[PARAM_WIDTH] = grid?.width ?? 0;
  params[PARAM_HEIGHT] = grid?.height ?? 0;
  params[PARAM_WEST_X_M] = grid?.westXM ?? 0;
  params[PARAM_NORTH_Y_M] = grid?.northYM ?? 0;
  params[PARAM_PIXEL_SIZE_M] = grid?.pixelSizeM ?? 0;
  params[PARAM_SEGMENT_COUNT] = segmentCount(segments);
  params[PARAM_EVERY_PIXEL] = options.everyPixel ? 1 : 0;
  params[PARAM_ROW_PREFIX] = options.idat ? 1 : 0;

  const elevations = new Float64Array(radialCount);
  for (let k = 0; k < radialCount; k++) {
    const measured = raster.elevationsDeg?.[k];
    elevations[k] = measured !== undefined && Number.isFinite(measured)
      ? measured
      : raster.elevationAngleDeg;
  }
  const gateCounts = raster.radialGateCounts ??
    new Uint16Array(radialCount).fill(raster.gateCount);
  return [params, segments, elevations, gateCounts].map((array) =>
    new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
  );
}

/** @throws {RangeError} The raster's arrays and counts disagree. */
function checkRaster(raster: PolarRaster): void {
  const radialCount = raster.azimuthsDeg.length;
  const fail = (problem: string): never => {
    throw new RangeError(`Invalid polar raster: ${problem}`);
  };
  if (radialCount < 1 || radialCount > 65535) {
    fail(`radial count must be 1 to 65535, got ${radialCount}`);
  }
  if (!Number.isInteger(raster.gateCount) || raster.gateCount < 1) {
    fail(`gateCount must be a positive integer, got ${raster.gateCount}`);
  }
  if (raster.raw.length !== radialCount * raster.gateCount) {
    fail(
      `raw has ${raster.raw.length} codes, expected ${radialCount} radials x ` +
        `${raster.gateCount} gates`,
    );
  }
  if (!(raster.gateIntervalKm > 0)) {
    fail(`gateIntervalKm must be positive, got ${raster.gateIntervalKm}`);
  }
  if (!Number.isFinite(raster.firstGateRangeKm)) {
    fail(`firstGateRangeKm must be finite, got ${raster.firstGateRangeKm}`);
  }
  if (Math.abs(raster.radarLatitudeDeg) > 85) {
    fail(
      `radar latitude must be within 85 degrees, got ${raster.radarLatitudeDeg}`,
    );
  }
  const counted = [
    ["azimuthSpacingsDeg", raster.azimuthSpacingsDeg],
    ["elevationsDeg", raster.elevationsDeg],
    ["radialGateCounts", raster.radialGateCounts],
  ] as const;
  for (const [name, array] of counted) {
    if (array !== undefined && array.length !== radialCount) {
      fail(`${name} has ${array.length} entries, expected ${radialCount}`);
    }
  }
}
