/**
 * Renders a polar or Cartesian raster as a georeferenced PNG: palette, Web
 * Mercator grid, resampling and encoding in one call.
 *
 * @module
 */

import {
  cartesianRangeM,
  type CartesianRaster,
  planCartesianGrid,
  resampleCartesianGrid,
} from "./cartesian_grid.ts";
import type { ColourTable } from "./colour_table.ts";
import { buildPalette, type CodeMapping, type Palette } from "./palette.ts";
import {
  type BoundingBox,
  type GridOptions,
  maxGroundRangeM,
  type MercatorGrid,
  planGrid,
  type PolarRaster,
  resamplePolarGrid,
} from "./polar_grid.ts";
import {
  assembleIndexedPng,
  DEFAULT_PNG_ENCODER,
  encodePng,
  type IndexedImage,
  type PngEncoder,
} from "./png.ts";

/** Options of {@linkcode renderPolarRaster}. */
export interface RenderOptions extends GridOptions {
  /** PNG flavour; see {@linkcode DEFAULT_PNG_ENCODER}. */
  encoder?: PngEncoder;
}

/** A rendered raster: the PNG and where it goes on the map. */
export interface RenderedRaster {
  png: Uint8Array;
  grid: MercatorGrid;
  /** Image corners: top-left, top-right, bottom-right, bottom-left. */
  boundingBox: BoundingBox;
  /** Ground range the image covers from the radar, km. */
  maxRangeKm: number;
  /** The colours and the palette index of every raw code. */
  palette: Palette;
}

/**
 * Renders `raster` with `table`, reading its codes through `mapping`.
 *
 * @throws {RangeError} The raster is inconsistent, or its codes are wider
 * than the mapping's.
 */
export async function renderPolarRaster(
  raster: PolarRaster,
  table: ColourTable,
  mapping: CodeMapping,
  options: RenderOptions = {},
): Promise<RenderedRaster> {
  const rasterBits = raster.raw instanceof Uint16Array ? 16 : 8;
  if (rasterBits !== mapping.wordSizeBits) {
    throw new RangeError(
      `Cannot render ${rasterBits}-bit codes with a mapping of ` +
        `${mapping.wordSizeBits}-bit codes`,
    );
  }
  const palette = buildPalette(table, mapping);
  const grid = planGrid(raster, options);
  const maxRangeKm = maxGroundRangeM(raster) / 1000;
  if ((options.encoder ?? DEFAULT_PNG_ENCODER) === "indexed") {
    // The image goes from the resampler to the PNG writer inside the
    // module: some 7 MB a sweep that is never copied out, and back in.
    const idat = resamplePolarGrid(raster, grid, palette.colourIndex, {
      idat: true,
    });
    const png = assembleIndexedPng({ ...grid, colours: palette.colours }, idat);
    return { png, grid, boundingBox: grid.boundingBox, maxRangeKm, palette };
  }
  const indices = resamplePolarGrid(raster, grid, palette.colourIndex);
  return await encodeRendered(grid, indices, palette, maxRangeKm, options);
}

/**
 * Renders a Cartesian raster (Level 3 packets 0xBA07, 0xBA0F) with
 * `table`, reading its 8-bit codes through `mapping`.
 *
 * @throws {RangeError} The raster is inconsistent or the mapping is not
 * of 8-bit codes.
 */
export async function renderCartesianRaster(
  raster: CartesianRaster,
  table: ColourTable,
  mapping: CodeMapping,
  options: RenderOptions = {},
): Promise<RenderedRaster> {
  if (mapping.wordSizeBits !== 8) {
    throw new RangeError(
      `Cannot render 8-bit codes with a mapping of ` +
        `${mapping.wordSizeBits}-bit codes`,
    );
  }
  const palette = buildPalette(table, mapping);
  const grid = planCartesianGrid(raster, options);
  const indices = resampleCartesianGrid(raster, grid, palette.colourIndex);
  return await encodeRendered(
    grid,
    indices,
    palette,
    cartesianRangeM(raster) / 1000,
    options,
  );
}

async function encodeRendered(
  grid: MercatorGrid,
  indices: Uint8Array,
  palette: Palette,
  maxRangeKm: number,
  options: RenderOptions,
): Promise<RenderedRaster> {
  const image: IndexedImage = {
    width: grid.width,
    height: grid.height,
    indices,
    colours: palette.colours,
  };
  return {
    png: await encodePng(image, options.encoder),
    grid,
    boundingBox: grid.boundingBox,
    maxRangeKm,
    palette,
  };
}
