/**
 * Publication and retention shared by the Level 2 and Level 3 passes.
 *
 * Order makes the store safe to read at any moment and a killed pass
 * harmless: an input's images and metadata are written first, then its
 * list entry, then the update flag. An entry therefore appears only once
 * all of its objects exist. An input whose objects were written but whose
 * entry was not is processed again, and its writes are idempotent.
 * Retention runs the other way round: an entry leaves its list first and
 * its objects are deleted after, so a list never names a missing object.
 *
 * @module
 */

import type { Store } from "../core/storage/store.ts";
import {
  failureKey,
  type Level,
  listKey,
  parsePlotStem,
  partialKey,
  plotFolder,
  plotStem,
  type Product,
  PRODUCT_LEVEL,
} from "../core/storage/keys.ts";
import { createLimiter } from "./limit.ts";
import {
  encodeJson,
  isExpired,
  pruneList,
  readJson,
  siteCutoffs,
  updateJson,
} from "./lists.ts";
import type { RenderedImage } from "./rendered.ts";

/** Object writes of one input that run at once. */
const PUT_CONCURRENCY = 8;

/**
 * Writes the images of one product of one input as `idx0..n-1`, or those
 * from `idx{from}` on.
 */
export async function storeImages(
  store: Store,
  prefix: string,
  product: Product,
  images: readonly RenderedImage[],
  from = 0,
): Promise<void> {
  const limited = createLimiter(PUT_CONCURRENCY);
  await Promise.all(images.flatMap((image, index) => {
    if (index < from) return [];
    // plotStem() rejects a prefix or product outside the key layout.
    const key = plotFolder(PRODUCT_LEVEL[product]) +
      plotStem(prefix, product, index);
    return [
      limited(() =>
        store.put(`${key}.png`, image.png, {
          contentType: "image/png",
        })
      ),
      limited(() =>
        store.put(`${key}.json`, encodeJson(image.metadata), {
          contentType: "application/json",
        })
      ),
    ];
  }));
}

/** Record of an input that failed to decode or render. */
export interface FailureRecord {
  /** Archive key or file name of the input. */
  source: string;
  /** Failed attempts so far, one per pass. */
  attempts: number;
  /** Message of the last error. */
  error: string;
  /** Time of the last attempt, ISO 8601. */
  lastAttemptAt: string;
}

/** Failure records of one product: prefix -> record. */
export type FailureRecords = Record<string, FailureRecord>;

/** Reads the failure records of one product. */
export function readFailures(
  store: Store,
  product: Product,
): Promise<FailureRecords> {
  return readRecords(store, failureKey(product));
}

/**
 * Record of a real-time volume published before its last chunk came: the
 * archive object of the volume, once it appears, adds the sweeps missing.
 */
export interface PartialRecord {
  /** The chunks it was published from. */
  source: string;
  /** Images of the product published. */
  sweeps: number;
  /** Time of the last publication, ISO 8601. */
  publishedAt: string;
}

/** Partial volumes of one product: prefix -> record. */
export type PartialRecords = Record<string, PartialRecord>;

/** Reads the partial volumes of one product. */
export function readPartial(
  store: Store,
  product: Product,
): Promise<PartialRecords> {
  return readRecords(store, partialKey(product));
}

/** Records that `prefix` was published from a volume still arriving. */
export async function recordPartial(
  store: Store,
  product: Product,
  prefix: string,
  record: PartialRecord,
): Promise<void> {
  await updateJson<PartialRecords>(store, partialKey(product), (current) => ({
    ...current,
    [prefix]: record,
  }));
}

async function readRecords<T>(
  store: Store,
  key: string,
): Promise<Record<string, T>> {
  const records = await readJson<Record<string, T>>(store, key);
  return records !== null && typeof records === "object" ? records : {};
}

/** Counts one more failed attempt of an input. */
export async function recordFailure(
  store: Store,
  key: string,
  prefix: string,
  failure: { source: string; error: string; at: Date },
): Promise<FailureRecord> {
  const written = await updateJson<FailureRecords>(store, key, (current) => ({
    ...current,
    [prefix]: {
      source: failure.source,
      attempts: (current[prefix]?.attempts ?? 0) + 1,
      error: failure.error,
      lastAttemptAt: failure.at.toISOString(),
    },
  }));
  return written![prefix];
}

/**
 * Removes the record of `prefix` from the records at `key`: the failure
 * record of an input that has now succeeded, or the partial record of a
 * volume now complete.
 */
export async function clearRecord(
  store: Store,
  key: string,
  prefix: string,
): Promise<void> {
  await updateJson<FailureRecords>(store, key, (current) => {
    if (!(prefix in current)) return null;
    const { [prefix]: _, ...rest } = current;
    return rest;
  });
}

/** Options of {@linkcode applyRetention}. */
export interface RetentionOptions {
  level: Level;
  /** Products whose lists and images are kept to the window. */
  products: readonly Product[];
  /** Retention window, minutes. */
  windowMinutes: number;
  now: Date;
}

/**
 * Drops list entries that fell out of the window, then deletes the images
 * of inputs that are listed nowhere and are older than the window, then
 * the failure and partial records older than the window. An object is
 * only deleted when its last write is also older than the window, so the
 * objects of an input that another pass is publishing right now are never
 * touched.
 *
 * @returns How many objects were deleted.
 */
export async function applyRetention(
  store: Store,
  options: RetentionOptions,
): Promise<number> {
  const { level, products, windowMinutes, now } = options;
  const listed = new Map<string, Set<string>>();
  const allPrefixes: string[] = [];
  for (const product of products) {
    const list = await pruneList(store, listKey(product), windowMinutes);
    listed.set(product, new Set(Object.keys(list)));
    allPrefixes.push(...Object.keys(list));
  }

  const cutoffs = siteCutoffs(allPrefixes, windowMinutes);
  const writtenBefore = now.getTime() - windowMinutes * 60_000;
  const doomed: string[] = [];
  const folder = plotFolder(level);
  for await (const object of store.list(folder)) {
    const name = object.key.slice(folder.length);
    const parts = parsePlotStem(level, name.slice(0, name.lastIndexOf(".")));
    if (parts === null || !products.includes(parts.product)) continue;
    if (listed.get(parts.product)!.has(parts.prefix)) continue;
    if (object.lastModified.getTime() >= writtenBefore) continue;
    if (isStale(parts.prefix, cutoffs)) doomed.push(object.key);
  }
  for (let i = 0; i < doomed.length; i += 1000) {
    await store.delete(doomed.slice(i, i + 1000));
  }
  const records = products.flatMap((product) =>
    level === 2
      ? [failureKey(product), partialKey(product)]
      : [failureKey(product)]
  );
  for (const key of records) {
    await updateJson<Record<string, unknown>>(
      store,
      key,
      (current) => {
        const recordCutoffs = siteCutoffs(
          [...allPrefixes, ...Object.keys(current)],
          windowMinutes,
        );
        const kept = Object.entries(current).filter(([prefix]) =>
          !isExpired(prefix, recordCutoffs)
        );
        if (kept.length === Object.keys(current).length) return null;
        return Object.fromEntries(kept);
      },
    );
  }
  return doomed.length;
}

/** Older than its site's cutoff, or of a site that no list names any more. */
function isStale(prefix: string, cutoffs: Map<string, number>): boolean {
  return isExpired(prefix, cutoffs) || !cutoffs.has(prefix.slice(0, 4));
}
