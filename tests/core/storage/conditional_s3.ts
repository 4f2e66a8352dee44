/**
 * A minimal S3 server on 127.0.0.1 that honours `If-Match` and
 * `If-None-Match: *` on PutObject as AWS S3, MinIO and R2 do. It tests the
 * S3 store's conditional path, because s3rver ignores those headers. It serves
 * path-style PutObject, GetObject, HeadObject, DeleteObjects and paged
 * ListObjectsV2 on one bucket, keeps objects in memory and does not check
 * signatures. (s3rver's continuation tokens use DES, which Deno's
 * node:crypto lacks, so paging is tested here.)
 *
 * @module
 */

interface MemoryObject {
  body: Uint8Array;
  etag: string;
}

/** A running server and its request counts. */
export interface ConditionalS3Server {
  endpoint: string;
  /** Conditional PutObject requests rejected with 412. */
  rejectedWrites(): number;
  /** Keys named by each DeleteObjects request, in order. */
  deleteBatches: number[];
  close(): Promise<void>;
}

/** Starts the server for `bucket` on an ephemeral loopback port. */
export function startConditionalS3(bucket: string): ConditionalS3Server {
  const objects = new Map<string, MemoryObject>();
  let version = 0;
  let rejected = 0;
  const deleteBatches: number[] = [];

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      const url = new URL(request.url);
      const prefix = `/${bucket}/`;
      if (request.method === "POST" && url.searchParams.has("delete")) {
        const xml = await request.text();
        const keys = [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)];
        deleteBatches.push(keys.length);
        for (const [, key] of keys) objects.delete(key);
        return xmlResponse(200, "<DeleteResult></DeleteResult>");
      }
      if (url.pathname === `/${bucket}` || url.pathname === prefix) {
        return listObjects(objects, url.searchParams);
      }
      if (!url.pathname.startsWith(prefix)) {
        return s3Error(404, "NoSuchBucket");
      }

      const key = decodeURIComponent(url.pathname.slice(prefix.length));
      const current = objects.get(key);
      if (request.method === "PUT") {
        // Read the body first: the check and the write below then run
        // without an await between them, so they are atomic.
        const body = new Uint8Array(await request.arrayBuffer());
        const ifMatch = request.headers.get("If-Match");
        const ifNoneMatch = request.headers.get("If-None-Match");
        if (ifMatch !== null && current === undefined) {
          return s3Error(404, "NoSuchKey");
        }
        if (
          (ifMatch !== null && ifMatch !== current!.etag) ||
          (ifNoneMatch === "*" && current !== undefined)
        ) {
          rejected++;
          return s3Error(412, "PreconditionFailed");
        }
        const etag = `"${(++version).toString(16).padStart(32, "0")}"`;
        objects.set(key, { body, etag });
        return new Response(null, { headers: { ETag: etag } });
      }

      if (current === undefined) {
        return request.method === "HEAD"
          ? new Response(null, { status: 404 })
          : s3Error(404, "NoSuchKey");
      }
      const headers = {
        ETag: current.etag,
        "Content-Length": String(current.body.length),
        "Last-Modified": new Date().toUTCString(),
      };
      const body = request.method === "HEAD"
        ? null
        : current.body as Uint8Array<ArrayBuffer>;
      return new Response(body, { headers });
    },
  );

  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    rejectedWrites: () => rejected,
    deleteBatches,
    close: () => server.shutdown(),
  };
}

/** ListObjectsV2; the continuation token is the last key returned. */
function listObjects(
  objects: Map<string, MemoryObject>,
  params: URLSearchParams,
): Response {
  const prefix = params.get("prefix") ?? "";
  const after = params.get("continuation-token") ?? "";
  const maxKeys = Number(params.get("max-keys") ?? "1000");
  const keys = [...objects.keys()]
    .filter((key) => key.startsWith(prefix) && key > after)
    .sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;

  const contents = page.map((key) =>
    `<Contents><Key>${key}</Key><Size>${objects.get(key)!.body.length}` +
    `</Size><ETag>${objects.get(key)!.etag}</ETag></Contents>`
  ).join("");
  const next = truncated
    ? `<NextContinuationToken>${page.at(-1)}</NextContinuationToken>`
    : "";
  return xmlResponse(
    200,
    `<ListBucketResult><IsTruncated>${truncated}</IsTruncated>` +
      `<KeyCount>${page.length}</KeyCount>${contents}${next}` +
      "</ListBucketResult>",
  );
}

function s3Error(status: number, code: string): Response {
  return xmlResponse(
    status,
    `<Error><Code>${code}</Code><Message>${code}</Message></Error>`,
  );
}

function xmlResponse(status: number, xml: string): Response {
  return new Response(`<?xml version="1.0" encoding="UTF-8"?>${xml}`, {
    status,
    headers: { "Content-Type": "application/xml" },
  });
}
