/**
 * Cartesian rasters (Level 3 packets 0xBA07 and 0xBA0F: composite
 * reflectivity, echo tops, VIL, layer composites) resampled onto the same
 * Web Mercator images as the polar rasters.
 *
 * The raster is a square of cells on a flat plane centred at the radar,
 * rows from north to south. The RPG fills its boxes from polar bins by
 * ground range d and azimuth a (x = d sin a, y = d cos a), so the plane is
 * taken as an azimuthal equidistant projection centred at the radar: a
 * point's x and y are its ground range from the radar along the direction
 * it lies in. A tangent plane would place a point at R sin(d / R) instead
 * of d, which is 0.05 km nearer at 230 km and 0.4 km nearer at 460 km:
 * a twentieth of a 1 km cell and a tenth of a 4 km cell.
 *
 * Per pixel: longitude (per column) and latitude (per row) give the ECEF
 * chord from the radar on WGS84 and its east and north components at the
 * radar; the chord becomes an arc on the sphere of the Gaussian mean
 * radius at the radar, as in the polar resampler (assembly/render/
 * polar_grid.ts), and the arc's east and north parts name the cell.
 *
 * @module
 */

import {
  latitudeOfMercatorY,
  longitudeOfMercatorX,
  primeVerticalRadius,
  WGS84_E2,
} from "./geodesy.ts";
import {
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
  /** Codes row-major, first row north: cell `c` of row `r` at `r * columnCount + c`. */
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
 * Returns where a point lies on the raster's plane, as the resampler
 * places it: east and north of the radar, km.
 */
export function planeOffsetKm(
  raster: CartesianRaster,
  longitudeDeg: number,
  latitudeDeg: number,
): [number, number] {
  const plane = new Plane(raster.radarLongitudeDeg, raster.radarLatitudeDeg);
  plane.setRow(latitudeDeg);
  plane.locate(longitudeDeg);
  return [plane.eastM / 1000, plane.northM / 1000];
}

/**
 * Resamples a Cartesian raster onto `grid`, one palette index per pixel.
 *
 * @param colourIndex Palette index of each of the 256 codes; 0 is
 * transparent.
 * @returns `width * height` indices, rows from the top.
 * @throws {RangeError} The raster is inconsistent or the colour index is
 * not 256 entries long.
 */
export function resampleCartesianGrid(
  raster: CartesianRaster,
  grid: MercatorGrid,
  colourIndex: Uint8Array,
): Uint8Array {
  checkRaster(raster);
  if (colourIndex.length !== 256) {
    throw new RangeError(
      `Cannot resample 8-bit codes: the colour index has ` +
        `${colourIndex.length} entries, expected 256`,
    );
  }
  const { width, height, westXM, northYM, pixelSizeM } = grid;
  const { rowCount, columnCount, raw } = raster;
  const cellM = raster.cellSizeKm * 1000;
  const plane = new Plane(raster.radarLongitudeDeg, raster.radarLatitudeDeg);
  const longitudes = new Float64Array(width);
  for (let column = 0; column < width; column++) {
    longitudes[column] = longitudeOfMercatorX(
      westXM + (column + 0.5) * pixelSizeM,
    );
  }
  plane.setColumns(longitudes);

  const image = new Uint8Array(width * height);
  for (let line = 0; line < height; line++) {
    plane.setRow(latitudeOfMercatorY(northYM - (line + 0.5) * pixelSizeM));
    for (let column = 0; column < width; column++) {
      plane.locateColumn(column);
      const cellColumn = Math.floor(plane.eastM / cellM + columnCount / 2);
      const cellRow = Math.floor(rowCount / 2 - plane.northM / cellM);
      if (
        cellColumn < 0 || cellColumn >= columnCount || cellRow < 0 ||
        cellRow >= rowCount
      ) continue;
      image[line * width + column] =
        colourIndex[raw[cellRow * columnCount + cellColumn]];
    }
  }
  return image;
}

/**
 * The azimuthal equidistant plane at a radar. Angles are measured from
 * the radar's meridian, so the ECEF frame is turned by its longitude.
 */
class Plane {
  readonly #sinLat0: number;
  readonly #cosLat0: number;
  /** ECEF x and z of the radar in the turned frame, metres. */
  readonly #x0: number;
  readonly #z0: number;
  /** Twice the Gaussian mean radius at the radar, metres. */
  readonly #diameter: number;
  readonly #lon0: number;
  #cosDeltaLon = new Float64Array(0);
  #sinDeltaLon = new Float64Array(0);
  /** N cos(lat) and N (1 - e2) sin(lat) of the current row. */
  #rowRadius = 0;
  #rowZ = 0;
  /** Ground offsets of the last point located, metres. */
  eastM = 0;
  northM = 0;

  constructor(lon0: number, lat0: number) {
    const lat = (lat0 * Math.PI) / 180;
    this.#lon0 = lon0;
    this.#sinLat0 = Math.sin(lat);
    this.#cosLat0 = Math.cos(lat);
    const n0 = primeVerticalRadius(lat0);
    this.#x0 = n0 * this.#cosLat0;
    this.#z0 = n0 * (1 - WGS84_E2) * this.#sinLat0;
    const meridional = (n0 * (1 - WGS84_E2)) /
      (1 - WGS84_E2 * this.#sinLat0 ** 2);
    this.#diameter = 2 * Math.sqrt(meridional * n0);
  }

  setColumns(longitudes: Float64Array): void {
    this.#cosDeltaLon = longitudes.map((lon) =>
      Math.cos(((lon - this.#lon0) * Math.PI) / 180)
    );
    this.#sinDeltaLon = longitudes.map((lon) =>
      Math.sin(((lon - this.#lon0) * Math.PI) / 180)
    );
  }

  setRow(latitudeDeg: number): void {
    const lat = (latitudeDeg * Math.PI) / 180;
    const n = primeVerticalRadius(latitudeDeg);
    this.#rowRadius = n * Math.cos(lat);
    this.#rowZ = n * (1 - WGS84_E2) * Math.sin(lat);
  }

  locate(longitudeDeg: number): void {
    const deltaLon = ((longitudeDeg - this.#lon0) * Math.PI) / 180;
    this.#locate(Math.cos(deltaLon), Math.sin(deltaLon));
  }

  locateColumn(column: number): void {
    this.#locate(this.#cosDeltaLon[column], this.#sinDeltaLon[column]);
  }

  /** Sets `eastM` and `northM` of the row's point at a longitude. */
  #locate(cosDeltaLon: number, sinDeltaLon: number): void {
    const dx = this.#rowRadius * cosDeltaLon - this.#x0;
    const dz = this.#rowZ - this.#z0;
    const east = this.#rowRadius * sinDeltaLon;
    const north = this.#cosLat0 * dz - this.#sinLat0 * dx;
    const up = this.#cosLat0 * dx + this.#sinLat0 * dz;
    const horizontal = Math.sqrt(east * east + north * north);
    const chord = Math.sqrt(horizontal * horizontal + up * up);
    const ratio = horizontal === 0
      ? 0
      : (this.#diameter * Math.asin(chord / this.#diameter)) / horizontal;
    this.eastM = east * ratio;
    this.northM = north * ratio;
  }
}

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
