/**
 * Read-modify-write of a JSON object in a {@linkcode Store} without lost
 * updates: read the object and its entity tag, apply the change, write it
 * back with `putIfMatch`, and start over when another writer came first.
 *
 * @module
 */

import type { Store } from "./store.ts";

/** A JSON object as stored: lists, flags, code options, failure records. */
export type JsonObject = Record<string, unknown>;

/** Options of {@linkcode updateJsonObject}. */
export interface UpdateJsonOptions {
  /**
   * Treat stored bytes that are not a JSON object as `{}` and overwrite
   * them, instead of throwing.
   *
   * @default false
   */
  replaceInvalid?: boolean;
  /**
   * Attempts before giving up while other writers keep winning.
   *
   * @default 10
   */
  maxAttempts?: number;
}

/** Outcome of {@linkcode updateJsonObject}. */
export interface UpdateJsonResult {
  /** The object now stored (unchanged when the update returned null). */
  value: JsonObject;
  /** Whether this call wrote the object. */
  written: boolean;
  /** Attempts used, 1 when no other writer interfered. */
  attempts: number;
}

/**
 * Applies `update` to the JSON object at `key` and writes the result only if no
 * other writer changed the object in between. Otherwise it retries after a
 * short random pause. A missing object reads as `{}`. `update` may be called
 * several times, so it must not have side effects; it returns the new object,
 * or null to leave the stored one as it is. It may be async, so that each
 * attempt reads what the new object depends on after the object itself. The
 * object is written with 2-space indentation and a final newline, keys in the
 * order `update` put them.
 *
 * @throws {SyntaxError} when the stored bytes are not a JSON object and
 *   `replaceInvalid` is false.
 * @throws {Error} when the write still conflicted after `maxAttempts`.
 */
export async function updateJsonObject(
  store: Store,
  key: string,
  update: (
    current: JsonObject,
  ) => JsonObject | null | Promise<JsonObject | null>,
  options: UpdateJsonOptions = {},
): Promise<UpdateJsonResult> {
  const maxAttempts = options.maxAttempts ?? 10;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const stored = await store.get(key);
    const current = stored === null
      ? {}
      : parseStoredObject(key, stored.body, options.replaceInvalid ?? false);

    const next = await update(structuredClone(current));
    if (next === null) {
      return { value: current, written: false, attempts: attempt };
    }

    const body = new TextEncoder().encode(JSON.stringify(next, null, 2) + "\n");
    const written = await store.putIfMatch(key, body, stored?.etag ?? null, {
      contentType: "application/json",
    });
    if (written) return { value: next, written: true, attempts: attempt };

    // Another writer won; wait 5-25 ms times the attempt number, jittered
    // so that two losers do not collide again in lockstep.
    await delay(attempt * (5 + Math.random() * 20));
  }

  throw new Error(
    `Failed to update "${key}" after ${maxAttempts} attempts: other ` +
      "writers changed it each time",
  );
}

/**
 * Parses stored bytes that must hold a JSON object. With `replaceInvalid`,
 * anything else reads as `{}`.
 *
 * @throws {SyntaxError} naming the key otherwise.
 */
export function parseStoredObject(
  key: string,
  body: Uint8Array,
  replaceInvalid: boolean,
): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    if (replaceInvalid) return {};
    throw new SyntaxError(`Invalid JSON in "${key}": ${error}`, {
      cause: error,
    });
  }

  if (isJsonObject(value) && nestedDeeperThan(value, MAX_JSON_DEPTH)) {
    if (replaceInvalid) return {};
    throw new SyntaxError(
      `Invalid contents of "${key}": nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  }
  if (isJsonObject(value)) return value;
  if (replaceInvalid) return {};
  throw new SyntaxError(
    `Invalid contents of "${key}": expected a JSON object, found ` +
      (Array.isArray(value) ? "an array" : JSON.stringify(value).slice(0, 40)),
  );
}

/**
 * Depth past which a stored object is invalid. The objects the jobs write
 * nest 3 levels at most (the code menu). Copying or writing one nested
 * thousands of levels deep would overflow the call stack.
 */
export const MAX_JSON_DEPTH = 32;

/** Returns whether a parsed JSON value nests deeper than `limit` levels. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [next, depth] = pending.pop()!;
    if (typeof next !== "object" || next === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(next)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Returns whether a parsed JSON value is an object (not null or an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
