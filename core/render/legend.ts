/**
 * Legends of colour tables: a colour bar image and the list of labelled
 * values the frontend can draw beside it.
 *
 * @module
 */

import {
  colourOfValue,
  type ColourTable,
  type Rgba,
  tableRange,
} from "./colour_table.ts";
import { encodeRgbaRowsPng } from "./png.ts";

/** One labelled value of a legend. */
export interface LegendEntry {
  /** Value in the table's units; null for the range-folded entry. */
  value: number | null;
  /** CSS colour, `#rrggbb` or `#rrggbbaa` when translucent. */
  colour: string;
  /** Text to show, with the unit where the table has one. */
  label: string;
}

/** A legend: its unit and its entries in ascending value order. */
export interface Legend {
  product: string;
  units: string;
  entries: LegendEntry[];
}

/** Most ticks of a continuous legend before the step is widened. */
const MAX_TICKS = 40;

/**
 * Returns the legend of a table: one entry per class of a categorical
 * table, else ticks every `step` (or at every stop) from the first stop to
 * the last, then range folding when the table colours it and no class
 * has its colour already.
 */
export function legendOf(table: ColourTable): Legend {
  const entries: LegendEntry[] = [];
  const unit = table.units === "" ? "" : ` ${table.units}`;
  if (table.categorical) {
    for (const stop of table.stops) {
      entries.push({
        value: stop.value,
        colour: cssColour(stop.colour),
        label: stop.label ?? `${stop.value}`,
      });
    }
  } else {
    for (const value of tickValues(table)) {
      const colour = colourOfValue(
        table,
        (value - table.offset) / table.scale,
      );
      if (colour === null) continue;
      entries.push({
        value,
        colour: cssColour(colour),
        label: `${formatValue(value)}${unit}`,
      });
    }
  }
  const folded = table.rangeFolded === null
    ? null
    : cssColour(table.rangeFolded);
  // A class table may have a range-folded class of its own (hydrometeor).
  const listed = table.categorical &&
    entries.some((entry) => entry.colour === folded);
  if (folded !== null && !listed) {
    entries.push({
      value: null,
      colour: folded,
      label: "range folded",
    });
  }
  return { product: table.product, units: table.units, entries };
}

function tickValues(table: ColourTable): number[] {
  if (table.step === null) return table.stops.map((stop) => stop.value);
  const [low, high] = tableRange(table);
  let step = table.step;
  while ((high - low) / step > MAX_TICKS) step *= 2;
  const values: number[] = [];
  for (let i = 0; low + i * step <= high + step * 1e-9; i++) {
    values.push(Number((low + i * step).toPrecision(12)));
  }
  return values;
}

function formatValue(value: number): string {
  return Number(value.toPrecision(6)).toString();
}

function cssColour([red, green, blue, alpha]: Rgba): string {
  const hex = (channel: number) => channel.toString(16).padStart(2, "0");
  const opaque = `#${hex(red)}${hex(green)}${hex(blue)}`;
  return alpha === 255 ? opaque : opaque + hex(alpha);
}

/** Options of {@linkcode colourBarPng}. */
export interface ColourBarOptions {
  /** @default {512} */
  width?: number;
  /** @default {24} */
  height?: number;
}

/**
 * Draws a horizontal colour bar PNG (RGBA): the table from its first stop
 * on the left to its last on the right, or one equal box per stop of a
 * categorical table or a table of solid steps only (there a value scale
 * would squeeze the small steps, and the last stop would get no width).
 * Range folding is not drawn; the legend lists it. The rows repeat, so
 * the PNG's up filter makes them zeros and the file stays small.
 */
export function colourBarPng(
  table: ColourTable,
  options: ColourBarOptions = {},
): Uint8Array {
  const width = options.width ?? 512;
  const height = options.height ?? 24;
  if (
    !Number.isInteger(width) || !Number.isInteger(height) || width < 1 ||
    height < 1
  ) {
    throw new RangeError(
      `Cannot draw a ${width} x ${height} colour bar: sides must be ` +
        "positive integers",
    );
  }
  const [low, high] = tableRange(table);
  const boxes = table.categorical || table.stops.every((stop) => stop.solid);
  const row = new Uint8Array(width * 4);
  for (let x = 0; x < width; x++) {
    const fraction = (x + 0.5) / width;
    const colour = boxes
      ? table.stops[Math.floor(fraction * table.stops.length)].colour
      : colourOfValue(
        table,
        (low + fraction * (high - low) - table.offset) / table.scale,
      );
    row.set(colour ?? [0, 0, 0, 0], x * 4);
  }
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) pixels.set(row, y * width * 4);
  return encodeRgbaRowsPng(width, height, pixels);
}
