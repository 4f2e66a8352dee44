/**
 * The legends of the colour tables a pass draws with: a colour bar PNG and
 * a JSON list of values, colours and labels per table, stored under
 * `legends/{table}.png` and `.json` for `GET /legend/`. A pass writes them
 * when they are missing or differ from what the built-in tables give, so
 * a changed table reaches the frontend with the next pass.
 *
 * @module
 */

import { productOfMnemonic } from "../core/level3/products.ts";
import { colourBarPng, legendOf } from "../core/render/legend.ts";
import {
  builtInTableOf,
  defaultColourTable,
  type DefaultTableName,
} from "../core/render/palettes/default_tables.ts";
import { legendKey, type Product } from "../core/storage/keys.ts";
import type { Store } from "../core/storage/store.ts";
import { encodeJson } from "./lists.ts";
import type { Level3Type } from "./level3_catalogue.ts";
import { LEVEL2_PRODUCT_MOMENTS } from "./sweep_selection.ts";

/** Returns the built-in tables that draw the Level 2 products, once each. */
export function level2Tables(
  products: readonly Product[],
): DefaultTableName[] {
  const tables = products.flatMap((product) => {
    const moment = LEVEL2_PRODUCT_MOMENTS[product];
    return moment === undefined ? [] : [moment as DefaultTableName];
  });
  return [...new Set(tables)];
}

/**
 * Returns the built-in tables that draw the codes of the Level 3 types,
 * once each. A code gets the table the renderer picks from its product's
 * unit, so the 16-level velocities get the knots table.
 */
export function level3Tables(
  types: readonly Level3Type[],
): DefaultTableName[] {
  const tables = types.flatMap(({ codes }) =>
    codes.flatMap(({ value, image }) => {
      const info = image === false ? undefined : productOfMnemonic(value);
      const table = info && builtInTableOf(info.code, info.unit);
      return table === undefined ? [] : [table];
    })
  );
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
