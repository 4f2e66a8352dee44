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

import {
  CARTESIAN_CELL_SIZE_M,
  CARTESIAN_COLUMN_COUNT,
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

const WGS84_A: f64 = 6378137.0;
const WGS84_F: f64 = 1.0 / 298.257223563;
const WGS84_E2: f64 = WGS84_F * (2.0 - WGS84_F);
/** Sphere radius of Web Mercator (EPSG:3857). */
const MERCATOR_RADIUS: f64 = 6378137.0;
const DEG: f64 = Math.PI / 180.0;
/** Largest image side accepted, in pixels. */
const MAX_SIDE: f64 = 16384.0;
/** Largest raster side accepted, in cells. */
const MAX_CELLS: f64 = 65535.0;

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

  // The radar in the frame turned by its longitude: x towards its
  // meridian's equator crossing, z north along the axis.
  const latitude0 = params[CARTESIAN_RADAR_LATITUDE_DEG] * DEG;
  const sinLat0 = Math.sin(latitude0);
  const cosLat0 = Math.cos(latitude0);
  const w0 = 1.0 - WGS84_E2 * sinLat0 * sinLat0;
  const primeVertical0 = WGS84_A / Math.sqrt(w0);
  const meridional0 = (WGS84_A * (1.0 - WGS84_E2)) / (w0 * Math.sqrt(w0));
  const x0 = primeVertical0 * cosLat0;
  const z0 = primeVertical0 * (1.0 - WGS84_E2) * sinLat0;
  const diameter = 2.0 * Math.sqrt(primeVertical0 * meridional0);
  const longitude0 = params[CARTESIAN_RADAR_LONGITUDE_DEG] * DEG;

  // Per column: cosine and sine of the longitude difference.
  const columnTerms = new StaticArray<f64>(2 * width);
  for (let j = 0; j < width; j++) {
    const delta = (params[CARTESIAN_WEST_X_M] + (<f64> j + 0.5) * pixelSize) /
        MERCATOR_RADIUS - longitude0;
    unchecked(columnTerms[2 * j] = Math.cos(delta));
    unchecked(columnTerms[2 * j + 1] = Math.sin(delta));
  }

  const image = new ArrayBuffer(width * height);
  const imageBase = changetype<usize>(image);
  const codeBase = changetype<usize>(codes);
  const colourBase = changetype<usize>(colourIndex);
  const halfColumns = 0.5 * columnsF;
  const halfRows = 0.5 * rowsF;
  const inverseCell = 1.0 / cellSize;
  for (let i = 0; i < height; i++) {
    const mercatorY = params[CARTESIAN_NORTH_Y_M] -
      (<f64> i + 0.5) * pixelSize;
    const latitude = 2.0 * Math.atan(Math.exp(mercatorY / MERCATOR_RADIUS)) -
      Math.PI / 2.0;
    const sinLat = Math.sin(latitude);
    const primeVertical = WGS84_A / Math.sqrt(1.0 - WGS84_E2 * sinLat * sinLat);
    const rowRadius = primeVertical * Math.cos(latitude);
    const dz = primeVertical * (1.0 - WGS84_E2) * sinLat - z0;
    const rowBase = imageBase + <usize> (i * width);
    for (let j = 0; j < width; j++) {
      const dx = rowRadius * unchecked(columnTerms[2 * j]) - x0;
      const east = rowRadius * unchecked(columnTerms[2 * j + 1]);
      const north = cosLat0 * dz - sinLat0 * dx;
      const up = cosLat0 * dx + sinLat0 * dz;
      const horizontal2 = east * east + north * north;
      const horizontal = Math.sqrt(horizontal2);
      const chord = Math.sqrt(horizontal2 + up * up);
      const ratio = horizontal > 0.0
        ? (diameter * arcsine(chord / diameter)) / horizontal
        : 0.0;
      const u = Math.floor(east * ratio * inverseCell + halfColumns);
      const v = Math.floor(halfRows - north * ratio * inverseCell);
      if (!(u >= 0.0 && u < columnsF && v >= 0.0 && v < rowsF)) continue;
      const code = load<u8>(codeBase + <usize> (<i32> v * columns + <i32> u));
      store<u8>(rowBase + <usize> j, load<u8>(colourBase + <usize> code));
    }
  }
  return image;
}

/**
 * Returns asin(x). Below 0.08 (a ground range of 1000 km) it sums the
 * series x + x^3/6 + 3x^5/40 + 5x^7/112, whose first omitted term,
 * 35x^9/1152, is under 5e-12 there: 0.1 mm at the earth's radius.
 */
function arcsine(x: f64): f64 {
  if (x >= 0.08) return Math.asin(x);
  const x2 = x * x;
  return x * (1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0))));
}
