/**
 * Reads the JSON objects the API serves (lists, code options, flags) and
 * tolerates a damaged one: it is logged and served as missing, so one bad
 * file does not break the frontend's other requests.
 *
 * @module
 */

import {
  comparePrefixes,
  isPrefix,
  listKey,
  MAX_SWEEP_INDEX,
  type Product,
  PRODUCT_LEVEL,
} from "../core/storage/keys.ts";
import {
  isJsonObject,
  type JsonObject,
  parseStoredObject,
} from "../core/storage/update_json.ts";
import type { ApiDeps } from "./deps.ts";

/** Reads a JSON object; null when it is missing or not a JSON object. */
export async function readJsonObject(
  { store, logger }: ApiDeps,
  key: string,
): Promise<JsonObject | null> {
  const stored = await store.get(key);
  if (stored === null) return null;
  try {
    return parseStoredObject(key, stored.body, false);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    logger.warn(`${error.message}; serving it as missing`);
    return null;
  }
}

/**
 * Reads a product's list as a Map from prefix to entry, in chronological
 * order. Entries whose prefix does not fit the product's level, or whose
 * `sweeps` is not an integer from 1 to 100, are dropped with a warning,
 * because the frontend would request images that cannot exist.
 */
export async function readList(
  deps: ApiDeps,
  product: Product,
): Promise<Map<string, JsonObject>> {
  const key = listKey(product);
  const list = await readJsonObject(deps, key) ?? {};
  const level = PRODUCT_LEVEL[product];

  const valid: [string, JsonObject][] = [];
  for (const [prefix, entry] of Object.entries(list)) {
    if (isPrefix(level, prefix) && isListEntry(entry)) {
      valid.push([prefix, entry]);
    }
  }
  const dropped = Object.keys(list).length - valid.length;
  if (dropped > 0) {
    deps.logger.warn(`Skipped ${dropped} invalid entries of "${key}"`);
  }

  valid.sort(([a], [b]) => comparePrefixes(a, b));
  return new Map(valid);
}

/** Returns whether a list value is `{sweeps: n}` with n a usable count. */
function isListEntry(entry: unknown): entry is JsonObject {
  if (!isJsonObject(entry)) return false;
  const { sweeps } = entry;
  return Number.isSafeInteger(sweeps) && (sweeps as number) >= 1 &&
    (sweeps as number) <= MAX_SWEEP_INDEX + 1;
}
