/**
 * Maps errors to HTTP responses; the only place that chooses a status for
 * an error. Every error body is JSON: `{"error": "<message>"}`.
 *
 * @module
 */

import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { NotFoundError } from "../core/errors.ts";
import type { Logger } from "../core/logger.ts";
import { StorageError } from "../core/storage/store.ts";
import { CACHE_NONE, encodeJson } from "./responses.ts";

/** Sends `{"error": message}` with `status`, never cached. */
export function sendError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
): Response {
  c.header("Cache-Control", CACHE_NONE);
  return c.body(encodeJson({ error: message }), status, {
    "Content-Type": "application/json",
  });
}

/**
 * Creates the app's error handler: client errors keep their status,
 * missing objects give 404, store failures 503 and anything else 500. The
 * last two are logged with the request; their details stay in the log.
 */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return function handleError(error, c) {
    if (error instanceof HTTPException) {
      // Middleware such as bearerAuth builds its own response.
      if (error.res !== undefined) return error.getResponse();
      return sendError(c, error.status, error.message);
    }
    if (error instanceof NotFoundError) {
      return sendError(c, 404, error.message);
    }

    const request = `${c.req.method} ${new URL(c.req.url).pathname}`;
    if (error instanceof StorageError) {
      logger.error(`Storage failed on ${request}: ${error.message}`);
      return sendError(c, 503, "Storage unavailable");
    }
    logger.error(`Unhandled error on ${request}`, error);
    return sendError(c, 500, "Internal server error");
  };
}

/**
 * Creates the handler of a known path for the methods it does not serve:
 * 405 with the `Allow` header listing those it does.
 */
export function methodNotAllowed(allow: string) {
  return function rejectMethod(c: Context): Response {
    c.header("Allow", allow);
    return sendError(
      c,
      405,
      `Method ${c.req.method} not allowed: use ${allow}`,
    );
  };
}

/** Throws a 400 Bad Request with `message`. */
export function badRequest(message: string): never {
  throw new HTTPException(400, { message });
}
