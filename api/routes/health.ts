/**
 * `GET /health`: returns 200 while the server runs, without touching the
 * store, for load balancers and uptime checks.
 *
 * @module
 */

import { Hono } from "hono";
import { methodNotAllowed } from "../errors.ts";
import { CACHE_NONE } from "../responses.ts";

/** Creates the health route. */
export function healthRoutes(): Hono {
  const routes = new Hono();
  routes.get("/health", (c) => {
    c.header("Cache-Control", CACHE_NONE);
    return c.json({ status: "ok" });
  });
  routes.all("/health", methodNotAllowed("GET, HEAD"));
  return routes;
}
