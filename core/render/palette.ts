/**
 * Palettes: the colour of every raw code of a moment or product, as at
 * most 256 colours and one palette index per code.
 *
 * Raw codes map to physical values first and values to colours second, so
 * the colour table receives exactly the value the code stands for (half-dBZ
 * reflectivity steps stay distinct).
 *
 * @module
 */

import {
  colourOfValue,
  type ColourTable,
  type Rgba,
  tableRange,
} from "./colour_table.ts";

/** Meaning of a raw code: a value, range folding, or nothing drawn. */
export type CodeMeaning = number | "rangeFolded" | null;

/** Mapping of raw codes to physical values. */
export interface CodeMapping {
  /** Width of the codes: 8 or 16 bits. */
  wordSizeBits: 8 | 16;
  /** Returns what `code` stands for. */
  meaningOf(code: number): CodeMeaning;
}

/**
 * Returns the Level 2 mapping: code 0 below threshold (not drawn), code 1
 * range folded, others (code - offset) / scale.
 */
export function linearCodeMapping(
  scale: number,
  offset: number,
  wordSizeBits: 8 | 16,
): CodeMapping {
  return {
    wordSizeBits,
    meaningOf(code) {
      if (code === 0) return null;
      if (code === 1) return "rangeFolded";
      return (code - offset) / scale;
    },
  };
}

/**
 * Returns a mapping from a table of values, one per code (NaN: not drawn),
 * as Level 3 decoders produce it.
 */
export function tabulatedCodeMapping(
  values: ArrayLike<number>,
  rangeFoldedCodes: readonly number[] = [],
): CodeMapping {
  if (values.length > 65536) {
    throw new RangeError(
      `Cannot map ${values.length} codes: at most 65536 are supported`,
    );
  }
  const folded = new Set(rangeFoldedCodes);
  return {
    wordSizeBits: values.length > 256 ? 16 : 8,
    meaningOf(code) {
      if (folded.has(code)) return "rangeFolded";
      const value = code < values.length ? values[code] : NaN;
      return Number.isNaN(value) ? null : value;
    },
  };
}

/** Colours and the palette index of every raw code. */
export interface Palette {
  /** At most 256 colours; index 0 is transparent, translucent ones follow. */
  colours: Rgba[];
  /** Palette index of each code: 256 or 65536 entries. */
  colourIndex: Uint8Array;
}

/** Most colours a palette holds, transparent included. */
export const MAX_PALETTE_COLOURS = 256;

/**
 * Builds the palette of `table` for the codes of `mapping`.
 *
 * A table with more distinct colours over the codes than fit (a gradient
 * over 16-bit codes) is sampled instead at 254 evenly spaced values across
 * its stops, which moves a colour by at most 1/254 of the table's range.
 */
export function buildPalette(
  table: ColourTable,
  mapping: CodeMapping,
): Palette {
  const exact = assignColours(mapping, (meaning) => colourOf(table, meaning));
  if (exact !== null) return exact;

  const [low, high] = tableRange(table);
  const levels = MAX_PALETTE_COLOURS - 2;
  const sampled = assignColours(mapping, (meaning) => {
    if (typeof meaning !== "number") return colourOf(table, meaning);
    const tableValue = meaning * table.scale + table.offset;
    if (!(tableValue >= low)) return null;
    const level = Math.min(
      levels - 1,
      Math.floor(((tableValue - low) / (high - low || 1)) * levels),
    );
    const sampleValue = low + ((level + 0.5) / levels) * (high - low);
    return colourOfValue(table, (sampleValue - table.offset) / table.scale);
  });
  if (sampled === null) {
    throw new Error(
      `Cannot build a palette for table "${table.product}": more than ` +
        `${MAX_PALETTE_COLOURS} colours after sampling`,
    );
  }
  return sampled;
}

function colourOf(table: ColourTable, meaning: CodeMeaning): Rgba | null {
  if (meaning === null) return null;
  if (meaning === "rangeFolded") return table.rangeFolded;
  return colourOfValue(table, meaning);
}

/** Returns the palette, or null when it needs more than 256 colours. */
function assignColours(
  mapping: CodeMapping,
  colourOfMeaning: (meaning: CodeMeaning) => Rgba | null,
): Palette | null {
  const codeCount = 2 ** mapping.wordSizeBits;
  const slotOfCode = new Int32Array(codeCount);
  const slots = new Map<number, number>();
  const found: Rgba[] = [];
  for (let code = 0; code < codeCount; code++) {
    const colour = colourOfMeaning(mapping.meaningOf(code));
    if (colour === null || colour[3] === 0) {
      slotOfCode[code] = -1;
      continue;
    }
    const key = ((colour[0] << 24) | (colour[1] << 16) | (colour[2] << 8) |
      colour[3]) >>> 0;
    let slot = slots.get(key);
    if (slot === undefined) {
      if (found.length === MAX_PALETTE_COLOURS - 1) return null;
      slot = found.length;
      slots.set(key, slot);
      found.push(colour);
    }
    slotOfCode[code] = slot;
  }

  // Translucent colours first, so that a tRNS chunk lists only a prefix.
  const order = found.map((_, slot) => slot).sort((a, b) =>
    Number(found[a][3] === 255) - Number(found[b][3] === 255) || a - b
  );
  const indexOfSlot = new Uint8Array(found.length);
  order.forEach((slot, position) => indexOfSlot[slot] = position + 1);
  const colourIndex = new Uint8Array(codeCount);
  for (let code = 0; code < codeCount; code++) {
    const slot = slotOfCode[code];
    colourIndex[code] = slot < 0 ? 0 : indexOfSlot[slot];
  }
  return {
    colours: [[0, 0, 0, 0], ...order.map((slot) => found[slot])],
    colourIndex,
  };
}
