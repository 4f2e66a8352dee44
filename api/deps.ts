/**
 * Dependencies of the API, built by `main.ts` or by a test.
 *
 * @module
 */

import type { Config } from "../core/config.ts";
import type { Logger } from "../core/logger.ts";
import type { Store } from "../core/storage/store.ts";

/** Dependencies of {@linkcode createApp} and of every route group. */
export interface ApiDeps {
  store: Store;
  config: Config;
  logger: Logger;
}
