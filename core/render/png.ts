/**
 * PNG encoding of palette-index images.
 *
 * Three encoders: an indexed-colour PNG (colour type 3, with a tRNS chunk
 * for transparency) written here around an IDAT chunk that the
 * WebAssembly module compresses (`assembly/deflate/`), the same through
 * fast-png, and an RGBA PNG through @jsquash/png. Every colour
 * table fits in 256 colours, so the indexed form carries a quarter of the
 * pixel bytes. `deno task bench` measures all three; the renderer uses
 * {@linkcode DEFAULT_PNG_ENCODER}. The two libraries load on first use:
 * importing fast-png (with fflate) took about 30 ms, a tenth of the
 * decode-and-render time of a small volume in a fresh process.
 *
 * @module
 */

import {
  copyIn,
  copyOut,
  type NexradExports,
  releaseBuffer,
  withWasm,
} from "../wasm/loader.ts";
import { joinParts } from "../level2/wrappers.ts";
import type { Rgba } from "./colour_table.ts";

/** The PNG flavours this module writes. */
export type PngEncoder = "indexed" | "indexedFastPng" | "rgba";

/**
 * The encoder the renderer uses: the indexed writer came out both the
 * smallest and the fastest in `deno task bench` (bench/render.ts).
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
  switch (encoder) {
    case "indexed":
      return encodeIndexedPng(image);
    case "indexedFastPng":
      return await encodeIndexedPngWithFastPng(image);
    case "rgba":
      return await encodeRgbaPng(image);
  }
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/**
 * Encodes an indexed-colour PNG: IHDR (8-bit palette indices, no
 * interlace), PLTE, tRNS when a colour is translucent, one IDAT, IEND.
 *
 * The IDAT chunk comes from the WebAssembly module (see
 * {@linkcode idatChunk}).
 */
export function encodeIndexedPng(image: IndexedImage): Uint8Array {
  checkImage(image);
  return assembleIndexedPng(image, idatChunk(image.indices, image.width));
}

/**
 * Returns the IDAT chunk (length, type, data, CRC) of an image of `width`
 * bytes a row, such as palette indices. Rows use filter type 0 (none),
 * which the PNG specification recommends for palette images, or with
 * `upFilter` type 2 (up) after the first, which turns repeated rows into
 * zeros. The zlib data encodes runs only (zlib's `Z_RLE` strategy): on
 * radar images that compressed within 6% of zlib level 6 at half the time
 * (bench/render.ts).
 */
export function idatChunk(
  bytes: Uint8Array,
  width: number,
  upFilter = false,
): Uint8Array {
  checkSides(width, bytes.length / width);
  return withWasm((wasm) => {
    const input = copyIn(wasm, bytes);
    try {
      const chunk = (wasm.pngIdatChunk as PngIdatChunk)(
        input,
        width,
        upFilter ? 1 : 0,
      );
      return checkedChunk(copyOut(wasm, chunk));
    } finally {
      releaseBuffer(wasm, input);
    }
  });
}

type PngIdatChunk = (image: number, width: number, upFilter: number) => number;

/**
 * Encodes an RGBA PNG (colour type 6, 8 bits a channel) of `rgba`, 4
 * bytes a pixel, through the module with the up filter: an image of
 * repeated rows, such as a colour bar, takes little more than one row.
 */
export function encodeRgbaRowsPng(
  width: number,
  height: number,
  rgba: Uint8Array,
): Uint8Array {
  checkSides(width, height);
  if (rgba.length !== width * height * 4) {
    throw new RangeError(
      `Cannot encode a ${width} x ${height} RGBA PNG from ${rgba.length} bytes`,
    );
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8);
  return joinParts([
    Uint8Array.from(PNG_SIGNATURE),
    chunk("IHDR", header),
    idatChunk(rgba, width * 4, true),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/**
 * Makes the IDAT chunk of image rows already in module memory, each after
 * its filter type byte, and returns the chunk's pointer there.
 */
export function idatChunkOfRowsInModule(
  wasm: NexradExports,
  rows: number,
): number {
  return (wasm.pngIdatChunkOfRows as (rows: number) => number)(rows);
}

/** Returns `chunk`, or throws when the module rejected the image. */
function checkedChunk(chunk: Uint8Array | null): Uint8Array {
  if (chunk === null) {
    throw new RangeError(
      "Cannot encode the image: its length is not a whole number of rows",
    );
  }
  return chunk;
}

/** Puts an indexed PNG together around its IDAT chunk. */
export function assembleIndexedPng(
  image: Omit<IndexedImage, "indices">,
  idat: Uint8Array,
): Uint8Array {
  const { width, height, colours } = image;
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 3, 0, 0, 0], 8);
  const lastTranslucent = colours.findLastIndex((colour) => colour[3] !== 255);

  return joinParts([
    Uint8Array.from(PNG_SIGNATURE),
    chunk("IHDR", header),
    chunk("PLTE", Uint8Array.from(colours.flatMap(([r, g, b]) => [r, g, b]))),
    ...(lastTranslucent < 0 ? [] : [
      chunk(
        "tRNS",
        Uint8Array.from(colours.slice(0, lastTranslucent + 1), (c) => c[3]),
      ),
    ]),
    idat,
    chunk("IEND", new Uint8Array(0)),
  ]);
}

/** Returns a PNG chunk: length, type, data, CRC-32 of type and data. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(12 + data.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) bytes[4 + i] = type.charCodeAt(i);
  bytes.set(data, 8);
  view.setUint32(8 + data.length, crc32(bytes.subarray(4, 8 + data.length)));
  return bytes;
}

/** CRC-32 table of the reflected polynomial 0xEDB88320 (PNG, zlib). */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) {
    crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return crc;
});

/**
 * CRC-32 as PNG chunks carry it (PNG specification, annex D), for the
 * small chunks; the module computes the IDAT chunk's own.
 */
export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Encodes an indexed-colour PNG through fast-png (zlib level 1 by fflate).
 *
 * fast-png writes tRNS from the palette's translucent entries in order, so
 * they must come first, as {@linkcode buildPalette} orders them.
 */
export async function encodeIndexedPngWithFastPng(
  image: IndexedImage,
): Promise<Uint8Array> {
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
  const { encode } = await import("fast-png");
  return encode({
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
  const { encode } = await import("@jsquash/png");
  const encoded = await encode({
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

/** Largest side of an image, as the renderer's grids allow. */
const MAX_SIDE = 16384;

function checkSides(width: number, height: number): void {
  const side = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_SIDE;
  if (!side(width) || !side(height)) {
    throw new RangeError(
      `Cannot encode a ${width} x ${height} PNG: sides must be integers ` +
        `from 1 to ${MAX_SIDE}`,
    );
  }
}

function checkImage(image: IndexedImage): void {
  checkSides(image.width, image.height);
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
