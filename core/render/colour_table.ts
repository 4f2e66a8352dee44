/**
 * Colour tables: physical value to colour, in the model of GRLevelX and
 * Weather and Climate Toolkit `.pal` files.
 *
 * @module
 */

/** A colour as red, green, blue and alpha, each 0 to 255. */
export type Rgba = [number, number, number, number];

/** One `Color`, `Color4`, `SolidColor` or `SolidColor4` statement. */
export interface ColourStop {
  /** Where the stop starts, in table units. */
  value: number;
  /** Colour at `value`. */
  colour: Rgba;
  /**
   * Colour approached just below the next stop. Absent on a gradient, the
   * gradient runs to the next stop's colour; on a solid stop it is ignored.
   */
  endColour?: Rgba;
  /** True for `SolidColor`: one colour from `value` up to the next stop. */
  solid: boolean;
  /** Legend text of the stop; categorical tables label every stop. */
  label?: string;
}

/** A colour table, as read from a `.pal` file or built in. */
export interface ColourTable {
  /** Product the table is for, e.g. "BR" or "REF". */
  product: string;
  /** Unit label of the table's values, e.g. "dBZ". */
  units: string;
  /** Table value = physical value x scale + offset (the `Scale:` line). */
  scale: number;
  /** See `scale` (the `Offset:` line). */
  offset: number;
  /** Spacing of labelled legend ticks in table units; null: every stop. */
  step: number | null;
  /** Colour of range-folded gates; null draws them transparent. */
  rangeFolded: Rgba | null;
  /** Stops in ascending value order, at least one. */
  stops: ColourStop[];
  /** True when each stop is a class (legend lists labels, not a ramp). */
  categorical: boolean;
}

/**
 * Returns the colour of a physical value, or null (transparent) below the
 * first stop or for NaN. Values from the last stop up take its colour.
 */
export function colourOfValue(table: ColourTable, value: number): Rgba | null {
  const tableValue = value * table.scale + table.offset;
  const stops = table.stops;
  if (!(tableValue >= stops[0].value)) return null;
  let low = 0;
  let high = stops.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (stops[middle].value <= tableValue) low = middle;
    else high = middle - 1;
  }
  const stop = stops[low];
  const next = stops[low + 1];
  if (stop.solid || next === undefined) return stop.colour;
  const end = stop.endColour ?? next.colour;
  const fraction = (tableValue - stop.value) / (next.value - stop.value);
  return mix(stop.colour, end, fraction);
}

function mix(from: Rgba, to: Rgba, fraction: number): Rgba {
  return from.map((channel, i) =>
    Math.round(channel + (to[i] - channel) * fraction)
  ) as Rgba;
}

/** Returns the table's values from its first stop to its last, table units. */
export function tableRange(table: ColourTable): [number, number] {
  return [table.stops[0].value, table.stops[table.stops.length - 1].value];
}
