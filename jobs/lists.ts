/**
 * The JSON objects that several writers share (lists, flags, options) and
 * their read-modify-write through the store's conditional write, so two
 * passes at once, or a pass and a POST to `/flag/`, lose no update.
 *
 * @module
 */

import type { Store } from "../core/storage/store.ts";
import {
  comparePrefixes,
  FLAGS_KEY,
  prefixTime,
} from "../core/storage/keys.ts";
import {
  isJsonObject,
  type JsonObject,
  MAX_JSON_DEPTH,
  nestedDeeperThan,
  updateJsonObject,
} from "../core/storage/update_json.ts";

/** One entry of a list: how many images `idx0..sweeps-1` are stored. */
export interface ListEntry {
  sweeps: number;
}

/** A list: prefix -> entry, keys in chronological order per site. */
export type FileList = Record<string, ListEntry>;

/** How many times a conditional write is tried before giving up. */
const MAX_WRITE_ATTEMPTS = 20;

/** Encodes a value as the stored JSON: 2-space indent, final newline. */
export function encodeJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2) + "\n");
}

/**
 * Reads and parses a JSON object. Returns null when it is missing,
 * unparsable or JSON of another kind (a number, an array), as a damaged or
 * hand-edited object may be.
 */
export async function readJson<T>(
  store: Store,
  key: string,
): Promise<T | null> {
  const stored = await store.get(key);
  return stored === null ? null : parseOrNull<T>(stored.body);
}

function parseOrNull<T>(body: Uint8Array): T | null {
  try {
    const value = JSON.parse(new TextDecoder().decode(body));
    return isJsonObject(value) && !nestedDeeperThan(value, MAX_JSON_DEPTH)
      ? value as T
      : null;
  } catch {
    return null;
  }
}

/**
 * Applies `update` to the JSON object stored at `key` with a conditional
 * write, retrying when another writer came first. `update` gets `{}` for a
 * missing or unparsable object and returns null to leave it as it is.
 *
 * @returns The value written, or null when nothing was written.
 * @throws {Error} When every attempt met a concurrent write.
 */
export async function updateJson<T extends object>(
  store: Store,
  key: string,
  update: (current: T) => T | null | Promise<T | null>,
): Promise<T | null> {
  const result = await updateJsonObject(
    store,
    key,
    async (current) => await update(current as T) as JsonObject | null,
    { replaceInvalid: true, maxAttempts: MAX_WRITE_ATTEMPTS },
  );
  return result.written ? result.value as T : null;
}

/**
 * Returns the retention cutoff of each site in a list: the newest entry's
 * time minus `windowMinutes`. Anchoring on the newest entry rather than on
 * the clock keeps the last window of data listed through an upstream gap
 * (the frontend cannot start on an empty list) and keeps replayed events.
 */
export function siteCutoffs(
  prefixes: Iterable<string>,
  windowMinutes: number,
): Map<string, number> {
  const newest = new Map<string, number>();
  for (const prefix of prefixes) {
    const time = prefixTime(prefix);
    if (time === null) continue;
    const site = prefix.slice(0, 4);
    if (time > (newest.get(site) ?? -Infinity)) newest.set(site, time);
  }
  const cutoffs = new Map<string, number>();
  for (const [site, time] of newest) {
    cutoffs.set(site, time - windowMinutes * 60_000);
  }
  return cutoffs;
}

/** Tells whether a prefix is older than its site's cutoff (or unparsable). */
export function isExpired(
  prefix: string,
  cutoffs: Map<string, number>,
): boolean {
  const time = prefixTime(prefix);
  if (time === null) return true;
  const cutoff = cutoffs.get(prefix.slice(0, 4));
  return cutoff !== undefined && time < cutoff;
}

/**
 * True when a list's retention drops `prefix`: the list's newest entry of
 * its site is more than the window later.
 */
export function isOutsideWindow(
  list: FileList,
  prefix: string,
  windowMinutes: number,
): boolean {
  return isExpired(prefix, siteCutoffs(Object.keys(list), windowMinutes));
}

/**
 * Merges `entries` into a list, drops the entries that fell out of the
 * retention window and sorts the keys by time, as the API serves them.
 * An entry already listed keeps the larger `sweeps`: a pass that read the
 * list before another published more images of the prefix must not undo
 * that.
 */
export function mergeList(
  current: FileList | null,
  entries: FileList,
  windowMinutes: number,
): FileList {
  const merged: FileList = validEntries(current);
  for (const [prefix, entry] of Object.entries(entries)) {
    merged[prefix] = {
      sweeps: Math.max(entry.sweeps, merged[prefix]?.sweeps ?? 0),
    };
  }
  const cutoffs = siteCutoffs(Object.keys(merged), windowMinutes);
  const kept: FileList = {};
  for (const prefix of Object.keys(merged).sort(comparePrefixes)) {
    if (!isExpired(prefix, cutoffs)) kept[prefix] = merged[prefix];
  }
  return kept;
}

function validEntries(list: FileList | null): FileList {
  if (list === null || typeof list !== "object" || Array.isArray(list)) {
    return {};
  }
  const valid: FileList = {};
  for (const [prefix, entry] of Object.entries(list)) {
    if (Number.isInteger(entry?.sweeps) && entry.sweeps > 0) {
      valid[prefix] = { sweeps: entry.sweeps };
    }
  }
  return valid;
}

/**
 * Adds entries to a list (and applies retention) with a conditional write.
 *
 * @returns The list as written.
 */
export async function publishEntries(
  store: Store,
  key: string,
  entries: FileList,
  windowMinutes: number,
): Promise<FileList> {
  const written = await updateJson<FileList>(
    store,
    key,
    (current) => mergeList(current, entries, windowMinutes),
  );
  return written ?? {};
}

/**
 * Applies retention to a list, writing it only when an entry leaves.
 *
 * @returns The list as it is now stored.
 */
export async function pruneList(
  store: Store,
  key: string,
  windowMinutes: number,
): Promise<FileList> {
  let result: FileList = {};
  await updateJson<FileList>(store, key, (current) => {
    const pruned = mergeList(current, {}, windowMinutes);
    result = pruned;
    return JSON.stringify(current) === JSON.stringify(pruned) ? null : pruned;
  });
  return result;
}

/** The stored update flags: product -> 1 when it has new data. */
export interface UpdateFlags {
  updates?: Record<string, number>;
  [other: string]: unknown;
}

/** Sets `updates[product] = 1`, keeping every other field. */
export async function setUpdateFlag(
  store: Store,
  product: string,
): Promise<void> {
  await updateJson<UpdateFlags>(store, FLAGS_KEY, (current) => {
    const flags = isObject(current) ? current : {};
    const updates = isObject(flags.updates) ? flags.updates : {};
    if (updates[product] === 1) return null;
    return { ...flags, updates: { ...updates, [product]: 1 } };
  });
}

function isObject<T>(value: T | null | undefined): value is T {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
