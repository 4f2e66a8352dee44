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
import { isUnreachable } from "../core/source/bucket.ts";
import type { Store } from "../core/storage/store.ts";
import {
  failureKey,
  type Level,
  listKey,
  partialKey,
  type Product,
} from "../core/storage/keys.ts";
import { freeBuffers } from "./buffers.ts";
import { createLimiter, type Limiter } from "./limit.ts";
import { WorkerTaskError } from "./pool.ts";
import {
  type FileList,
  isExpired,
  isOutsideWindow,
  publishEntries,
  readJson,
  setUpdateFlag,
  siteCutoffs,
} from "./lists.ts";
import { type JobLog, logDecodeWarnings, offsetText } from "./log.ts";
import {
  applyRetention,
  clearRecord,
  type FailureRecords,
  type PartialRecords,
  readFailures,
  readPartial,
  recordFailure,
  recordPartial,
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
  /**
   * True for a real-time volume still arriving (no E chunk yet), false for
   * one whose E chunk came, absent for other inputs. A growing volume is
   * skipped, not failed, until its first sweep is complete, and the
   * decoder's warning that it ends early is expected.
   */
  growing?: boolean;
  /**
   * True when the images of the prefix already listed stay as they are: a
   * republish stores only those past them (a real-time volume, whose
   * images are cached for good once served).
   */
  appendOnly?: boolean;
  /**
   * Called once the input needs no more work: published, listed with as
   * many images, or (growing) without a complete sweep yet.
   */
  done?(): void;
  /**
   * For an input joined from several files (a chunk set): returns the file
   * that contains byte `offset` of the input and the offset in that file.
   */
  locate?(offset: number): string;
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
  const pass = new Pass(deps, spec, options, inputs.length);
  const todo = await pass.selectInputs(inputs);
  // Every input ends its render or writes before the pass stops, so that
  // a shutdown waiting for the pass leaves no write half-done.
  const processed = await Promise.allSettled(
    todo.map((input) => pass.items(() => pass.process(input))),
  );
  deps.signal?.throwIfAborted();
  for (const result of processed) {
    if (result.status === "rejected") throw result.reason;
  }
  await pass.dropOutdated();
  await pass.prune();
  return pass.summary;
}

/**
 * Age after which a temporary file of the store belongs to a write that
 * was killed: a write takes well under a second.
 */
const ABANDONED_AFTER_MS = 60 * 60_000;

/** Prefixes named in one log line about list entries that left. */
const MAX_PREFIXES_SHOWN = 5;

/** The state of one pass: what the store held at its start, and its counts. */
class Pass {
  readonly summary: PassSummary;
  /** Limits the inputs in flight: downloading, rendering or storing. */
  readonly items: Limiter;
  #deps: PassDependencies;
  #spec: PassSpec;
  #options: PassOptions;
  #name: string;
  #now: () => Date;
  #lists = new Map<Product, FileList>();
  #failures = new Map<Product, FailureRecords>();
  /** Level 2: prefixes listed from real-time volumes that ended early. */
  #partial = new Map<Product, PartialRecords>();
  /**
   * Per product: the oldest time each site's list keeps, from the list and
   * the inputs of that product. Each list keeps its own window.
   */
  #cutoffs = new Map<Product, Map<string, number>>();
  #downloads: Limiter;
  /** Serialises list and flag writes within this pass. */
  #publications = createLimiter(1);
  /** Serialises the publications of one prefix within this pass. */
  #prefixLocks = new Map<string, Limiter>();
  /**
   * Prefixes this pass listed: the last input that did, and how many
   * inputs of the prefix were counted as published.
   */
  #listed = new Map<string, { input: PassInput; published: number }>();

  constructor(
    deps: PassDependencies,
    spec: PassSpec,
    options: PassOptions,
    found: number,
  ) {
    this.#deps = deps;
    this.#spec = spec;
    this.#options = options;
    this.#name = `level${spec.level}`;
    this.#now = deps.now ?? (() => new Date());
    this.summary = {
      found,
      listed: 0,
      skipped: 0,
      published: 0,
      failed: 0,
      errors: 0,
      deleted: 0,
    };
    this.#downloads = createLimiter(options.downloadConcurrency);
    this.items = createLimiter(
      options.downloadConcurrency + options.renderConcurrency,
    );
  }

  /** Returns the inputs that are not listed, not too old and not given up. */
  async selectInputs(inputs: readonly PassInput[]): Promise<PassInput[]> {
    const { store, log } = this.#deps;
    for (const product of new Set(inputs.map((input) => input.product))) {
      this.#lists.set(product, await readJson(store, listKey(product)) ?? {});
      this.#failures.set(product, await readFailures(store, product));
      if (this.#spec.level === 2) {
        this.#partial.set(product, await readPartial(store, product));
      }
    }
    for (const [product, list] of this.#lists) {
      this.#cutoffs.set(
        product,
        siteCutoffs(
          [
            ...Object.keys(list),
            ...inputs.flatMap((input) =>
              input.product === product && input.prefix !== null
                ? [input.prefix]
                : []
            ),
          ],
          this.#options.windowMinutes,
        ),
      );
    }

    const todo: PassInput[] = [];
    for (const input of inputs) {
      const { prefix, source } = input;
      const attempts = prefix === null || input.local
        ? 0
        : this.#failures.get(input.product)![prefix]?.attempts ?? 0;
      // The archive object of a volume that real time published in part
      // adds the sweeps missing and leaves the cached images alone.
      const partial = prefix !== null && !input.local &&
        prefix in (this.#partial.get(input.product) ?? {});
      const listed = prefix !== null && !input.local && !partial &&
        prefix in this.#lists.get(input.product)!;
      if (listed) {
        this.summary.listed++;
      } else if (
        prefix !== null && isExpired(prefix, this.#cutoffs.get(input.product)!)
      ) {
        this.summary.skipped++;
        log.warn(
          `${this.#name} key=${source}: older than the retention window of its site, skipped`,
        );
      } else if (attempts >= this.#options.maxAttempts) {
        this.summary.skipped++;
        log.progress(
          `${this.#name} key=${source}: failed ${attempts} times before, skipped`,
        );
      } else if (partial) {
        log.progress(
          `${this.#name} key=${source}: ${prefix} was published from real-time chunks that ended early; completing it`,
        );
        todo.push({ ...input, appendOnly: true });
      } else {
        todo.push(input);
      }
    }
    return todo;
  }

  /** Downloads, renders, stores and publishes one input. */
  async process(input: PassInput): Promise<void> {
    const { log, signal } = this.#deps;
    signal?.throwIfAborted();
    let bytes: Uint8Array;
    try {
      // Checked again once a download slot is free: inputs wait for one.
      bytes = await this.#downloads(() => {
        signal?.throwIfAborted();
        return input.read();
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      this.summary.errors++;
      log.error(`${this.#name} key=${input.source}: ${messageOf(error)}`);
      return;
    }

    signal?.throwIfAborted();
    // Taken now: a worker pool moves the buffer away, leaving it empty.
    const inputLength = bytes.length;
    let rendered: RenderedInput;
    try {
      rendered = await this.#deps.render(this.#spec.task(input, bytes), {
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      await this.#fail(input, error);
      return;
    }
    // A volume still arriving ends where its chunks end so far.
    logDecodeWarnings(
      log,
      rendered.siteId,
      input,
      rendered.warnings,
      (warning) => input.growing === true && warning.offset >= inputLength,
    );
    if ((rendered.products[input.product]?.length ?? 0) === 0) {
      if (input.growing) {
        this.summary.skipped++;
        input.done?.();
        log.progress(
          `${this.#name} key=${input.source}: no complete sweep yet, skipped until the next pass`,
        );
        return;
      }
      const reason = `No ${input.product} image: ${input.source} decoded ` +
        `to no complete sweep or product that carries it`;
      await this.#fail(input, new Error(reason));
      return;
    }

    const started = performance.now();
    const prefix = input.prefix ?? this.#spec.prefixOf(rendered);
    signal?.throwIfAborted();
    try {
      const counts = await this.#lockPrefix(
        prefix,
        () => this.#storeAndPublish(input, prefix, rendered),
      );
      // Stored, or skipped: every put has finished with the images.
      freeBuffers(
        Object.values(rendered.products).flatMap((images) =>
          (images ?? []).map((image) => image.png)
        ),
      );
      if (counts === null) return;
      if (prefix in (this.#failures.get(input.product) ?? {})) {
        await clearRecord(
          this.#deps.store,
          failureKey(input.product),
          prefix,
        );
      }
      this.summary.published++;
      this.#listed.get(prefix)!.published++;
      input.done?.();
      const rendering = (rendered.renderMs / 1000).toFixed(2);
      const storing = ((performance.now() - started) / 1000).toFixed(2);
      log.progress(
        `${this.#name} ${prefix}: ${counts}, rendered in ${rendering} s, stored in ${storing} s`,
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      this.summary.errors++;
      log.error(`${this.#name} key=${input.source}: ${messageOf(error)}`);
    }
  }

  /** Runs the publication of a prefix after any other of the same prefix. */
  #lockPrefix<T>(prefix: string, task: () => Promise<T>): Promise<T> {
    let lock = this.#prefixLocks.get(prefix);
    if (lock === undefined) {
      lock = createLimiter(1);
      this.#prefixLocks.set(prefix, lock);
    }
    return lock(task);
  }

  /**
   * Stores the images of every product, then publishes their list entries
   * and update flags. A prefix that is already listed is published again
   * only from a more complete decode, so that all objects and entries of
   * a prefix come from one input.
   *
   * @returns The image counts per product for the progress line; null when
   * the input was skipped.
   */
  async #storeAndPublish(
    input: PassInput,
    prefix: string,
    rendered: RenderedInput,
  ): Promise<string | null> {
    const { store, signal, log } = this.#deps;
    const lists = new Map<Product, FileList>();
    for (
      const product of new Set([
        input.product,
        ...Object.keys(rendered.products) as Product[],
      ])
    ) {
      lists.set(product, await readJson(store, listKey(product)) ?? {});
    }
    // A local file's prefix is known only once it is decoded, and the list
    // may have gained a newer entry of the site since the pass began: one
    // that moves the window past this prefix would drop it at once.
    if (
      isExpired(prefix, this.#cutoffs.get(input.product)!) ||
      isOutsideWindow(
        lists.get(input.product)!,
        prefix,
        this.#options.windowMinutes,
      )
    ) {
      this.summary.skipped++;
      log.warn(
        `${this.#name} key=${input.source}: ${prefix} is older than the ` +
          "retention window of its site, skipped",
      );
      return null;
    }
    const products = this.#spec.products.filter((product) =>
      (rendered.products[product]?.length ?? 0) > 0
    );
    const listed = listedCounts(lists, prefix);
    if (listed !== null && !isMoreComplete(rendered, listed)) {
      this.summary.listed++;
      input.done?.();
      // A whole volume with no more images: the listed one is complete.
      await this.#clearPartial(input, prefix);
      log.progress(
        `${this.#name} key=${input.source}: ${prefix} is listed with ` +
          `${formatCounts(listed)}, which this input does not exceed; not ` +
          "published again",
      );
      return null;
    }
    if (listed !== null) {
      // Expected of a real-time volume, which grows from pass to pass.
      (input.appendOnly ? log.progress : log.warn)(
        `${this.#name} key=${input.source}: ${prefix} was listed with ` +
          `${formatCounts(listed)}, published again with more images`,
      );
    }
    // No listed image changes, even if a chunk was replaced since: its key
    // is cached for good. The partial record is read again, as a real-time
    // volume may have been published in part since this pass began, and so
    // is each list, right before its images are stored.
    // NOTE: a pass that lists more images of the prefix between that read
    // and these writes (another process) has them overwritten.
    const appendOnly = input.appendOnly === true ||
      (this.#spec.level === 2 &&
        prefix in await readPartial(store, input.product));
    for (const product of products) {
      const from = appendOnly
        ? (await readJson<FileList>(store, listKey(product)))?.[prefix]
          ?.sweeps ?? 0
        : 0;
      await storeImages(
        store,
        prefix,
        product,
        rendered.products[product]!,
        from,
      );
      signal?.throwIfAborted();
    }
    // Recorded before the entry, so that no pass reads the entry without it.
    if (input.growing) {
      await recordPartial(store, input.product, prefix, {
        source: input.source,
        sweeps: rendered.products[input.product]!.length,
        publishedAt: this.#now().toISOString(),
      });
    }
    // The input's own product list decides whether it is done, so it is
    // written last: a pass killed between two lists redoes the input.
    const order = [
      ...products.filter((product) => product !== input.product),
      input.product,
    ];
    const unlisted: Product[] = [];
    await this.#publications(async () => {
      for (const product of order) {
        const sweeps = rendered.products[product]!.length;
        if (!await this.#publish(product, prefix, sweeps)) {
          unlisted.push(product);
        }
      }
      await this.#spec.afterPublish?.(store);
      for (const product of products) await setUpdateFlag(store, product);
    });
    if (unlisted.length > 0) {
      // A newer input of the site, listed since the pass began, moved the
      // window past this one, so no list names these images.
      log.warn(
        `${this.#name} key=${input.source}: ${prefix} is older than the ` +
          `retention window of the ${unlisted.join(" and ")} ${
            unlisted.length > 1 ? "lists" : "list"
          }, not ` +
          "listed there; retention deletes its images",
      );
    }
    // Not deleted here: a writer whose list still keeps the prefix (one
    // with a longer window, or one that rewrote the list) may list these
    // very objects. Retention deletes them once no list names them and
    // their last write is older than the window.
    if (unlisted.includes(input.product)) {
      this.summary.skipped++;
      return null;
    }
    await this.#clearPartial(input, prefix);
    const counts = Object.fromEntries(
      products.map((p) => [p, rendered.products[p]!.length]),
    );
    this.#listed.set(prefix, {
      input,
      published: this.#listed.get(prefix)?.published ?? 0,
    });
    return formatCounts(counts);
  }

  /**
   * Adds one entry to a product's list. Returns false when the list's
   * retention dropped it at once: a newer entry of its site is more than
   * the window later.
   */
  async #publish(
    product: Product,
    prefix: string,
    sweeps: number,
  ): Promise<boolean> {
    const written = await publishEntries(
      this.#deps.store,
      listKey(product),
      { [prefix]: { sweeps } },
      this.#options.windowMinutes,
    );
    return prefix in written;
  }

  /**
   * Drops the partial record of a prefix once a whole volume (an archive
   * object, or real-time chunks up to the E chunk) has published or
   * matched it. A local file may be cut short, so it leaves the record.
   * The record is read again, not taken from the start of the pass: a
   * pass may have published the prefix early since.
   */
  async #clearPartial(input: PassInput, prefix: string): Promise<void> {
    const whole = input.local ? input.growing === false : !input.growing;
    if (this.#spec.level !== 2 || !whole) return;
    await clearRecord(this.#deps.store, partialKey(input.product), prefix);
  }

  /** Logs a failed input and counts the attempt in its failure record. */
  async #fail(input: PassInput, error: unknown): Promise<void> {
    const { log, store } = this.#deps;
    this.summary.failed++;
    const where = error instanceof DecodeError ||
        (error instanceof WorkerTaskError && error.offset !== undefined)
      ? ` offset=${offsetText(input, error.offset!)} messageType=${
        error.messageType ?? "unknown"
      }`
      : "";
    log.error(`${this.#name} key=${input.source}${where}: ${messageOf(error)}`);
    if (input.prefix === null || input.local) return;

    try {
      const key = failureKey(input.product);
      const record = await recordFailure(store, key, input.prefix, {
        source: input.source,
        error: messageOf(error),
        at: this.#now(),
      });
      if (record.attempts >= this.#options.maxAttempts) {
        log.warn(
          `${this.#name} key=${input.source}: failed ${record.attempts} times, skipped from now on`,
        );
      }
    } catch (recordError) {
      this.summary.errors++;
      log.error(`${this.#name} key=${input.source}: ${messageOf(recordError)}`);
    }
  }

  /**
   * Counts as skipped, not published, the inputs of prefixes that a newer
   * prefix of their site, listed later in the pass, moved out of the
   * retention window. Only local files, whose times are known once decoded,
   * can be such inputs. Retention deletes their images.
   */
  async dropOutdated(): Promise<void> {
    const { store, log } = this.#deps;
    const lists = new Map<Product, FileList>();
    for (const [prefix, { input, published }] of this.#listed) {
      const product = input.product;
      if (!lists.has(product)) {
        lists.set(product, await readJson(store, listKey(product)) ?? {});
      }
      // Gone, and outside the window of what the list now contains:
      // retention dropped it, rather than some other writer.
      const list = lists.get(product)!;
      if (
        prefix in list || published === 0 ||
        !isOutsideWindow(list, prefix, this.#options.windowMinutes)
      ) {
        continue;
      }
      this.summary.published -= published;
      this.summary.skipped += published;
      log.warn(
        `${this.#name} key=${input.source}: ${prefix} was listed, then ` +
          "dropped by retention: a newer volume of its site in this pass is " +
          `more than ${this.#options.windowMinutes} minutes later; ` +
          "retention deletes its images",
      );
    }
  }

  /**
   * Applies retention to every list of the pass's level, and logs the
   * entries of the lists read at the start that are gone, so that a
   * volume leaving its list is visible.
   */
  async prune(): Promise<void> {
    const { store, log } = this.#deps;
    const now = this.#now();
    this.summary.deleted = await applyRetention(store, {
      level: this.#spec.level,
      products: this.#spec.products,
      windowMinutes: this.#options.windowMinutes,
      now,
    });
    let abandoned = 0;
    try {
      abandoned = await store.removeAbandoned?.(
        new Date(now.getTime() - ABANDONED_AFTER_MS),
      ) ?? 0;
    } catch (error) {
      // Housekeeping only: the pass has published what it had.
      log.warn(
        `${this.#name} retention: temporary files not removed: ${
          messageOf(error)
        }`,
      );
    }
    if (abandoned > 0) {
      log.info(
        `${this.#name} retention: removed ${abandoned} temporary ${
          abandoned === 1 ? "file" : "files"
        } of writes that never finished`,
      );
    }
    for (const [product, before] of this.#lists) {
      const after = await readJson<FileList>(store, listKey(product)) ?? {};
      const cutoffs = siteCutoffs(
        Object.keys(after),
        this.#options.windowMinutes,
      );
      const removed = Object.keys(before).filter((prefix) =>
        !(prefix in after) && isExpired(prefix, cutoffs)
      );
      if (removed.length === 0) continue;
      const named = removed.slice(0, MAX_PREFIXES_SHOWN).join(", ");
      const more = removed.length - MAX_PREFIXES_SHOWN;
      log.info(
        `${this.#name} retention: ${removed.length} ${product} ` +
          `${removed.length === 1 ? "entry" : "entries"} older than the ` +
          `window of their site left the list: ${named}` +
          (more > 0 ? ` and ${more} more` : ""),
      );
    }
  }
}

/** Returns the image counts per product of a listed prefix; null when none lists it. */
function listedCounts(
  lists: ReadonlyMap<Product, FileList>,
  prefix: string,
): Partial<Record<Product, number>> | null {
  const counts: Partial<Record<Product, number>> = {};
  let found = false;
  for (const [product, list] of lists) {
    const sweeps = list[prefix]?.sweeps;
    if (Number.isInteger(sweeps) && sweeps! > 0) {
      counts[product] = sweeps;
      found = true;
    }
  }
  return found ? counts : null;
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

/**
 * Logs a failed listing as `context: message`. Returns true when the
 * listing got no response, so that the pass lists no more, because each
 * other listing would wait for the same failure. The next pass lists again.
 */
export function logListingFailure(
  log: JobLog,
  context: string,
  error: unknown,
): boolean {
  const unreachable = isUnreachable(error);
  const next = unreachable
    ? "; no response, so the other listings of this pass are left to the next pass"
    : "";
  log.error(`${context}: ${messageOf(error)}${next}`);
  return unreachable;
}

/** Returns an error's message, or the value as text. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
