/**
 * The Level 2 pass: finds the volumes of the configured sites in a time
 * window of the archive (or takes local files) and hands the new ones to
 * the common pass, which renders one image per elevation of each product
 * (see `sweep_selection.ts`) and publishes them.
 *
 * @module
 */

import type { SourceBucket } from "../core/source/bucket.ts";
import {
  level2DayPrefixes,
  selectLevel2Keys,
} from "../core/source/level2_keys.ts";
import type { Product } from "../core/storage/keys.ts";
import type { JobLog } from "./log.ts";
import {
  messageOf,
  type PassDependencies,
  type PassInput,
  type PassOptions,
  type PassSummary,
  runPass,
} from "./pass.ts";
import type { RenderedInput } from "./rendered.ts";

/** Settings of a Level 2 pass. */
export interface Level2PassOptions extends PassOptions {
  /** Products to render, the main one first, e.g. ["reflectivity", "velocity"]. */
  products: Product[];
}

/** A Level 2 input before the pass assigns its main product. */
export type Level2Input = Omit<PassInput, "product">;

/** Finds the volumes of `sites` that started between `start` and `end`. */
export async function discoverLevel2(
  source: SourceBucket,
  sites: readonly string[],
  start: Date,
  end: Date,
  log: JobLog,
): Promise<{ inputs: Level2Input[]; errors: number }> {
  const inputs: Level2Input[] = [];
  let errors = 0;
  for (const site of sites) {
    const keys: string[] = [];
    for (const prefix of level2DayPrefixes(site, start, end)) {
      try {
        for await (const object of source.list(prefix)) keys.push(object.key);
      } catch (error) {
        errors++;
        log.error(`level2 site=${site}: ${messageOf(error)}`);
      }
    }
    for (const found of selectLevel2Keys(keys, start, end)) {
      inputs.push({
        source: found.key,
        prefix: found.prefix,
        read: () => source.get(found.key),
      });
    }
  }
  return { inputs, errors };
}

/**
 * Makes the inputs of local files. Each is named from its decoded volume
 * (site, volume start and archive version), whatever the file's name, so
 * a renamed file cannot land under another site or time.
 */
export function level2FileInputs(paths: readonly string[]): Level2Input[] {
  return paths.map((path) => ({
    source: path,
    prefix: null,
    local: true,
    read: () => Deno.readFile(path),
  }));
}

/** Processes Level 2 inputs, publishes them and applies retention. */
export function runLevel2Pass(
  deps: PassDependencies,
  options: Level2PassOptions,
  inputs: readonly Level2Input[],
): Promise<PassSummary> {
  const [main] = options.products;
  return runPass(
    deps,
    {
      level: 2,
      products: options.products,
      task: (input, bytes) => ({
        kind: "level2",
        bytes,
        source: input.source,
        products: options.products,
        resolutionM: options.resolutionM,
      }),
      prefixOf: level2PrefixOf,
    },
    options,
    inputs.map((input) => ({ ...input, product: main })),
  );
}

/** Builds `SITEYYYYMMDD_HHMMSS_Vnn` from a decoded volume. */
function level2PrefixOf(rendered: RenderedInput): string {
  const digits = rendered.collectedAt.replace(/\D/g, "");
  const version = /^AR2V00(\d\d)$/.exec(rendered.archiveVersion ?? "")?.[1] ??
    "00";
  return `${rendered.siteId}${digits.slice(0, 8)}_${
    digits.slice(8, 14)
  }_V${version}`;
}
