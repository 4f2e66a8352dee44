/**
 * Builds the API on a filesystem store in a temporary folder, with a logger
 * that records its lines, for the route tests.
 *
 * @module
 */

import type { Hono } from "hono";
import { createApp } from "../../api/app.ts";
import { type Environment, loadConfig } from "../../core/config.ts";
import type { Logger } from "../../core/logger.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import type { Store } from "../../core/storage/store.ts";

/** An app under test and what it was built from. */
export interface TestApp {
  app: Hono;
  store: Store;
  /** Log lines as "LEVEL message". */
  logs: string[];
  /** Keys the app passed to the store's get(), in order. */
  keysRead: string[];
  /** Removes the temporary folder. */
  close(): Promise<void>;
}

/** Creates the app; `env` adds settings, `store` replaces the fs store. */
export async function createTestApp(
  env: Environment = {},
  store?: Store,
): Promise<TestApp> {
  const root = await Deno.makeTempDir({ prefix: "api_test_" });
  const logs: string[] = [];
  const logger: Logger = {
    debug: (message) => logs.push(`DEBUG ${message}`),
    info: (message) => logs.push(`INFO ${message}`),
    warn: (message) => logs.push(`WARN ${message}`),
    error: (message) => logs.push(`ERROR ${message}`),
  };
  const config = loadConfig({ DATA_DIR: root, ...env });
  const usedStore = store ?? new FsStore(root);
  const keysRead: string[] = [];
  const recorder: Store = {
    get: (key) => (keysRead.push(key), usedStore.get(key)),
    put: (key, body, options) => usedStore.put(key, body, options),
    putIfMatch: (key, body, etag, options) =>
      usedStore.putIfMatch(key, body, etag, options),
    delete: (keys) => usedStore.delete(keys),
    list: (prefix) => usedStore.list(prefix),
  };

  return {
    app: createApp({ store: recorder, config, logger }),
    store: usedStore,
    logs,
    keysRead,
    close: () => Deno.remove(root, { recursive: true }),
  };
}

/** Stores `value` as pretty-printed JSON, as the jobs write it. */
export async function putJson(store: Store, key: string, value: unknown) {
  const body = new TextEncoder().encode(JSON.stringify(value, null, 2));
  await store.put(key, body, { contentType: "application/json" });
}

/** Stores raw text under `key`. */
export async function putText(store: Store, key: string, text: string) {
  await store.put(key, new TextEncoder().encode(text), {
    contentType: "application/octet-stream",
  });
}
