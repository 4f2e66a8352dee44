/**
 * `GET /flag/` and `POST /flag/`: the update flags, one 0-or-1 value per
 * product under `updates`. No current frontend reads them; they are kept
 * for compatibility.
 *
 * POST needs `Authorization: Bearer <FLAG_TOKEN>` and gets 403 while no
 * token is configured. Its body is `{"updates": {product: 0|1}}`
 * naming one or more products; the named flags are merged into the stored
 * object with a conditional write, so a job setting another flag at the
 * same moment is not overwritten.
 *
 * @module
 */

import { type Context, Hono, type MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import {
  FLAGS_KEY,
  isProduct,
  PRODUCT_LEVEL,
} from "../../core/storage/keys.ts";
import {
  isJsonObject,
  type JsonObject,
  updateJsonObject,
} from "../../core/storage/update_json.ts";
import type { ApiDeps } from "../deps.ts";
import { badRequest, methodNotAllowed } from "../errors.ts";
import { CACHE_NONE, redirectToSlash, sendJson } from "../responses.ts";
import { readJsonObject } from "../stored_json.ts";

/** Largest accepted POST body; a valid one is under 100 bytes. */
const MAX_BODY_BYTES = 4096;

/** Creates the flag routes. */
export function flagRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.all("/flag", redirectToSlash);
  routes.get("/flag/", async (c) => {
    const flags = await readJsonObject(deps, FLAGS_KEY) ?? {};
    return sendJson(c, flags, CACHE_NONE);
  });

  const token = deps.config.flagToken;
  if (token === undefined) {
    routes.post("/flag/", () => {
      throw new HTTPException(403, {
        message: "Updating flags is disabled: FLAG_TOKEN is not set",
      });
    });
  } else {
    routes.post(
      "/flag/",
      requireToken(token),
      limitBody(),
      (c) => updateFlags(c, deps),
    );
  }
  routes.all("/flag/", methodNotAllowed("GET, HEAD, POST"));

  return routes;
}

/** Realm of the bearer challenges. */
const REALM = "flags";

/** Checks `Authorization: Bearer <token>` in constant time; 401 otherwise. */
function requireToken(token: string): MiddlewareHandler {
  // Every challenge names the protected space (RFC 7235). RFC 6750 adds
  // the error code to the challenge of a rejected header or token.
  const challenge = (error?: string) =>
    `Bearer realm="${REALM}"${error ? `, error="${error}"` : ""}`;
  return bearerAuth({
    token,
    noAuthenticationHeader: {
      wwwAuthenticateHeader: challenge(),
      message: { error: "Missing bearer token" },
    },
    invalidAuthenticationHeader: {
      wwwAuthenticateHeader: challenge("invalid_request"),
      message: { error: "Invalid Authorization header: expected Bearer" },
    },
    invalidToken: {
      wwwAuthenticateHeader: challenge("invalid_token"),
      message: { error: "Invalid bearer token" },
    },
  });
}

/** Rejects bodies over {@linkcode MAX_BODY_BYTES} with 413. */
function limitBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new HTTPException(413, {
        message: `Request body too large: at most ${MAX_BODY_BYTES} bytes`,
      });
    },
  });
}

/** Handles an authorised POST: validates the body and merges the flags. */
async function updateFlags(c: Context, deps: ApiDeps): Promise<Response> {
  const mediaType = c.req.header("Content-Type")?.split(";")[0].trim();
  if (mediaType?.toLowerCase() !== "application/json") {
    throw new HTTPException(415, {
      message: "Unsupported Content-Type: expected application/json",
    });
  }

  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    badRequest("Invalid JSON in request body");
  }
  const updates = parseFlagUpdates(body);

  const { value } = await updateJsonObject(
    deps.store,
    FLAGS_KEY,
    (flags) => ({
      ...flags,
      updates: {
        ...(isJsonObject(flags.updates) ? flags.updates : {}),
        ...updates,
      },
    }),
    { replaceInvalid: true },
  );
  deps.logger.info(`Updated flags: ${JSON.stringify(updates)}`);
  return sendJson(c, { updated: true, flags: value }, CACHE_NONE);
}

/**
 * Checks a POST body against `{"updates": {product: 0|1, ...}}` with at
 * least one known product; throws 400 naming the first problem.
 */
function parseFlagUpdates(body: unknown): Record<string, 0 | 1> {
  const expected = 'expected {"updates": {"<product>": 0 or 1}}';
  if (!isJsonObject(body)) badRequest(`Invalid flags: ${expected}`);

  const extra = Object.keys(body).find((key) => key !== "updates");
  if (extra !== undefined) {
    badRequest(`Invalid flags: unexpected key "${extra}", ${expected}`);
  }
  const updates: JsonObject | undefined = isJsonObject(body.updates)
    ? body.updates
    : undefined;
  if (updates === undefined || Object.keys(updates).length === 0) {
    badRequest(`Invalid flags: ${expected}`);
  }

  for (const [product, flag] of Object.entries(updates)) {
    if (!isProduct(product)) {
      badRequest(
        `Invalid flags: unknown product ${JSON.stringify(product)}, ` +
          `expected one of ${Object.keys(PRODUCT_LEVEL).join(", ")}`,
      );
    }
    if (flag !== 0 && flag !== 1) {
      badRequest(`Invalid flag for "${product}": expected 0 or 1`);
    }
  }
  return updates as Record<string, 0 | 1>;
}
