/**
 * `GET /legend/{table}/{png|json}`: the legend of a colour table, written
 * by the jobs, e.g. `/legend/REF/png` reads `legends/REF.png`: a colour
 * bar, and `/legend/REF/json` its values, colours and labels. The README
 * lists which table draws which product.
 *
 * @module
 */

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { legendKey, parseLegendName } from "../../core/storage/keys.ts";
import { parseStoredObject } from "../../core/storage/update_json.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, methodNotAllowed, sendError } from "../errors.ts";
import { CACHE_SHORT, sendCached, sendJson } from "../responses.ts";

const USAGE = "expected /legend/{table}/{png|json}, e.g. /legend/REF/png";

/** Creates the legend route. */
export function legendRoutes({ store, logger }: ApiDeps): Hono {
  const routes = new Hono();

  routes.get("/legend/:name/:extension", async (c) => {
    const name = parseLegendName(c.req.param("name"));
    const extension = c.req.param("extension");
    if (name === null) badRequest(`Invalid legend name: ${USAGE}`);
    if (extension !== "png" && extension !== "json") {
      badRequest(`Invalid legend extension: ${USAGE}`);
    }
    const key = legendKey(name, extension);
    const stored = await store.get(key);
    if (stored === null) {
      throw new HTTPException(404, {
        message: `Legend not found: "${key}"`,
      });
    }
    // The jobs rewrite a legend when its table changes, so clients
    // revalidate with the ETag rather than keep it for good.
    if (extension === "png") {
      return sendCached(c, stored.body, {
        contentType: "image/png",
        etag: stored.etag,
        cacheControl: CACHE_SHORT,
      });
    }
    // Sent compact with sorted keys, as every other JSON response.
    let value;
    try {
      value = parseStoredObject(key, stored.body, false);
    } catch (error) {
      logger.error(`Cannot serve "${key}"`, error);
      return sendError(c, 500, `Stored legend is damaged: "${key}"`);
    }
    return sendJson(c, value, CACHE_SHORT);
  });
  routes.all("/legend/:name/:extension", methodNotAllowed("GET, HEAD"));
  routes.all("/legend/*", () => badRequest(`Invalid legend path: ${USAGE}`));

  return routes;
}
