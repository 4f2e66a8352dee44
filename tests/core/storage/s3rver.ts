/**
 * Starts s3rver, an S3-protocol server in one npm package, on 127.0.0.1
 * with an ephemeral port and a temporary folder, for the tests that need
 * a real S3 endpoint.
 *
 * @module
 */

import S3rver from "s3rver";

/** A running s3rver and how to reach it. */
export interface TestS3Server {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  endpoint: string;
  /** The fixed credentials s3rver accepts. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

/** Starts s3rver with the given buckets already created. */
export async function startS3rver(buckets: string[]): Promise<TestS3Server> {
  const directory = await Deno.makeTempDir({ prefix: "s3rver_" });
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async close() {
      // server.close() waits for every open connection, and a keep-alive
      // connection that fetch keeps in its pool held it up for
      // minutes now and then, so the connections are closed at once.
      const closing = server.close();
      // deno-lint-ignore no-explicit-any -- s3rver's typings omit httpServer.
      (server as any).httpServer?.closeAllConnections();
      await closing;
      await Deno.remove(directory, { recursive: true });
    },
  };
}
