/**
 * Cartesian rasters (Level 3 packets 0xBA07 and 0xBA0F: composite
 * reflectivity, echo tops, VIL, layer composites) resampled onto the same
 * Web Mercator images as the polar rasters.
 *
 * The raster is a square of cells on a flat plane centred at the radar,
 * rows from north to south, with the cell size of the product table. The
 * packet's I/J start and X/Y scale place it on a display screen (scale 1
 * for 1 km cells at 230 km, 2 or 4 for 4 km cells), so they are not used
 * for the geometry. The ICD names no map projection for the plane. Its
 * boxes are filled from polar bins, which sit at a ground range d and an
 * azimuth a, so this module takes the plane as the azimuthal equidistant
 * projection centred at the radar: x = d sin a, y = d cos a. A tangent
 * plane would place a point at R sin(d / R) instead of d, which is 0.05
 * km nearer at 230 km and 0.4 km nearer at 460 km. That is a twentieth of
 * a 1 km cell and a tenth of a 4 km cell.
 *
 * NOTE: the projection is inferred, not checked against RPG source code.
 *
 * The per-pixel work runs in WebAssembly (assembly/render/cartesian_grid.ts):
 * the ECEF chord from the radar to each pixel centre on WGS84 becomes an
 * arc on the sphere of the Gaussian mean radius at the radar, as in the
 * polar resampler, and the arc's east and north parts name the cell.
 *
 * @module
 */

import {
  CARTESIAN_CELL_SIZE_M,
  CARTESIAN_COLUMN_COUNT,
  CARTESIAN_EVERY_PIXEL,
  CARTESIAN_HEIGHT,
  CARTESIAN_NORTH_Y_M,
  CARTESIAN_PARAM_COUNT,
  CARTESIAN_PIXEL_SIZE_M,
  CARTESIAN_RADAR_LATITUDE_DEG,
  CARTESIAN_RADAR_LONGITUDE_DEG,
  CARTESIAN_ROW_COUNT,
  CARTESIAN_WEST_X_M,
  CARTESIAN_WIDTH,
} from "../../assembly/render/cartesian_layout.ts";
import { withWasm } from "../wasm/loader.ts";
import {
  callWithBuffers,
  type GridOptions,
  type MercatorGrid,
  planGridAround,
} from "./polar_grid.ts";

/** Raw codes on a flat plane centred at the radar. */
export interface CartesianRaster {
  /** Radar latitude, degrees north (WGS84). */
  radarLatitudeDeg: number;
  /** Radar longitude, degrees east (WGS84). */
  radarLongitudeDeg: number;
  rowCount: number;
  columnCount: number;
  /** Side of a cell, km. */
  cellSizeKm: number;
  /** Codes row-major, first row north: cell `c` of row `r` at index `r * columnCount + c`. */
  raw: Uint8Array;
}

/**
 * Returns the ground range the raster covers from the radar, metres: half
 * its wider side. The corners beyond that circle are left out of the
 * image, as they lie beyond the product's range.
 */
export function cartesianRangeM(raster: CartesianRaster): number {
  const side = Math.max(raster.rowCount, raster.columnCount);
  return (side / 2) * raster.cellSizeKm * 1000;
}

/**
 * Plans the image for a Cartesian raster, as {@linkcode planGrid} does for
 * a polar one.
 *
 * @throws {RangeError} The raster is inconsistent, or see
 * {@linkcode planGridAround}.
 */
export function planCartesianGrid(
  raster: CartesianRaster,
  options: GridOptions = {},
): MercatorGrid {
  checkRaster(raster);
  return planGridAround(
    raster.radarLongitudeDeg,
    raster.radarLatitudeDeg,
    cartesianRangeM(raster),
    options,
  );
}

/**
 * Resamples a Cartesian raster onto `grid`, one palette index per pixel.
 *
 * @param colourIndex Palette index of each of the 256 codes; 0 is
 * transparent.
 * @param options.everyPixel Evaluate every pixel instead of filling blocks
 * proven uniform from their ends; the image is the same, only slower.
 * @returns `width * height` indices, rows from the top.
 * @throws {RangeError} The raster is inconsistent or the colour index is
 * not 256 entries long.
 */
export function resampleCartesianGrid(
  raster: CartesianRaster,
  grid: MercatorGrid,
  colourIndex: Uint8Array,
  options: { everyPixel?: boolean } = {},
): Uint8Array {
  checkRaster(raster);
  if (colourIndex.length !== 256) {
    throw new RangeError(
      `Cannot resample 8-bit codes: the colour index has ` +
        `${colourIndex.length} entries, expected 256`,
    );
  }
  const params = new Float64Array(CARTESIAN_PARAM_COUNT);
  params[CARTESIAN_RADAR_LATITUDE_DEG] = raster.radarLatitudeDeg;
  params[CARTESIAN_RADAR_LONGITUDE_DEG] = raster.radarLongitudeDeg;
  params[CARTESIAN_ROW_COUNT] = raster.rowCount;
  params[CARTESIAN_COLUMN_COUNT] = raster.columnCount;
  params[CARTESIAN_CELL_SIZE_M] = raster.cellSizeKm * 1000;
  params[CARTESIAN_WIDTH] = grid.width;
  params[CARTESIAN_HEIGHT] = grid.height;
  params[CARTESIAN_WEST_X_M] = grid.westXM;
  params[CARTESIAN_NORTH_Y_M] = grid.northYM;
  params[CARTESIAN_PIXEL_SIZE_M] = grid.pixelSizeM;
  params[CARTESIAN_EVERY_PIXEL] = options.everyPixel ? 1 : 0;
  const buffers = [new Uint8Array(params.buffer), raster.raw, colourIndex];
  const image = withWasm((wasm) =>
    callWithBuffers(
      wasm,
      buffers,
      (pointers) => (wasm.renderCartesianGrid as WasmCall)(...pointers),
    )
  );
  if (image === null) {
    throw new Error(
      "Cannot resample the raster: the module rejected its input",
    );
  }
  return image;
}

type WasmCall = (...pointers: number[]) => number;

/** @throws {RangeError} The raster's sizes and codes disagree. */
function checkRaster(raster: CartesianRaster): void {
  const fail = (problem: string): never => {
    throw new RangeError(`Invalid Cartesian raster: ${problem}`);
  };
  const { rowCount, columnCount } = raster;
  if (!Number.isInteger(rowCount) || rowCount < 1) {
    fail(`rowCount must be a positive integer, got ${rowCount}`);
  }
  if (!Number.isInteger(columnCount) || columnCount < 1) {
    fail(`columnCount must be a positive integer, got ${columnCount}`);
  }
  if (raster.raw.length !== rowCount * columnCount) {
    fail(
      `raw has ${raster.raw.length} codes, expected ${rowCount} rows x ` +
        `${columnCount} columns`,
    );
  }
  if (!(raster.cellSizeKm > 0)) {
    fail(`cellSizeKm must be positive, got ${raster.cellSizeKm}`);
  }
  if (Math.abs(raster.radarLatitudeDeg) > 85) {
    fail(
      `radar latitude must be within 85 degrees, got ${raster.radarLatitudeDeg}`,
    );
  }
}
