// Layout of the parameter block that core/render/cartesian_grid.ts passes
// to renderCartesianGrid in assembly/render/cartesian_grid.ts. Plain
// TypeScript, so both sides import it.

/** Slots of the Float64 parameter block, in order. */
export const CARTESIAN_RADAR_LATITUDE_DEG = 0;
export const CARTESIAN_RADAR_LONGITUDE_DEG = 1;
export const CARTESIAN_ROW_COUNT = 2;
export const CARTESIAN_COLUMN_COUNT = 3;
/** Side of a raster cell, metres. */
export const CARTESIAN_CELL_SIZE_M = 4;
export const CARTESIAN_WIDTH = 5;
export const CARTESIAN_HEIGHT = 6;
/** Web Mercator x of the image's left edge, metres. */
export const CARTESIAN_WEST_X_M = 7;
/** Web Mercator y of the image's top edge, metres. */
export const CARTESIAN_NORTH_Y_M = 8;
/** Width and height of one pixel in Web Mercator metres. */
export const CARTESIAN_PIXEL_SIZE_M = 9;
/**
 * 1 to evaluate every pixel, 0 to fill blocks whose two ends prove them
 * uniform; both give the same image, which the tests check.
 */
export const CARTESIAN_EVERY_PIXEL = 10;
export const CARTESIAN_PARAM_COUNT = 11;
