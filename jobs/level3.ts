/**
 * The Level 3 pass. It lists the product-days of each configured site and
 * code in the window and hands the new products to the common pass, which
 * stores one image `idx0` per product under its type. It also keeps
 * `codes/options.json` in step with the lists.
 *
 * @module
 */

import { isAbort } from "../core/errors.ts";
import type { SourceBucket } from "../core/source/bucket.ts";
import {
  level3DayPrefixes,
  selectLevel3Keys,
} from "../core/source/level3_keys.ts";
import { level3IdOf } from "../core/source/sites.ts";
import { etagOf } from "../core/storage/etag.ts";
import type { Store } from "../core/storage/store.ts";
import { CODES_KEY, listKey, type Product } from "../core/storage/keys.ts";
import {
  type CatalogueCode,
  LEVEL3_CATALOGUE,
  type Level3Type,
} from "./level3_catalogue.ts";
import { type FileList, readJson, updateJson } from "./lists.ts";
import type { JobLog } from "./log.ts";
import {
  logListingFailure,
  messageOf,
  type PassDependencies,
  type PassInput,
  type PassOptions,
  type PassSummary,
  runPass,
} from "./pass.ts";

/** Settings of a Level 3 pass. */
export interface Level3PassOptions extends PassOptions {
  /** Product types and their codes. */
  types: Level3Type[];
}

/**
 * Finds the products of `sites` and `types` between `start` and `end`.
 * A listing that gets no response ends the search, and the next pass
 * lists again: the other listings would each wait for the same failure.
 */
export async function discoverLevel3(
  source: SourceBucket,
  sites: readonly string[],
  types: readonly Level3Type[],
  window: { start: Date; end: Date },
  log: JobLog,
): Promise<{ inputs: PassInput[]; errors: number }> {
  const inputs: PassInput[] = [];
  let errors = 0;
  for (const id of new Set(sites.map(level3IdOf))) {
    for (const { type, codes } of types) {
      const keys: string[] = [];
      // A product without an image (SPD) is never fetched: it would fail.
      for (const { value } of codes.filter((c) => c.image !== false)) {
        const { start, end } = window;
        for (const prefix of level3DayPrefixes(id, value, start, end)) {
          try {
            for await (const object of source.list(prefix)) {
              keys.push(object.key);
            }
          } catch (error) {
            if (isAbort(error)) throw error;
            errors++;
            const context = `level3 site=${id} prefix=${prefix}`;
            if (logListingFailure(log, context, error)) {
              return { inputs, errors };
            }
          }
        }
      }
      for (const found of selectLevel3Keys(keys, window.start, window.end)) {
        inputs.push({
          source: found.key,
          prefix: found.prefix,
          product: type,
          read: () => source.get(found.key),
        });
      }
    }
  }
  return { inputs, errors };
}

/**
 * Makes the inputs of local Level 3 files. Each file is decoded here to
 * tell what it is, whatever its name: the product mnemonic (the AWIPS id
 * of the WMO heading, else the product table's), the ICAO site and the
 * volume time make the prefix, e.g. `KTLX20130520_201643_N0H`. Files
 * left out are logged and counted. A file that cannot be read is an error.
 * One that does not decode or names no site is a failure. One whose
 * product is of no configured type or has no image is skipped, and so is
 * a valid message that contains no product (General Status, free text).
 */
export async function level3FileInputs(
  paths: readonly string[],
  types: readonly Level3Type[],
  log: JobLog,
): Promise<LocalInputs> {
  const found: LocalInputs = { inputs: [], errors: 0, failed: 0, skipped: 0 };
  // Loaded here, not with this module: the decoder's framing imports
  // node:zlib, about 15 ms of every Level 2 run's start.
  const { decodeProduct, UnsupportedProductError } = await import(
    "../core/level3/decode.ts"
  );
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await Deno.readFile(path);
    } catch (error) {
      found.errors++;
      log.error(`level3 key=${path}: ${messageOf(error)}`);
      continue;
    }
    let product;
    try {
      product = await decodeProduct(bytes, { source: path });
    } catch (error) {
      if (error instanceof UnsupportedProductError) {
        found.skipped++;
        log.warn(`level3 key=${path}: ${error.message}, skipped`);
      } else {
        found.failed++;
        log.error(`level3 key=${path}: ${messageOf(error)}`);
      }
      continue;
    }

    const { mnemonic, siteId, volumeScanTime } = product;
    const known = mnemonic === null ? undefined : findCode(types, mnemonic);
    const name = `product ${product.productCode} ` +
      `(${mnemonic ?? "no mnemonic"}, site ${siteId ?? "unknown"})`;
    if (siteId === null) {
      found.failed++;
      log.error(
        `level3 key=${path}: Cannot store ${name}: the product names no site`,
      );
      continue;
    }
    if (known === undefined) {
      // A valid product that the settings or the catalogue leave out: not
      // a failure of the file.
      found.skipped++;
      log.warn(
        `level3 key=${path}: ${name} skipped: ` +
          unconfiguredReason(types, mnemonic),
      );
      continue;
    }
    if (known.code.image === false) {
      found.skipped++;
      log.warn(
        `level3 key=${path}: ${mnemonic} is a product without an image, skipped`,
      );
      continue;
    }
    const time = volumeScanTime.toISOString().replace(/\D/g, "");
    // Read again when the pass gets to it, so that a folder of products is
    // not held in memory all at once. The tag (a SHA-256 prefix) shows
    // whether the file changed.
    const tag = await etagOf(bytes);
    found.inputs.push({
      source: path,
      prefix: `${siteId}${time.slice(0, 8)}_${time.slice(8, 14)}_${mnemonic}`,
      product: known.type,
      local: true,
      read: async () => {
        const again = await Deno.readFile(path);
        if (await etagOf(again) !== tag) {
          throw new Error(
            `${path} changed after it was decoded to name it; run again`,
          );
        }
        return again;
      },
    });
  }
  return found;
}

/** Returns why a product is not processed, and which setting adds it. */
function unconfiguredReason(
  types: readonly Level3Type[],
  mnemonic: string | null,
): string {
  const configured = `L3_PRODUCTS (${types.map((t) => t.type).join(",")})`;
  const type = Object.entries(LEVEL3_CATALOGUE).find(([, codes]) =>
    codes.some((code) => code.value === mnemonic)
  )?.[0];
  return type === undefined
    ? "no Level 3 type includes this product"
    : `${configured} does not include it; add ${type} or ${type}:${mnemonic}`;
}

function findCode(
  types: readonly Level3Type[],
  value: string,
): { type: Level3Type["type"]; code: CatalogueCode } | undefined {
  for (const { type, codes } of types) {
    const code = codes.find((c) => c.value === value);
    if (code !== undefined) return { type, code };
  }
  return undefined;
}

/** The inputs made of local files, and the files left out. */
export interface LocalInputs {
  inputs: PassInput[];
  /** Files that could not be read. */
  errors: number;
  /** Files that did not decode or are of no configured type. */
  failed: number;
  /** Files of products without an image. */
  skipped: number;
}

/** Processes Level 3 inputs, publishes them and applies retention. */
export async function runLevel3Pass(
  deps: PassDependencies,
  options: Level3PassOptions,
  inputs: readonly PassInput[],
): Promise<PassSummary> {
  const summary = await runPass(
    deps,
    {
      level: 3,
      products: options.types.map((t) => t.type),
      task: (input, bytes) => ({
        kind: "level3",
        bytes,
        source: input.source,
        product: input.product,
        resolutionM: options.resolutionM,
      }),
      prefixOf: () => {
        throw new Error("Level 3 inputs always carry their prefix");
      },
      afterPublish: (store) => writeCodeOptions(store, options.types),
    },
    options,
    inputs,
  );
  await writeCodeOptions(deps.store, options.types);
  return summary;
}

/** One entry of `codes/options.json`. */
export interface CodeOption {
  value: string | null;
  label: string | null;
  /** List entries of this code. */
  count: number;
}

/**
 * Writes `codes/options.json` from the catalogue and the lists.
 *
 * A type is in the menu when `types` names it or its list has entries. A
 * type of `types` offers its chosen codes, and any other type the codes
 * the menu offered before. Codes with list entries are offered too, in
 * menu order, each with its number of entries. A type whose list cannot
 * be read keeps its menu entry. The `reflectivity` type, shown from Level
 * 2, gets the one placeholder entry the frontend expects.
 */
export async function writeCodeOptions(
  store: Store,
  types: readonly Level3Type[],
): Promise<void> {
  const chosen = new Map<string, Set<string>>(
    types.map(({ type, codes }) => [type, new Set(codes.map((c) => c.value))]),
  );
  // Each attempt reads the lists after the menu. A pass that lists an
  // entry writes the menu after, so the last menu written counts it.
  // After a write the lists are read once more, because a store whose
  // ETags hash the content accepts a write over a menu that changed and
  // changed back since it was read.
  for (let round = 1; round <= 3; round++) {
    let counted = "";
    const written = await updateJson<Record<string, unknown>>(
      store,
      CODES_KEY,
      async (menu) => {
        const counts = await listCounts(store);
        counted = countsKey(counts);
        const options = codeOptions(chosen, counts, menu);
        return JSON.stringify(menu) === JSON.stringify(options)
          ? null
          : options;
      },
    );
    if (written === null) return;
    if (countsKey(await listCounts(store)) === counted) return;
  }
}

/** Builds the menu (see {@linkcode writeCodeOptions}). */
function codeOptions(
  chosen: ReadonlyMap<string, ReadonlySet<string>>,
  counts: ReadonlyMap<string, ReadonlyMap<string, number> | null>,
  menu: Record<string, unknown>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {
    reflectivity: [{ value: null, label: null, count: 0 }],
  };
  for (const [type, catalogue] of Object.entries(LEVEL3_CATALOGUE)) {
    const entries = counts.get(type);
    if (entries === null && Array.isArray(menu[type])) {
      options[type] = menu[type];
      continue;
    }
    if (!chosen.has(type) && !entries) continue;
    const offered = chosen.get(type) ?? menuCodes(menu[type]);
    const codes = catalogue.filter(({ value }) =>
      offered.has(value) || entries?.has(value)
    );
    if (codes.length === 0) continue;
    options[type] = codes.map(({ value, label }): CodeOption => ({
      value,
      label,
      count: entries?.get(value) ?? 0,
    }));
  }
  return options;
}

/**
 * Counts the list entries of each Level 3 type per code. A type whose
 * list is missing or empty is left out, and one whose list cannot be
 * read (a failed store request) maps to null.
 */
async function listCounts(
  store: Store,
): Promise<Map<string, Map<string, number> | null>> {
  const types = Object.keys(LEVEL3_CATALOGUE) as Product[];
  const lists = await Promise.all(
    types.map((type) =>
      readJson<FileList>(store, listKey(type)).catch(() => undefined)
    ),
  );
  const counts = new Map<string, Map<string, number> | null>();
  types.forEach((type, i) => {
    const list = lists[i];
    if (list === undefined) counts.set(type, null);
    for (const prefix of Object.keys(list ?? {})) {
      const code = prefix.slice(prefix.lastIndexOf("_") + 1);
      const codes = counts.get(type) ?? new Map<string, number>();
      codes.set(code, (codes.get(code) ?? 0) + 1);
      counts.set(type, codes);
    }
  });
  return counts;
}

/** Serialises counts, to tell whether the lists changed between reads. */
function countsKey(
  counts: ReadonlyMap<string, ReadonlyMap<string, number> | null>,
): string {
  return JSON.stringify(
    [...counts].map(([type, codes]) => [type, codes && [...codes]]),
  );
}

/** Returns the codes a stored menu entry names; none when it is malformed. */
function menuCodes(entry: unknown): Set<string> {
  if (!Array.isArray(entry)) return new Set();
  return new Set(
    entry.flatMap((option) =>
      typeof option?.value === "string" ? [option.value] : []
    ),
  );
}
