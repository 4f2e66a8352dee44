// Layout of the buffers that core/render/polar_grid.ts passes to the polar
// grid functions of assembly/render/polar_grid.ts. Plain TypeScript, so both
// sides import it.

/** Slots of the Float64 parameter block, in order. */
export const PARAM_RADAR_LATITUDE_DEG = 0;
export const PARAM_RADAR_LONGITUDE_DEG = 1;
/** Slant range to the centre of the first gate, metres. */
export const PARAM_FIRST_GATE_RANGE_M = 2;
export const PARAM_GATE_INTERVAL_M = 3;
/** Gates per radial in the code array (its row length). */
export const PARAM_GATE_COUNT = 4;
export const PARAM_RADIAL_COUNT = 5;
/** 8 or 16: the width of one raw code. */
export const PARAM_WORD_SIZE_BITS = 6;
export const PARAM_WIDTH = 7;
export const PARAM_HEIGHT = 8;
/** Web Mercator x of the image's left edge, metres. */
export const PARAM_WEST_X_M = 9;
/** Web Mercator y of the image's top edge, metres. */
export const PARAM_NORTH_Y_M = 10;
/** Width and height of one pixel in Web Mercator metres. */
export const PARAM_PIXEL_SIZE_M = 11;
export const PARAM_SEGMENT_COUNT = 12;
/**
 * 1 to evaluate every pixel, 0 to fill blocks whose two ends prove them
 * uniform; both give the same image, which the tests check.
 */
export const PARAM_EVERY_PIXEL = 13;
/**
 * 1 to start each row of the image with a zero byte, PNG's filter type
 * "none", so that the PNG writer compresses the image where it is drawn.
 */
export const PARAM_ROW_PREFIX = 14;
export const PARAM_COUNT = 15;

/**
 * An azimuth segment is three Float64 values: start and end azimuth in
 * degrees (start < end, both within 0 to 360) and the radial index whose
 * codes fill it. Segments are sorted by start and do not overlap.
 */
export const SEGMENT_STRIDE = 3;

/**
 * `locatePolarPoints` returns five Float64 values per point: azimuth in
 * degrees, ground range and slant range in metres, radial index and gate
 * index (both -1 when the point falls in no radial or no gate).
 */
export const LOCATE_STRIDE = 5;
