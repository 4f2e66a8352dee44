/**
 * Builds the store that the settings select.
 *
 * @module
 */

import type { Config } from "../config.ts";
import { FsStore } from "./fs_store.ts";
import type { S3Store } from "./s3_store.ts";

/**
 * Creates the filesystem store under `DATA_DIR`, or the S3 store for
 * `PROJECT_S3_BUCKET`. Neither touches the disk or the network until used.
 * The S3 client loads only for the S3 store: importing it took 65 to 80 ms
 * of every start.
 */
export async function createStore(config: Config): Promise<FsStore | S3Store> {
  if (config.store === "fs") return new FsStore(config.dataDir);

  const { S3Store } = await import("./s3_store.ts");
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
