/**
 * The Level 3 pass. It lists the product-days of each configured site and
 * code in the window and hands the new products to the common pass, which
 * stores one image `idx0` per product under its type. It also keeps
 * `codes/options.json` in step with the lists.
 *
 * @module
 */

import type { SourceBucket } from "../core/source/bucket.ts";
import {
  level3DayPrefixes,
  parseLevel3Key,
  selectLevel3Keys,
} from "../core/source/level3_keys.ts";
import { icaoFromLevel3Id, level3IdOf } from "../core/source/sites.ts";
import type { Store } from "../core/storage/store.ts";
import { CODES_KEY, listKey } from "../core/storage/keys.ts";
import type { Level3Type } from "./level3_catalogue.ts";
import { type FileList, readJson, updateJson } from "./lists.ts";
import type { JobLog } from "./log.ts";
import {
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

/** Finds the products of `sites` and `types` between `start` and `end`. */
export async function discoverLevel3(
  source: SourceBucket,
  sites: readonly string[],
  types: readonly Level3Type[],
  window: { start: Date; end: Date },
  log: JobLog,
): Promise<{ inputs: PassInput[]; errors: number }> {
  const inputs: PassInput[] = [];
  let errors = 0;
  for (const site of sites) {
    const id = level3IdOf(site);
    for (const { type, codes } of types) {
      const keys: string[] = [];
      for (const { value } of codes) {
        const { start, end } = window;
        for (const prefix of level3DayPrefixes(id, value, start, end)) {
          try {
            for await (const object of source.list(prefix)) {
              keys.push(object.key);
            }
          } catch (error) {
            errors++;
            log.error(
              `level3 site=${id} prefix=${prefix}: ${messageOf(error)}`,
            );
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
 * Makes the inputs of local Level 3 files. The name gives the code, site
 * and time: either the bucket's `SSS_PPP_YYYY_MM_DD_HH_MM_SS` or a WMO
 * style name ending in `_PPPSSS_YYYYMMDDHHMM`, e.g.
 * `KOUN_SDUS84_N0HTLX_201305202016`.
 *
 * @throws {TypeError} For a name of neither form or a code of no configured type.
 */
export function level3FileInputs(
  paths: readonly string[],
  types: readonly Level3Type[],
): PassInput[] {
  return paths.map((path) => {
    const name = path.split(/[\\/]/).pop()!;
    const parsed = parseLevel3Key(name) ?? parseWmoName(name);
    if (parsed === null) {
      throw new TypeError(
        `Cannot tell the product of "${path}": expected a name like PDT_N0H_2025_03_21_01_04_12 or KOUN_SDUS84_N0HTLX_201305202016`,
      );
    }
    const type = types.find((t) =>
      t.codes.some((c) => c.value === parsed.code)
    );
    if (type === undefined) {
      throw new TypeError(
        `Invalid product "${parsed.code}" in "${path}": no configured Level 3 type has it`,
      );
    }
    return {
      source: path,
      prefix: parsed.prefix,
      product: type.type,
      read: () => Deno.readFile(path),
    };
  });
}

function parseWmoName(name: string): { code: string; prefix: string } | null {
  const match = /_([A-Z0-9]{3})([A-Z]{3})_(\d{8})(\d{4})$/.exec(name);
  if (match === null) return null;
  const [, code, id, date, clock] = match;
  return { code, prefix: `${icaoFromLevel3Id(id)}${date}_${clock}00_${code}` };
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
 * Writes `codes/options.json` from the catalogue and the lists: per type,
 * every code in menu order with the number of list entries it has. The
 * `reflectivity` type, shown from Level 2, gets the one placeholder entry
 * the frontend expects.
 */
export async function writeCodeOptions(
  store: Store,
  types: readonly Level3Type[],
): Promise<void> {
  const options: Record<string, CodeOption[]> = {
    reflectivity: [{ value: null, label: null, count: 0 }],
  };
  for (const { type, codes } of types) {
    const list = await readJson<FileList>(store, listKey(type)) ?? {};
    const counts = new Map<string, number>();
    for (const prefix of Object.keys(list)) {
      const code = prefix.slice(prefix.lastIndexOf("_") + 1);
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    options[type] = codes.map(({ value, label }) => ({
      value,
      label,
      count: counts.get(value) ?? 0,
    }));
  }
  await updateJson<Record<string, CodeOption[]>>(
    store,
    CODES_KEY,
    (current) =>
      JSON.stringify(current) === JSON.stringify(options) ? null : options,
  );
}
