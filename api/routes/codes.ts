/**
 * `GET /code/`: the Level 3 product codes per product type, in menu order,
 * with the number of listed products of each code.
 *
 * @module
 */

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { CODES_KEY } from "../../core/storage/keys.ts";
import type { ApiDeps } from "../deps.ts";
import { methodNotAllowed } from "../errors.ts";
import { CACHE_SHORT, redirectToSlash, sendJson } from "../responses.ts";
import { readJsonObject } from "../stored_json.ts";

/** Creates the code route. */
export function codeRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.all("/code", redirectToSlash);
  routes.get("/code/", async (c) => {
    // The frontend reads a 404 as "no options" and stops there, so an
    // empty or damaged file is reported the same way as a missing one.
    const options = await readJsonObject(deps, CODES_KEY);
    if (options === null || Object.keys(options).length === 0) {
      throw new HTTPException(404, {
        message: `Product code options not found: "${CODES_KEY}" is ` +
          "missing or empty",
      });
    }
    return sendJson(c, options, CACHE_SHORT);
  });
  routes.all("/code/", methodNotAllowed("GET, HEAD"));

  return routes;
}
