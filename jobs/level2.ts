/**
 * One Level 2 pass: finds the volumes of the configured sites in a time
 * window of the archive, decodes and renders the new ones, stores their
 * images and publishes them in the lists, then applies retention.
 *
 * @module
 */

import { DecodeError } from "../core/errors.ts";
import type { SourceBucket } from "../core/source/bucket.ts";
import {
  level2DayPrefixes,
  parseLevel2Name,
  selectLevel2Keys,
} from "../core/source/level2_keys.ts";
import type { Store } from "../core/storage/store.ts";
import { failureKey, listKey } from "./layout.ts";
import { createLimiter } from "./limit.ts";
import {
  isExpired,
  publishEntries,
  setUpdateFlag,
  siteCutoffs,
} from "./lists.ts";
import { type JobLog, logDecodeWarnings } from "./log.ts";
import {
  applyRetention,
  clearFailure,
  readFailures,
  readLists,
  recordFailure,
  storeImages,
} from "./publish.ts";
import type { RenderedInput, Renderer } from "./rendered.ts";

/** One input of a pass: an archive object or a local file. */
export interface Level2Input {
  /** Archive key or file path, for messages and failure records. */
  source: string;
  /**
   * Name to store the volume under, from the object name; null when the
   * name does not carry it (local files), then built from the data.
   */
  prefix: string | null;
  read(): Promise<Uint8Array>;
}

/** What a pass needs; tests pass doubles for the store, source and renderer. */
export interface PassDependencies {
  store: Store;
  render: Renderer;
  log: JobLog;
  /** Clock of the pass; retention compares object write times with it. */
  now?: () => Date;
  /** Stops the pass between steps when aborted. */
  signal?: AbortSignal;
}

/** Settings of a Level 2 pass. */
export interface Level2PassOptions {
  /** Products to render, the main one first, e.g. ["reflectivity", "velocity"]. */
  products: string[];
  /** Retention window, minutes. */
  windowMinutes: number;
  /** Downloads that run at once. */
  downloadConcurrency: number;
  /** Inputs decoded and rendered at once (the worker pool's size). */
  renderConcurrency: number;
  /** Failed attempts after which an input is skipped. */
  maxAttempts: number;
  /** Image width and height, pixels; the renderer's default when absent. */
  imageSize?: number;
}

/** Counts of one pass, for its summary line and for tests. */
export interface PassSummary {
  /** Inputs found in the window (or given as files). */
  found: number;
  /** Inputs already listed. */
  listed: number;
  /** Inputs skipped: too many failed attempts, or older than the window. */
  skipped: number;
  /** Inputs decoded, rendered, stored and listed by this pass. */
  published: number;
  /** Inputs that failed to decode or render. */
  failed: number;
  /** Reads or writes that failed (archive or store); retried next pass. */
  errors: number;
  /** Objects deleted by retention. */
  deleted: number;
}

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

/** Makes the inputs of local files; the prefix comes from the file name when it has one. */
export function level2FileInputs(paths: readonly string[]): Level2Input[] {
  return paths.map((path) => {
    const name = path.split(/[\\/]/).pop()!;
    return {
      source: path,
      prefix: parseLevel2Name(name)?.prefix ?? null,
      read: () => Deno.readFile(path),
    };
  });
}

/** Processes the inputs, publishes them and applies retention. */
export async function runLevel2Pass(
  deps: PassDependencies,
  options: Level2PassOptions,
  inputs: readonly Level2Input[],
): Promise<PassSummary> {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  const summary: PassSummary = {
    found: inputs.length,
    listed: 0,
    skipped: 0,
    published: 0,
    failed: 0,
    errors: 0,
    deleted: 0,
  };
  const [main] = options.products;
  const lists = await readLists(store, 2, options.products);
  const mainList = lists.get(main)!;
  const failuresKey = failureKey(2, main);
  const failures = await readFailures(store, 2, main);
  const candidates = inputs.map((input) => input.prefix).filter((p) =>
    p !== null
  );
  const cutoffs = siteCutoffs(
    [...Object.keys(mainList), ...candidates],
    options.windowMinutes,
  );

  const todo: Level2Input[] = [];
  for (const input of inputs) {
    const prefix = input.prefix;
    if (prefix !== null && prefix in mainList) {
      summary.listed++;
    } else if (prefix !== null && isExpired(prefix, cutoffs)) {
      summary.skipped++;
      log.warn(
        `level2 key=${input.source}: older than the retention window of its site, skipped`,
      );
    } else if (
      prefix !== null &&
      (failures[prefix]?.attempts ?? 0) >= options.maxAttempts
    ) {
      summary.skipped++;
      log.progress(
        `level2 key=${input.source}: failed ${options.maxAttempts} times before, skipped`,
      );
    } else {
      todo.push(input);
    }
  }

  const downloads = createLimiter(options.downloadConcurrency);
  const items = createLimiter(
    options.downloadConcurrency + options.renderConcurrency,
  );
  const publications = createLimiter(1);

  async function processInput(input: Level2Input): Promise<void> {
    deps.signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      bytes = await downloads(() => input.read());
    } catch (error) {
      summary.errors++;
      log.error(`level2 key=${input.source}: ${messageOf(error)}`);
      return;
    }

    deps.signal?.throwIfAborted();
    const started = performance.now();
    let rendered: RenderedInput;
    try {
      rendered = await deps.render({
        kind: "level2",
        bytes,
        source: input.source,
        products: options.products,
        imageSize: options.imageSize,
      });
      if ((rendered.products[main]?.length ?? 0) === 0) {
        throw new Error(`No sweep of ${input.source} carries ${main}`);
      }
    } catch (error) {
      await failInput(input, error);
      return;
    }

    const prefix = input.prefix ?? prefixOf(rendered);
    logDecodeWarnings(log, rendered.siteId, input.source, rendered.warnings);
    deps.signal?.throwIfAborted();
    try {
      const counts = await storeAndPublish(prefix, rendered);
      if (prefix in failures) await clearFailure(store, failuresKey, prefix);
      summary.published++;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      log.progress(`level2 ${prefix}: ${counts} in ${seconds} s`);
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      summary.errors++;
      log.error(`level2 key=${input.source}: ${messageOf(error)}`);
    }
  }

  async function storeAndPublish(
    prefix: string,
    rendered: RenderedInput,
  ): Promise<string> {
    const products = options.products.filter((product) =>
      (rendered.products[product]?.length ?? 0) > 0
    );
    for (const product of products) {
      await storeImages(store, 2, prefix, product, rendered.products[product]);
      deps.signal?.throwIfAborted();
    }
    // The main product's list decides whether a volume is done, so it is
    // written last: a pass killed between two lists redoes the volume.
    await publications(async () => {
      for (const product of [...products.slice(1), products[0]]) {
        const sweeps = rendered.products[product].length;
        const written = await publishEntries(
          store,
          listKey(2, product),
          { [prefix]: { sweeps } },
          options.windowMinutes,
        );
        if (!(prefix in written)) {
          log.warn(
            `level2 ${prefix}: older than the retention window of its list, not listed`,
          );
        }
      }
      for (const product of products) await setUpdateFlag(store, product);
    });
    return products.map((p) => `${p}=${rendered.products[p].length}`).join(" ");
  }

  async function failInput(input: Level2Input, error: unknown): Promise<void> {
    summary.failed++;
    const where = error instanceof DecodeError
      ? ` offset=${error.offset} messageType=${error.messageType ?? "unknown"}`
      : "";
    log.error(`level2 key=${input.source}${where}: ${messageOf(error)}`);
    if (input.prefix === null) return;
    try {
      const record = await recordFailure(store, failuresKey, input.prefix, {
        source: input.source,
        error: messageOf(error),
        at: now(),
      });
      if (record.attempts >= options.maxAttempts) {
        log.warn(
          `level2 key=${input.source}: failed ${record.attempts} times, skipped from now on`,
        );
      }
    } catch (recordError) {
      summary.errors++;
      log.error(`level2 key=${input.source}: ${messageOf(recordError)}`);
    }
  }

  await Promise.all(todo.map((input) => items(() => processInput(input))));
  deps.signal?.throwIfAborted();
  summary.deleted = await applyRetention(store, {
    level: 2,
    products: options.products,
    windowMinutes: options.windowMinutes,
    now: now(),
  });
  return summary;
}

/** Builds `SITEYYYYMMDD_HHMMSS_Vnn` from the decoded volume. */
function prefixOf(rendered: RenderedInput): string {
  const digits = rendered.collectedAt.replace(/\D/g, "");
  const version = /^AR2V00(\d\d)$/.exec(rendered.archiveVersion ?? "")?.[1] ??
    "00";
  return `${rendered.siteId}${digits.slice(0, 8)}_${
    digits.slice(8, 14)
  }_V${version}`;
}

/** Returns an error's message, or the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
