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
import type { ApiDeps } from "../deps.ts";
import { badRequest, methodNotAllowed } from "../errors.ts";
import { CACHE_SHORT, sendCached } from "../responses.ts";

const USAGE = "expected /legend/{table}/{png|json}, e.g. /legend/REF/png";

/** Creates the legend route. */
export function legendRoutes({ store }: ApiDeps): Hono {
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
    return sendCached(c, stored.body, {
      contentType: extension === "png" ? "image/png" : "application/json",
      etag: stored.etag,
      cacheControl: CACHE_SHORT,
    });
  });
  routes.all("/legend/:name/:extension", methodNotAllowed("GET, HEAD"));
  routes.all("/legend/*", () => badRequest(`Invalid legend path: ${USAGE}`));

  return routes;
}
