/**
 * `GET /list-all/` (the frontend's polling endpoint) and
 * `GET /list/{level}/{product}/`: the prefixes available per product, each
 * with its sweep count, oldest first.
 *
 * @module
 */

import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import {
  ALL_PRODUCTS,
  isProduct,
  parseLevel,
  PRODUCT_LEVEL,
  PRODUCTS,
} from "../../core/storage/keys.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, methodNotAllowed } from "../errors.ts";
import { CACHE_SHORT, redirectToSlash, sendJson } from "../responses.ts";
import { readList } from "../stored_json.ts";

/** Creates the list routes. */
export function listRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.all("/list-all", redirectToSlash);
  routes.get("/list-all/", async (c) => {
    const lists = await Promise.all(
      ALL_PRODUCTS.map((product) => readList(deps, product)),
    );
    const body = Object.fromEntries(
      ALL_PRODUCTS.map((product, i) => [product, lists[i]]),
    );
    return sendJson(c, body, CACHE_SHORT);
  });
  routes.all("/list-all/", methodNotAllowed("GET, HEAD"));

  routes.all("/list/:level/:product", redirectToSlash);
  routes.get("/list/:level/:product/", async (c) => {
    const level = parseLevel(c.req.param("level"));
    if (level === null) {
      badRequest(
        `Invalid level "${c.req.param("level")}": expected 2 or 3`,
      );
    }

    const product = c.req.param("product");
    if (!/^[a-z_]{1,40}$/.test(product)) {
      badRequest(
        `Invalid product name ${JSON.stringify(product.slice(0, 40))}: ` +
          "expected lowercase letters and underscores",
      );
    }
    if (!isProduct(product) || PRODUCT_LEVEL[product] !== level) {
      throw new HTTPException(404, {
        message: `Unknown product "${product}" at level ${level}: expected ` +
          PRODUCTS[level].join(" or "),
      });
    }

    return sendJson(c, await readList(deps, product), CACHE_SHORT);
  });
  routes.all("/list/:level/:product/", methodNotAllowed("GET, HEAD"));

  return routes;
}
