/**
 * The steps every pass takes, for Level 2 volumes and Level 3 products
 * alike: skip inputs that are listed, too old or failing, then for each
 * other input download, decode and render (in the worker pool), store the
 * images, publish the list entries and the update flags, and finally
 * apply retention. See `publish.ts` for why that order is safe.
 *
 * @module
 */

import { DecodeError } from "../core/errors.ts";
import type { Store } from "../core/storage/store.ts";
import {
  failureKey,
  type Level,
  listKey,
  type Product,
} from "../core/storage/keys.ts";
import { createLimiter, type Limiter } from "./limit.ts";
import { WorkerTaskError } from "./pool.ts";
import {
  type FileList,
  isExpired,
  publishEntries,
  readJson,
  setUpdateFlag,
  siteCutoffs,
} from "./lists.ts";
import { type JobLog, logDecodeWarnings } from "./log.ts";
import {
  applyRetention,
  clearFailure,
  type FailureRecords,
  readFailures,
  recordFailure,
  storeImages,
} from "./publish.ts";
import type { RenderedInput, Renderer, RenderTask } from "./rendered.ts";

/** One input of a pass: an archive object or a local file. */
export interface PassInput {
  /** Archive key or file path, for messages and failure records. */
  source: string;
  /**
   * Name to store the input under; null when the name does not carry it
   * (local files), then it is built from the decoded data.
   */
  prefix: string | null;
  /**
   * The product whose list records that the input is done and whose
   * failure records count its attempts: the main Level 2 product, or the
   * Level 3 product type of the input.
   */
  product: Product;
  /**
   * True for a local file (`--file`). A local file is decoded even when
   * its prefix is listed, since it may hold a more complete volume, and
   * it leaves no failure record: the operator sees its error and the exit
   * status, and a later good file of the same name is never blocked.
   */
  local?: boolean;
  read(): Promise<Uint8Array>;
}

/** Dependencies of a pass; tests pass doubles for the store and renderer. */
export interface PassDependencies {
  store: Store;
  render: Renderer;
  log: JobLog;
  /** Clock of the pass; retention compares object write times with it. */
  now?: () => Date;
  /** Stops the pass between steps when aborted. */
  signal?: AbortSignal;
}

/** Settings shared by both passes. */
export interface PassOptions {
  /** Retention window, minutes. */
  windowMinutes: number;
  /** Downloads that run at once. */
  downloadConcurrency: number;
  /** Inputs decoded and rendered at once (the worker pool's size). */
  renderConcurrency: number;
  /** Failed attempts after which an input is skipped. */
  maxAttempts: number;
  /** Ground size of a pixel, metres; the renderer's default when absent. */
  resolutionM?: number;
}

/** The level-specific parts of a pass: tasks, names and follow-up. */
export interface PassSpec {
  level: Level;
  /** Every product this pass keeps lists of. */
  products: readonly Product[];
  /** Builds the render task of an input. */
  task(input: PassInput, bytes: Uint8Array): RenderTask;
  /** Builds the prefix from the data when the input's name has none. */
  prefixOf(rendered: RenderedInput): string;
  /** Runs after new entries were published, e.g. to update code counts. */
  afterPublish?(store: Store): Promise<void>;
}

/** Counts of one pass, for its summary line and for tests. */
export interface PassSummary {
  /** Inputs found in the window (or given as files). */
  found: number;
  /** Inputs already listed, or listed with as many images by another input. */
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

/** Processes the inputs, publishes them and applies retention. */
export async function runPass(
  deps: PassDependencies,
  spec: PassSpec,
  options: PassOptions,
  inputs: readonly PassInput[],
): Promise<PassSummary> {
  const { store, log } = deps;
  const now = deps.now ?? (() => new Date());
  const name = `level${spec.level}`;
  const summary: PassSummary = {
    found: inputs.length,
    listed: 0,
    skipped: 0,
    published: 0,
    failed: 0,
    errors: 0,
    deleted: 0,
  };

  const lists = new Map<Product, FileList>();
  const failures = new Map<Product, FailureRecords>();
  for (const product of new Set(inputs.map((input) => input.product))) {
    lists.set(
      product,
      await readJson(store, listKey(product)) ?? {},
    );
    failures.set(product, await readFailures(store, product));
  }
  const cutoffs = siteCutoffs(
    [
      ...[...lists.values()].flatMap((list) => Object.keys(list)),
      ...inputs.flatMap((input) => input.prefix ?? []),
    ],
    options.windowMinutes,
  );

  const todo: PassInput[] = [];
  for (const input of inputs) {
    const prefix = input.prefix;
    const attempts = prefix === null || input.local
      ? 0
      : failures.get(input.product)![prefix]?.attempts ?? 0;
    if (
      prefix !== null && !input.local && prefix in lists.get(input.product)!
    ) {
      summary.listed++;
    } else if (prefix !== null && isExpired(prefix, cutoffs)) {
      summary.skipped++;
      log.warn(
        `${name} key=${input.source}: older than the retention window of its site, skipped`,
      );
    } else if (attempts >= options.maxAttempts) {
      summary.skipped++;
      log.progress(
        `${name} key=${input.source}: failed ${attempts} times before, skipped`,
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
  const prefixLocks = new Map<string, Limiter>();

  /** Runs the publication of one prefix after any other of the same prefix. */
  function lockPrefix<T>(prefix: string, task: () => Promise<T>): Promise<T> {
    let lock = prefixLocks.get(prefix);
    if (lock === undefined) prefixLocks.set(prefix, lock = createLimiter(1));
    return lock(task);
  }

  async function processInput(input: PassInput): Promise<void> {
    deps.signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      bytes = await downloads(() => input.read());
    } catch (error) {
      summary.errors++;
      log.error(`${name} key=${input.source}: ${messageOf(error)}`);
      return;
    }

    deps.signal?.throwIfAborted();
    let rendered: RenderedInput;
    try {
      rendered = await deps.render(spec.task(input, bytes));
    } catch (error) {
      await failInput(input, error);
      return;
    }
    logDecodeWarnings(log, rendered.siteId, input.source, rendered.warnings);
    if ((rendered.products[input.product]?.length ?? 0) === 0) {
      const reason = `No ${input.product} image: ${input.source} decoded ` +
        `to no sweep or product that carries it`;
      await failInput(input, new Error(reason));
      return;
    }

    const stored = performance.now();
    const prefix = input.prefix ?? spec.prefixOf(rendered);
    deps.signal?.throwIfAborted();
    try {
      const counts = await lockPrefix(
        prefix,
        () => storeAndPublish(input, prefix, rendered),
      );
      if (counts === null) return;
      const records = failures.get(input.product);
      if (records !== undefined && prefix in records) {
        await clearFailure(
          store,
          failureKey(input.product),
          prefix,
        );
      }
      summary.published++;
      const rendering = (rendered.renderMs / 1000).toFixed(2);
      const storing = ((performance.now() - stored) / 1000).toFixed(2);
      log.progress(
        `${name} ${prefix}: ${counts}, rendered in ${rendering} s, stored in ${storing} s`,
      );
    } catch (error) {
      if (deps.signal?.aborted) throw error;
      summary.errors++;
      log.error(`${name} key=${input.source}: ${messageOf(error)}`);
    }
  }

  /**
   * Stores the images of an input, then lists them. A prefix that is
   * already listed is published again only from a more complete decode,
   * so that all objects and entries of a prefix come from one input.
   *
   * @returns The image counts for the progress line; null when skipped.
   */
  async function storeAndPublish(
    input: PassInput,
    prefix: string,
    rendered: RenderedInput,
  ): Promise<string | null> {
    const products = spec.products.filter((product) =>
      (rendered.products[product]?.length ?? 0) > 0
    );
    const listed = await listedCounts(prefix, [
      input.product,
      ...Object.keys(rendered.products) as Product[],
    ]);
    if (listed !== null && !isMoreComplete(rendered, listed)) {
      summary.listed++;
      const had = formatCounts(listed);
      log.progress(
        `${name} key=${input.source}: ${prefix} is listed with ${had}, ` +
          "which this input does not exceed, skipped",
      );
      return null;
    }
    if (listed !== null) {
      log.warn(
        `${name} key=${input.source}: ${prefix} was listed with ` +
          `${formatCounts(listed)}, published again with more images`,
      );
    }
    for (const product of products) {
      await storeImages(store, prefix, product, rendered.products[product]!);
      deps.signal?.throwIfAborted();
    }
    // The input's own product list decides whether it is done, so it is
    // written last: a pass killed between two lists redoes the input.
    const order = [
      ...products.filter((product) => product !== input.product),
      input.product,
    ];
    await publications(async () => {
      for (const product of order) {
        const sweeps = rendered.products[product]!.length;
        const written = await publishEntries(
          store,
          listKey(product),
          { [prefix]: { sweeps } },
          options.windowMinutes,
        );
        if (!(prefix in written)) {
          log.warn(
            `${name} ${prefix}: older than the retention window of its list, not listed`,
          );
        }
      }
      await spec.afterPublish?.(store);
      for (const product of products) await setUpdateFlag(store, product);
    });
    return formatCounts(
      Object.fromEntries(
        products.map((p) => [p, rendered.products[p]!.length]),
      ),
    );
  }

  /** Image counts per product of a listed prefix; null when none lists it. */
  async function listedCounts(
    prefix: string,
    candidates: readonly Product[],
  ): Promise<Partial<Record<Product, number>> | null> {
    const counts: Partial<Record<Product, number>> = {};
    let found = false;
    for (const product of new Set(candidates)) {
      const list = await readJson<FileList>(store, listKey(product));
      const sweeps = list?.[prefix]?.sweeps;
      if (Number.isInteger(sweeps) && sweeps! > 0) {
        counts[product] = sweeps;
        found = true;
      }
    }
    return found ? counts : null;
  }

  async function failInput(input: PassInput, error: unknown): Promise<void> {
    summary.failed++;
    const where = error instanceof DecodeError ||
        (error instanceof WorkerTaskError && error.offset !== undefined)
      ? ` offset=${error.offset} messageType=${error.messageType ?? "unknown"}`
      : "";
    log.error(`${name} key=${input.source}${where}: ${messageOf(error)}`);
    if (input.prefix === null || input.local) return;
    try {
      const key = failureKey(input.product);
      const record = await recordFailure(store, key, input.prefix, {
        source: input.source,
        error: messageOf(error),
        at: now(),
      });
      if (record.attempts >= options.maxAttempts) {
        log.warn(
          `${name} key=${input.source}: failed ${record.attempts} times, skipped from now on`,
        );
      }
    } catch (recordError) {
      summary.errors++;
      log.error(`${name} key=${input.source}: ${messageOf(recordError)}`);
    }
  }

  await Promise.all(todo.map((input) => items(() => processInput(input))));
  deps.signal?.throwIfAborted();
  summary.deleted = await applyRetention(store, {
    level: spec.level,
    products: spec.products,
    windowMinutes: options.windowMinutes,
    now: now(),
  });
  return summary;
}

/**
 * Tells whether a decode has at least as many images of every product as
 * is listed, and more in all: only then does republishing it overwrite
 * every listed object and leave none from the other input.
 */
export function isMoreComplete(
  rendered: RenderedInput,
  listed: Partial<Record<Product, number>>,
): boolean {
  for (const product of Object.keys(listed) as Product[]) {
    const count = rendered.products[product]?.length ?? 0;
    if (count < listed[product]!) return false;
  }
  let total = 0;
  for (const images of Object.values(rendered.products)) {
    total += images?.length ?? 0;
  }
  const listedTotal = Object.values(listed).reduce((a, b) => a + (b ?? 0), 0);
  return total > listedTotal;
}

function formatCounts(counts: Partial<Record<Product, number>>): string {
  return Object.entries(counts).map(([p, n]) => `${p}=${n}`).join(" ");
}

/** Returns an error's message, or the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
