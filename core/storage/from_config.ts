/**
 * Builds the store that the settings select.
 *
 * @module
 */

import type { Config } from "../config.ts";
import { FsStore } from "./fs_store.ts";
import { S3Store } from "./s3_store.ts";

/**
 * Creates the filesystem store under `DATA_DIR`, or the S3 store for
 * `PROJECT_S3_BUCKET`. Neither touches the disk or the network until used.
 */
export function createStore(config: Config): FsStore | S3Store {
  if (config.store === "fs") return new FsStore(config.dataDir);

  const { bucket, region, endpoint, accessKeyId, secretAccessKey } = config.s3;
  return new S3Store({
    bucket,
    region,
    endpoint,
    credentials: accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey }
      : undefined,
  });
}
