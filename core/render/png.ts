/**
 * PNG encoding of palette-index images.
 *
 * Two encoders: an indexed-colour PNG (colour type 3, with a tRNS chunk for
 * transparency) through fast-png, and an RGBA PNG through @jsquash/png.
 * Every colour table fits in 256 colours, so the indexed form carries a
 * quarter of the pixel bytes; `deno task bench` measures both, and the
 * renderer uses {@linkcode DEFAULT_PNG_ENCODER}.
 *
 * @module
 */

import { encode as encodeRgba } from "@jsquash/png";
import { encode as encodeFastPng } from "fast-png";
import type { Rgba } from "./colour_table.ts";

/** The PNG flavours this module writes. */
export type PngEncoder = "indexed" | "rgba";

/**
 * The encoder the renderer uses: indexed PNGs came out both smaller and
 * faster in `deno task bench` (see bench/render.ts).
 */
export const DEFAULT_PNG_ENCODER: PngEncoder = "indexed";

/** An image of palette indices, rows from the top. */
export interface IndexedImage {
  width: number;
  height: number;
  /** `width * height` palette indices. */
  indices: Uint8Array;
  /** The palette; index 0 is transparent. */
  colours: Rgba[];
}

/** Encodes an image with the chosen encoder. */
export async function encodePng(
  image: IndexedImage,
  encoder: PngEncoder = DEFAULT_PNG_ENCODER,
): Promise<Uint8Array> {
  return encoder === "indexed"
    ? encodeIndexedPng(image)
    : await encodeRgbaPng(image);
}

/**
 * Encodes an indexed-colour PNG.
 *
 * fast-png writes tRNS from the palette's translucent entries in order, so
 * they must come first, as {@linkcode buildPalette} orders them.
 */
export function encodeIndexedPng(image: IndexedImage): Uint8Array {
  checkImage(image);
  const firstOpaque = image.colours.findIndex((colour) => colour[3] === 255);
  const lastTranslucent = image.colours.findLastIndex((colour) =>
    colour[3] !== 255
  );
  if (firstOpaque >= 0 && lastTranslucent > firstOpaque) {
    throw new RangeError(
      "Cannot encode an indexed PNG: translucent colours must precede " +
        `opaque ones, but index ${lastTranslucent} follows opaque index ` +
        `${firstOpaque}`,
    );
  }
  return encodeFastPng({
    width: image.width,
    height: image.height,
    data: image.indices,
    channels: 1,
    depth: 8,
    palette: image.colours.map((colour) => [...colour]),
  }, { zlib: { level: 1 } });
}

/** Encodes an 8-bit RGBA PNG. */
export async function encodeRgbaPng(image: IndexedImage): Promise<Uint8Array> {
  checkImage(image);
  const pixels = expandToRgba(image);
  const encoded = await encodeRgba({
    data: new Uint8ClampedArray(pixels.buffer),
    width: image.width,
    height: image.height,
    colorSpace: "srgb",
  } as ImageData);
  return new Uint8Array(encoded);
}

/** Returns the image as RGBA bytes. */
export function expandToRgba(image: IndexedImage): Uint8Array {
  const packed = new Uint32Array(256);
  const bytes = new Uint8Array(packed.buffer);
  image.colours.forEach((colour, index) => bytes.set(colour, index * 4));
  const pixels = new Uint32Array(image.indices.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = packed[image.indices[i]];
  return new Uint8Array(pixels.buffer);
}

function checkImage(image: IndexedImage): void {
  if (image.indices.length !== image.width * image.height) {
    throw new RangeError(
      `Cannot encode a ${image.width} x ${image.height} PNG from ` +
        `${image.indices.length} palette indices`,
    );
  }
  if (image.colours.length < 1 || image.colours.length > 256) {
    throw new RangeError(
      `Cannot encode a PNG with ${image.colours.length} colours: 1 to 256 ` +
        "are supported",
    );
  }
}
