/**
 * `GET /data/{level}/{stem}/{png|json}`: one sweep's image or its
 * georeference, e.g. `/data/2/KPDT20250321_010412_V06_reflectivity_idx3/png`
 * reads `plots_level2/KPDT20250321_010412_V06_reflectivity_idx3.png`.
 *
 * @module
 */

import { type Context, Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  parseLevel,
  parsePlotStem,
  type PlotExtension,
  plotKey,
} from "../../core/storage/keys.ts";
import { parseStoredObject } from "../../core/storage/update_json.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, methodNotAllowed, sendError } from "../errors.ts";
import { resolveRange } from "../range.ts";
import {
  CACHE_IMMUTABLE,
  ifNoneMatch,
  sendCached,
  sendJson,
} from "../responses.ts";

const USAGE = "expected /data/{2|3}/{prefix}_{product}_idx{k}/{png|json}";

/** Creates the data route. */
export function dataRoutes({ store, logger }: ApiDeps): Hono {
  const routes = new Hono();

  routes.get("/data/:level/:stem/:extension", async (c) => {
    const key = parseDataKey(
      c.req.param("level"),
      c.req.param("stem"),
      c.req.param("extension"),
    );
    const stored = await store.get(key);
    if (stored === null) {
      throw new HTTPException(404, {
        message: `Requested data file not found: "${key}"`,
      });
    }

    if (key.endsWith(".json")) {
      let value;
      try {
        value = parseStoredObject(key, stored.body, false);
      } catch (error) {
        logger.error(`Cannot serve "${key}"`, error);
        return sendError(c, 500, `Stored data file is damaged: "${key}"`);
      }
      return sendJson(c, value, CACHE_IMMUTABLE);
    }
    return sendPng(c, stored.body, stored.etag);
  });
  routes.all("/data/:level/:stem/:extension", methodNotAllowed("GET, HEAD"));

  // Any other path under /data/ is a malformed key, not an unknown route.
  routes.all("/data/*", () => badRequest(`Invalid data path: ${USAGE}`));

  return routes;
}

/**
 * Checks the three URL parts against the key layout and returns the
 * object key; throws 400 naming the first bad part.
 */
function parseDataKey(levelText: string, stemText: string, extension: string) {
  const level = parseLevel(levelText);
  if (level === null) {
    badRequest(`Invalid level ${quote(levelText)}: expected 2 or 3`);
  }
  if (extension !== "png" && extension !== "json") {
    badRequest(
      `Invalid file extension ${quote(extension)}: expected png or json`,
    );
  }
  const stem = parsePlotStem(level, stemText);
  if (stem === null) {
    badRequest(
      `Invalid file key ${quote(stemText)} for level ${level}: ${USAGE}`,
    );
  }
  return plotKey(stem, extension as PlotExtension);
}

/** Sends a PNG whole, or one byte range of it with 206. */
function sendPng(c: Context, body: Uint8Array, etag: string): Response {
  c.header("Accept-Ranges", "bytes");

  // If-Range: a range of another version would corrupt the client's copy.
  const ifRange = c.req.header("If-Range");
  const rangeHeader = ifRange === undefined || ifRange === etag
    ? c.req.header("Range")
    : undefined;
  const range = ifNoneMatch(c.req.header("If-None-Match"), etag)
    ? null
    : resolveRange(rangeHeader, body.length);

  if (range === "unsatisfiable") {
    c.header("Content-Range", `bytes */${body.length}`);
    return sendError(c, 416, "Range not satisfiable");
  }
  if (range === null) {
    return sendCached(c, body, {
      contentType: "image/png",
      etag,
      cacheControl: CACHE_IMMUTABLE,
    });
  }

  const part = body.subarray(range.start, range.end + 1);
  c.header("ETag", etag);
  c.header("Cache-Control", CACHE_IMMUTABLE);
  c.header("Content-Type", "image/png");
  c.header("Content-Length", String(part.length));
  c.header("Content-Range", `bytes ${range.start}-${range.end}/${body.length}`);
  return c.body(part as Uint8Array<ArrayBuffer>, 206);
}

/** Quotes a value from a URL for an error message, cut to 80 characters. */
function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? value.slice(0, 80) + "…" : value);
}
