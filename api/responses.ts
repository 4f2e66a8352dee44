/**
 * Response helpers shared by the routes: JSON with sorted keys, entity
 * tags, conditional requests and cache lifetimes.
 *
 * @module
 */

import type { Context } from "hono";
import { etagOf } from "../core/storage/etag.ts";

/** Cache-Control of objects whose key never changes content: PNG and JSON data. */
export const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";

/** Cache-Control of lists and codes: the frontend polls every 10 s. */
export const CACHE_SHORT = "public, max-age=10";

/** Cache-Control of flags and errors: always ask the server again. */
export const CACHE_NONE = "no-cache";

/**
 * Serialises a value as compact JSON with a final newline, as Flask's
 * `jsonify` did. Object keys are sorted, except in a `Map`, whose entries
 * keep their order: lists use one to stay chronological. (Map keys that
 * look like array indices, such as "12", would still come first, as in
 * any JavaScript object; list keys never do.)
 */
export function encodeJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Map) {
    return Object.fromEntries(
      Array.from(value, ([key, item]) => [key, sortKeys(item)]),
    );
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    );
    return Object.fromEntries(entries.map(([k, item]) => [k, sortKeys(item)]));
  }
  return value;
}

/**
 * Returns whether an `If-None-Match` header matches `etag`, comparing
 * weakly as RFC 9110 section 13.1.2 requires.
 */
export function ifNoneMatch(header: string | undefined, etag: string) {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const opaque = etag.replace(/^W\//, "");
  return header.split(",").some((tag) =>
    tag.trim().replace(/^W\//, "") === opaque
  );
}

/**
 * Sends `body` with its ETag and Cache-Control, or 304 Not Modified when
 * the request's `If-None-Match` already names that ETag.
 */
export function sendCached(
  c: Context,
  body: Uint8Array,
  headers: { contentType: string; etag: string; cacheControl: string },
): Response {
  c.header("ETag", headers.etag);
  c.header("Cache-Control", headers.cacheControl);
  if (ifNoneMatch(c.req.header("If-None-Match"), headers.etag)) {
    return c.body(null, 304);
  }

  c.header("Content-Type", headers.contentType);
  c.header("Content-Length", String(body.length));
  return c.body(body as Uint8Array<ArrayBuffer>, 200);
}

/** Sends a value as sorted JSON with an ETag of its bytes. */
export async function sendJson(
  c: Context,
  value: unknown,
  cacheControl: string,
): Promise<Response> {
  const body = new TextEncoder().encode(encodeJson(value));
  return sendCached(c, body, {
    contentType: "application/json",
    etag: await etagOf(body),
    cacheControl,
  });
}

/** Redirects the slash-less form of a route to the slash form with 308. */
export function redirectToSlash(c: Context): Response {
  const url = new URL(c.req.url);
  return c.redirect(`${url.pathname}/${url.search}`, 308);
}
