/**
 * The HTTP API: a Hono app built from its dependencies, so tests drive it
 * through `app.request()` without a server. Routes and JSON shapes are those
 * the `nexrad-mapbox` frontend reads; see the README's API table.
 *
 * @module
 */

import { Hono } from "hono";
import { compress } from "hono/compress";
import { cors } from "hono/cors";
import { logger as requestLogger } from "hono/logger";
import type { ApiDeps } from "./deps.ts";
import { createErrorHandler, sendError } from "./errors.ts";
import { codeRoutes } from "./routes/codes.ts";
import { dataRoutes } from "./routes/data.ts";
import { flagRoutes } from "./routes/flags.ts";
import { healthRoutes } from "./routes/health.ts";
import { legendRoutes } from "./routes/legends.ts";
import { listRoutes } from "./routes/lists.ts";

export type { ApiDeps };

/** Builds the API application. */
export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();

  // Hono's logger prints one line when a request arrives and one when the
  // response is sent. Keep only the second, which has the status and the
  // duration, without the colour codes around the status.
  app.use(requestLogger((line) => {
    if (!line.startsWith("<--")) {
      // deno-lint-ignore no-control-regex -- ANSI escapes start with ESC.
      deps.logger.info(line.replace(/\x1b\[\d+m/g, ""));
    }
  }));

  // gzip or deflate for JSON of 1 KiB or more (the lists grow to tens of
  // KiB); PNGs are left alone. The ETag then becomes weak, as it must.
  app.use(compress());

  app.use(cors({
    origin: deps.config.corsOrigins,
    allowMethods: ["GET", "HEAD", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "If-None-Match", "Range"],
    exposeHeaders: ["ETag", "Content-Length", "Content-Range", "Accept-Ranges"],
    maxAge: 600,
  }));

  app.route("/", healthRoutes());
  app.route("/", listRoutes(deps));
  app.route("/", codeRoutes(deps));
  app.route("/", dataRoutes(deps));
  app.route("/", flagRoutes(deps));
  app.route("/", legendRoutes(deps));

  app.notFound((c) => sendError(c, 404, "Not found"));
  app.onError(createErrorHandler(deps.logger));
  return app;
}
