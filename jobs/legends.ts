/**
 * The legends of the colour tables a pass draws with: a colour bar PNG and
 * a JSON list of values, colours and labels per table, stored under
 * `legends/{table}.png` and `.json` for `GET /legend/`. A pass writes them
 * when they are missing or differ from what the built-in tables give, so
 * a changed table reaches the frontend with the next pass.
 *
 * @module
 */

import { colourBarPng, legendOf } from "../core/render/legend.ts";
import {
  defaultColourTable,
  type DefaultTableName,
} from "../core/render/palettes/default_tables.ts";
import { legendKey, type Product } from "../core/storage/keys.ts";
import type { Store } from "../core/storage/store.ts";
import { encodeJson } from "./lists.ts";
import { LEVEL2_PRODUCT_MOMENTS } from "./sweep_selection.ts";

/**
 * Tables of the Level 3 types, as `renderProductImage()` picks them by
 * unit: DPR is a rate (in/h), the other precipitation codes are depths
 * (in). The base products share the Level 2 tables, as do differential
 * reflectivity and correlation coefficient.
 */
const LEVEL3_TYPE_TABLES: Readonly<
  Partial<Record<Product, readonly DefaultTableName[]>>
> = {
  hydrometeor: ["hydrometeor"],
  precipitation: ["precipitation", "precipitationRate"],
  base_reflectivity: ["REF"],
  base_velocity: ["VEL", "velocityKnots"],
  storm_relative_velocity: ["velocityKnots"],
  base_spectrum_width: ["spectrumWidthKnots"],
  composite_reflectivity: ["REF"],
  layer_composite_reflectivity: ["REF"],
  digital_hybrid_reflectivity: ["REF"],
  digital_differential_reflectivity: ["ZDR"],
  digital_correlation_coefficient: ["RHO"],
  digital_specific_differential_phase: ["KDP"],
  echo_tops: ["echoTops"],
  vertically_integrated_liquid: ["VIL"],
  tdwr_reflectivity: ["REF"],
  tdwr_velocity: ["VEL"],
};

/** Returns the built-in tables that draw the given products, once each. */
export function tablesOf(products: readonly Product[]): DefaultTableName[] {
  const tables = products.flatMap((product) => {
    const moment = LEVEL2_PRODUCT_MOMENTS[product];
    if (moment !== undefined) return [moment as DefaultTableName];
    return LEVEL3_TYPE_TABLES[product] ?? [];
  });
  return [...new Set(tables)];
}

/** The two objects of one legend. */
export interface LegendObjects {
  png: Uint8Array;
  json: Uint8Array;
}

/** Draws the legend objects of a built-in table. */
export function legendObjects(name: DefaultTableName): LegendObjects {
  const table = defaultColourTable(name);
  return {
    png: colourBarPng(table),
    json: encodeJson({ name, ...legendOf(table) }),
  };
}

/**
 * Writes the legends of `tables` that are missing or differ.
 *
 * @returns The keys written.
 */
export async function publishLegends(
  store: Store,
  tables: readonly DefaultTableName[],
): Promise<string[]> {
  const written: string[] = [];
  for (const name of tables) {
    const objects = legendObjects(name);
    for (const extension of ["png", "json"] as const) {
      const key = legendKey(name, extension);
      const body = objects[extension];
      const stored = await store.get(key);
      if (stored !== null && sameBytes(stored.body, body)) continue;
      await store.put(key, body, {
        contentType: extension === "png" ? "image/png" : "application/json",
      });
      written.push(key);
    }
  }
  return written;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
