// Resampling of a Cartesian raster (Level 3 packets 0xBA07 and 0xBA0F)
// onto the Web Mercator image of assembly/render/polar_grid.ts.
//
// The raster is a square of cells on a plane centred at the radar, rows
// from north to south. The plane is an azimuthal equidistant projection:
// a point at ground range d and azimuth a from the radar lies at
// x = d sin a, y = d cos a (see core/render/cartesian_grid.ts for why).
//
// Per pixel: the ECEF chord from the radar to the pixel centre on WGS84,
// in a frame turned by the radar's longitude, gives the chord's east,
// north and up components at the radar. The chord c becomes the arc
// d = 2 R asin(c / 2 R) on the sphere of the Gaussian mean radius R at
// the radar, as in the polar resampler, and the arc is split between east
// and north in the proportions of the chord's horizontal components.
//
// Blocks. On each side of the radar's meridian, the cell column grows
// monotonically along a row, and so does the cell row for radars away from
// the equator (the parallels bend poleward on the plane). So the cells of
// a block of pixels lie in the rectangle of cells spanned by its two ends.
// A block whose rectangle has no drawn cell (a summed-area table counts
// them) stays transparent, and one whose ends share a cell takes its
// colour, without evaluating the pixels between. Tests check that the
// image equals the one evaluated pixel by pixel for radar latitudes 13 to
// 65 N.

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
} from "./cartesian_layout";
import {
  DEG,
  MERCATOR_RADIUS,
  primeVerticalRadius,
  RadarFrame,
  WGS84_E2,
} from "./earth";
/** Largest image side accepted, in pixels. */
const MAX_SIDE: f64 = 16384.0;
/** Largest raster side accepted, in cells. */
const MAX_CELLS: f64 = 16384.0;
/** Pixels of a row evaluated at their two ends only, when those agree. */
const BLOCK: i32 = 16;

/**
 * Returns one palette index per pixel of the image, rows from the top, or
 * null when the buffers disagree with the parameters (a caller bug).
 */
export function renderCartesianGrid(
  paramBuffer: ArrayBuffer,
  codes: ArrayBuffer,
  colourIndex: ArrayBuffer,
): ArrayBuffer | null {
  if (paramBuffer.byteLength < CARTESIAN_PARAM_COUNT * 8) return null;
  const params = Float64Array.wrap(paramBuffer, 0, CARTESIAN_PARAM_COUNT);
  const rowsF = params[CARTESIAN_ROW_COUNT];
  const columnsF = params[CARTESIAN_COLUMN_COUNT];
  const widthF = params[CARTESIAN_WIDTH];
  const heightF = params[CARTESIAN_HEIGHT];
  const cellSize = params[CARTESIAN_CELL_SIZE_M];
  const pixelSize = params[CARTESIAN_PIXEL_SIZE_M];
  if (!(rowsF >= 1.0 && rowsF <= MAX_CELLS)) return null;
  if (!(columnsF >= 1.0 && columnsF <= MAX_CELLS)) return null;
  if (!(widthF >= 1.0 && widthF <= MAX_SIDE)) return null;
  if (!(heightF >= 1.0 && heightF <= MAX_SIDE)) return null;
  if (!(cellSize > 0.0 && pixelSize > 0.0)) return null;
  const rows = <i32> rowsF;
  const columns = <i32> columnsF;
  if (codes.byteLength != rows * columns) return null;
  if (colourIndex.byteLength != 256) return null;
  const width = <i32> widthF;
  const height = <i32> heightF;

  const plane = new Plane(params, width);
  const image = new ArrayBuffer(width * height);
  const imageBase = changetype<usize>(image);
  const codeBase = changetype<usize>(codes);
  const colourBase = changetype<usize>(colourIndex);
  const everyPixel = params[CARTESIAN_EVERY_PIXEL] != 0.0;
  const drawn = new DrawnCells(rows, columns, codeBase, colourBase);
  for (let i = 0; i < height; i++) {
    plane.setRow(params[CARTESIAN_NORTH_Y_M] - (<f64> i + 0.5) * pixelSize);
    const rowBase = imageBase + <usize> (i * width);
    // Blocks stop at the meridian, so each lies on one side of it.
    let j = 0;
    while (j < width) {
      let end = min(j + BLOCK, width);
      if (j < plane.meridianColumn && end > plane.meridianColumn) {
        end = plane.meridianColumn;
      }
      const first = plane.regionAt(j);
      const last = plane.regionAt(end - 1);
      if (!everyPixel && drawn.countBetween(first, last) == 0) {
        j = end; // the block's cells are all transparent
        continue;
      }
      if (!everyPixel && first == last) {
        const colour = colourOfRegion(
          first,
          rows,
          columns,
          codeBase,
          colourBase,
        );
        memory.fill(rowBase + <usize> j, colour, end - j);
        j = end;
        continue;
      }
      for (let k = j; k < end; k++) {
        const region = k == j ? first : k == end - 1 ? last : plane.regionAt(k);
        store<u8>(
          rowBase + <usize> k,
          colourOfRegion(region, rows, columns, codeBase, colourBase),
        );
      }
      j = end;
    }
  }
  return image;
}

/**
 * Palette index of a region from {@linkcode Plane.regionAt}: the colour of
 * its cell's code, or 0 outside the raster.
 */
function colourOfRegion(
  region: i32,
  rows: i32,
  columns: i32,
  codeBase: usize,
  colourBase: usize,
): u8 {
  const stride = columns + 2;
  const v = region / stride - 1;
  const u = region % stride - 1;
  if (u < 0 || u >= columns || v < 0 || v >= rows) return 0;
  const code = load<u8>(codeBase + <usize> (v * columns + u));
  return load<u8>(colourBase + <usize> code);
}

/**
 * Counts of the cells drawn (colour not 0) in rectangles of the raster,
 * from a summed-area table.
 */
class DrawnCells {
  rows: i32;
  columns: i32;
  /** Drawn cells above and left of each corner, (rows + 1) x (columns + 1). */
  sums: StaticArray<i32>;

  constructor(rows: i32, columns: i32, codeBase: usize, colourBase: usize) {
    this.rows = rows;
    this.columns = columns;
    const stride = columns + 1;
    const sums = new StaticArray<i32>((rows + 1) * stride);
    for (let v = 0; v < rows; v++) {
      let rowCount = 0;
      for (let u = 0; u < columns; u++) {
        const code = load<u8>(codeBase + <usize> (v * columns + u));
        if (load<u8>(colourBase + <usize> code) != 0) rowCount++;
        unchecked(
          sums[(v + 1) * stride + u + 1] = unchecked(sums[v * stride + u + 1]) +
            rowCount,
        );
      }
    }
    this.sums = sums;
  }

  /**
   * Returns how many drawn cells lie in the rectangle spanned by two
   * regions of {@linkcode Plane.regionAt}, clipped to the raster.
   */
  countBetween(first: i32, last: i32): i32 {
    const regionStride = this.columns + 2;
    const u1 = first % regionStride - 1;
    const v1 = first / regionStride - 1;
    const u2 = last % regionStride - 1;
    const v2 = last / regionStride - 1;
    const left = max(min(u1, u2), 0);
    const right = min(max(u1, u2), this.columns - 1);
    const top = max(min(v1, v2), 0);
    const bottom = min(max(v1, v2), this.rows - 1);
    if (left > right || top > bottom) return 0;
    const stride = this.columns + 1;
    const sums = this.sums;
    return unchecked(sums[(bottom + 1) * stride + right + 1]) -
      unchecked(sums[top * stride + right + 1]) -
      unchecked(sums[(bottom + 1) * stride + left]) +
      unchecked(sums[top * stride + left]);
  }
}

/** The azimuthal equidistant plane at the radar, row by row. */
class Plane extends RadarFrame {
  /** Twice the Gaussian mean radius of curvature at the radar, metres. */
  diameter: f64;
  /** Cosine and sine of each column's longitude difference. */
  columnTerms: StaticArray<f64> = new StaticArray<f64>(0);
  /** First column east of the radar's meridian. */
  meridianColumn: i32;
  rows: i32;
  columns: i32;
  inverseCell: f64;
  /** N cos(lat) and the z offset from the radar of the current row. */
  rowRadius: f64 = 0.0;
  dz: f64 = 0.0;

  constructor(params: Float64Array, width: i32) {
    super(params[CARTESIAN_RADAR_LATITUDE_DEG]);
    this.diameter = 2.0 * this.meanRadius;
    this.rows = <i32> params[CARTESIAN_ROW_COUNT];
    this.columns = <i32> params[CARTESIAN_COLUMN_COUNT];
    this.inverseCell = 1.0 / params[CARTESIAN_CELL_SIZE_M];

    const longitude0 = params[CARTESIAN_RADAR_LONGITUDE_DEG] * DEG;
    const pixelSize = params[CARTESIAN_PIXEL_SIZE_M];
    this.columnTerms = new StaticArray<f64>(2 * width);
    this.meridianColumn = width;
    for (let j = width - 1; j >= 0; j--) {
      const delta = (params[CARTESIAN_WEST_X_M] +
            (<f64> j + 0.5) * pixelSize) / MERCATOR_RADIUS - longitude0;
      unchecked(this.columnTerms[2 * j] = Math.cos(delta));
      unchecked(this.columnTerms[2 * j + 1] = Math.sin(delta));
      if (delta >= 0.0) this.meridianColumn = j;
    }
  }

  setRow(mercatorY: f64): void {
    const latitude = 2.0 * Math.atan(Math.exp(mercatorY / MERCATOR_RADIUS)) -
      Math.PI / 2.0;
    const sinLat = Math.sin(latitude);
    const primeVertical = primeVerticalRadius(sinLat);
    this.rowRadius = primeVertical * Math.cos(latitude);
    this.dz = primeVertical * (1.0 - WGS84_E2) * sinLat - this.z0;
  }

  /**
   * Returns the region of column j's pixel in the current row: its cell
   * column u and row v, each clamped to -1 and the raster's size, as
   * (v + 1) (columns + 2) + u + 1. Clamping keeps the regions outside
   * the raster apart, so that two block ends in one region prove every
   * pixel between them in it.
   */
  @inline
  regionAt(j: i32): i32 {
    const dx = this.rowRadius * unchecked(this.columnTerms[2 * j]) - this.x0;
    const east = this.rowRadius * unchecked(this.columnTerms[2 * j + 1]);
    const north = this.cosLat0 * this.dz - this.sinLat0 * dx;
    const up = this.cosLat0 * dx + this.sinLat0 * this.dz;
    const horizontal2 = east * east + north * north;
    const horizontal = Math.sqrt(horizontal2);
    const chord = Math.sqrt(horizontal2 + up * up);
    const ratio = horizontal > 0.0
      ? (this.diameter * arcsine(chord / this.diameter)) / horizontal
      : 0.0;
    const u = Math.floor(
      east * ratio * this.inverseCell + 0.5 * <f64> this.columns,
    );
    const v = Math.floor(
      0.5 * <f64> this.rows - north * ratio * this.inverseCell,
    );
    const clampedU = <i32> Math.min(Math.max(u, -1.0), <f64> this.columns);
    const clampedV = <i32> Math.min(Math.max(v, -1.0), <f64> this.rows);
    return (clampedV + 1) * (this.columns + 2) + clampedU + 1;
  }
}

/**
 * Returns asin(x). Below 0.08 (a ground range of 1000 km) it sums the
 * series x + x^3/6 + 3x^5/40 + 5x^7/112, whose first omitted term,
 * 35x^9/1152, is under 5e-12 there: under 0.1 mm of ground range.
 */
function arcsine(x: f64): f64 {
  if (x >= 0.08) return Math.asin(x);
  const x2 = x * x;
  return x * (1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0))));
}
