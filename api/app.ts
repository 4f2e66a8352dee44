/**
 * The HTTP API: a Hono app built from its dependencies, so tests drive it
 * through `app.request()` without a server.
 *
 * @module
 */

import { Hono } from "hono";

/** Builds the API application. */
export function createApp(): Hono {
  const app = new Hono();
  app.get("/health", (c) => c.json({ status: "ok" }));
  return app;
}
