/**
 * Renders a polar raster as a georeferenced PNG: palette, Web Mercator
 * grid, resampling and encoding in one call.
 *
 * @module
 */

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
import { encodePng, type IndexedImage, type PngEncoder } from "./png.ts";

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
  /** The palette-index image before encoding. */
  image: IndexedImage;
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
  const indices = resamplePolarGrid(raster, grid, palette.colourIndex);
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
    maxRangeKm: maxGroundRangeM(raster) / 1000,
    image,
    palette,
  };
}
