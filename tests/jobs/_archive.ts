/**
 * A local copy of the NEXRAD archive buckets for the job tests: s3rver on
 * 127.0.0.1 holding corpus files under real archive keys.
 *
 * @module
 */

import { startS3rver } from "../core/storage/s3rver.ts";

/** Root of the shared NEXRAD corpus, beside the repository. */
export const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);

/** Returns the path of a corpus file, e.g. "level2/KTLX20170101_030027_V06". */
export function corpusPath(name: string): string {
  return new URL(name, CORPUS).pathname;
}

/** A running local archive. */
export interface LocalArchive {
  /** Base URL to use as `SOURCE_ENDPOINT`. */
  endpoint: string;
  /** Writes an object into a bucket. */
  put(
    bucket: string,
    key: string,
    body: Uint8Array<ArrayBuffer>,
  ): Promise<void>;
  close(): Promise<void>;
}

/** Starts s3rver with `buckets` created and `objects` (bucket -> key -> corpus file) stored. */
export async function startArchive(
  buckets: string[],
  objects: Record<string, Record<string, string>> = {},
): Promise<LocalArchive> {
  const server = await startS3rver(buckets);
  const endpoint = server.endpoint;

  async function put(
    bucket: string,
    key: string,
    body: Uint8Array<ArrayBuffer>,
  ) {
    const response = await fetch(`${endpoint}/${bucket}/${key}`, {
      method: "PUT",
      body,
    });
    await response.body?.cancel();
    if (!response.ok) {
      throw new Error(
        `Failed to store ${bucket}/${key}: HTTP ${response.status}`,
      );
    }
  }

  for (const [bucket, files] of Object.entries(objects)) {
    for (const [key, file] of Object.entries(files)) {
      await put(bucket, key, await Deno.readFile(corpusPath(file)));
    }
  }

  return {
    endpoint,
    put,
    close: () => server.close(),
  };
}

/**
 * Returns the URL of a loopback port that was free a moment ago, so that a
 * request to it is refused: an archive that gives no response.
 */
export function refusedEndpoint(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return `http://127.0.0.1:${port}`;
}
