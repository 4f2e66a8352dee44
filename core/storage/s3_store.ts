/**
 * A {@linkcode Store} in an S3-compatible bucket: AWS S3, MinIO, Cloudflare
 * R2 or any server that speaks the S3 protocol, with path-style addressing
 * when an endpoint is given.
 *
 * Conditional writes use `If-Match` and `If-None-Match: *` on PutObject,
 * which AWS S3 (If-Match since November 2024), MinIO and Cloudflare R2
 * document. Some servers ignore these headers and overwrite anyway, and
 * s3rver 3.7 is one. The store finds out once per instance with
 * {@linkcode S3Store.probeConditionalWrites}. On such a server it falls
 * back to comparing the entity tag from HeadObject and then writing, with
 * reads and writes of one object queued inside this process (across all
 * instances). s3rver needs the latter because it writes objects
 * in place and can serve a half-written one. It even responds to PutObject
 * before the file is complete (s3rver 3.7.1, `stores/filesystem.js`). So
 * when the probe finds that the server's entity tags are the MD5 of the
 * body, reads in the fallback check the body against its tag and read
 * again on a mismatch.
 *
 * NOTE: the fallback is safe against writers in the same process only. Two
 * processes updating one object on such a server can still lose an update.
 *
 * Transient failures (a reset or aborted connection, HTTP 5xx, 429 or a
 * throttling error) are retried by the store, with exponential backoff,
 * up to {@linkcode S3StoreOptions.maxAttempts} attempts per call. The SDK's
 * own retries are turned off: they cover only the request up to the
 * response headers, not the reading of a GetObject body, where Deno's
 * `node:http` reports a reset connection as "aborted".
 *
 * @module
 */

import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { createHash } from "node:crypto";
import { assertSafeKey } from "./keys.ts";
import {
  type ObjectInfo,
  type PutOptions,
  StorageError,
  type Store,
  type StoredObject,
} from "./store.ts";

/** Options of {@linkcode S3Store}. */
export interface S3StoreOptions {
  bucket: string;
  /** AWS region, e.g. "us-east-1"; S3-compatible servers mostly ignore it. */
  region: string;
  /** Server URL for a non-AWS server, e.g. "http://127.0.0.1:9000". */
  endpoint?: string;
  /** Static credentials; the SDK's default provider chain when absent. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per ListObjectsV2 page; the server's default (1,000 on AWS). */
  listPageSize?: number;
  /** Attempts per call when requests fail transiently; 4 by default. */
  maxAttempts?: number;
  /** Wait before the first retry, ms; it doubles per retry. 100 by default. */
  retryBaseDelayMs?: number;
}

/** Key written and deleted by {@linkcode S3Store.probeConditionalWrites}. */
export const PROBE_KEY = "probes/conditional-writes.txt";

/**
 * Tails of the queues of emulated conditional writes, per server, bucket
 * and key. Module-wide, so that the API's store and the jobs' store in one
 * process wait for each other.
 */
const queues = new Map<string, Promise<unknown>>();

/**
 * Servers and buckets (as in `queues`) whose probe found that they ignore
 * conditions, each with whether their entity tags are body MD5s.
 * Module-wide, so that a store created after the probe of another queues
 * its reads before its own probe has finished.
 */
const ignoresConditions = new Map<string, { md5Etags: boolean }>();

/** S3 DeleteObjects accepts at most 1,000 keys per request. */
const DELETE_BATCH = 1000;

const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_RETRY_BASE_DELAY_MS = 100;
/** Maximum wait between two attempts, ms. */
const MAX_RETRY_DELAY_MS = 5000;

/** S3 implementation of {@linkcode Store}. */
export class S3Store implements Store {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #listPageSize: number | undefined;
  readonly #maxAttempts: number;
  readonly #retryBaseDelayMs: number;
  #conditionalWrites: Promise<boolean> | null = null;
  /** Server and bucket, the start of this store's entries in `queues`. */
  readonly #queuePrefix: string;

  constructor(options: S3StoreOptions) {
    this.#bucket = options.bucket;
    this.#queuePrefix = `${options.endpoint ?? "aws"} ${options.bucket}/`;
    this.#listPageSize = options.listPageSize;
    this.#maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ??
      DEFAULT_RETRY_BASE_DELAY_MS;
    if (!Number.isInteger(this.#maxAttempts) || this.#maxAttempts < 1) {
      throw new RangeError(
        `Invalid maxAttempts: expected an integer of at least 1, found ` +
          `${this.#maxAttempts}`,
      );
    }
    this.#client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.endpoint !== undefined,
      credentials: options.credentials,
      // Checksums only where S3 requires them: several S3-compatible
      // servers reject the newer default CRC headers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // The store retries, body reads included (see the module doc).
      maxAttempts: 1,
    });
  }

  async get(key: string): Promise<StoredObject | null> {
    assertSafeKey(key);
    // In the fallback, reads join the key's queue too: a server that
    // ignores conditions may also serve a write that is still in progress.
    const fallback = ignoresConditions.get(this.#queuePrefix);
    return await (fallback === undefined
      ? this.#read(key, false)
      : this.#queue(key, () => this.#read(key, fallback.md5Etags)));
  }

  async #read(key: string, verify: boolean): Promise<StoredObject | null> {
    try {
      return await this.#retry(async () => {
        const response = await this.#client.send(
          new GetObjectCommand({ Bucket: this.#bucket, Key: key }),
        );
        const body = await response.Body!.transformToByteArray();
        // Multipart and SSE-KMS tags are no MD5 and cannot be checked.
        const md5 = verify ? md5OfEtag(response.ETag) : null;
        if (md5 !== null && md5Hex(body) !== md5) {
          throw new IncompleteBodyError(
            `body of ${body.length} bytes does not match ETag ${response.ETag}`,
          );
        }
        return {
          body,
          etag: response.ETag!,
          lastModified: response.LastModified ?? new Date(0),
        };
      });
    } catch (error) {
      if (isMissingKey(error)) return null;
      throw this.#failure("read", key, error);
    }
  }

  async put(key: string, body: Uint8Array, options: PutOptions) {
    assertSafeKey(key);
    try {
      await this.#retry(() =>
        this.#client.send(
          new PutObjectCommand({
            Bucket: this.#bucket,
            Key: key,
            Body: body,
            ContentType: options.contentType,
          }),
        )
      );
    } catch (error) {
      throw this.#failure("write", key, error);
    }
  }

  async putIfMatch(
    key: string,
    body: Uint8Array,
    expectedEtag: string | null,
    options: PutOptions,
  ): Promise<boolean> {
    assertSafeKey(key);
    if (await this.probeConditionalWrites()) {
      return this.#putConditionally(key, body, expectedEtag, options);
    }
    return this.#queue(key, async () => {
      if (await this.#etag(key) !== expectedEtag) return false;
      await this.put(key, body, options);
      return true;
    });
  }

  async delete(keys: string[]): Promise<void> {
    keys.forEach(assertSafeKey);
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      let errors;
      try {
        const response = await this.#retry(() =>
          this.#client.send(
            new DeleteObjectsCommand({
              Bucket: this.#bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
          )
        );
        errors = response.Errors ?? [];
      } catch (error) {
        throw this.#failure("delete", batch[0], error);
      }
      if (errors.length > 0) {
        const [first] = errors;
        throw new StorageError(
          `Failed to delete ${errors.length} of ${batch.length} objects in ` +
            `bucket "${this.#bucket}", first "${first.Key}": ${first.Code} ` +
            first.Message,
          first.Key ?? batch[0],
        );
      }
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    if (prefix !== "") assertSafeKey(prefix.replace(/\/$/, ""));
    let token: string | undefined;
    do {
      let response;
      try {
        response = await this.#retry(() =>
          this.#client.send(
            new ListObjectsV2Command({
              Bucket: this.#bucket,
              Prefix: prefix,
              ContinuationToken: token,
              MaxKeys: this.#listPageSize,
            }),
          )
        );
      } catch (error) {
        throw this.#failure("list", prefix, error);
      }
      for (const object of response.Contents ?? []) {
        yield {
          key: object.Key!,
          size: object.Size ?? 0,
          lastModified: object.LastModified ?? new Date(0),
        };
      }
      token = response.IsTruncated ? response.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  /**
   * Finds out whether the server honours `If-Match` and `If-None-Match` on
   * PutObject, by writing {@linkcode PROBE_KEY}, overwriting it under both
   * conditions that must fail, and deleting it. Probes once per instance,
   * and later calls return the cached result.
   */
  probeConditionalWrites(): Promise<boolean> {
    this.#conditionalWrites ??= this.#probe().catch((error) => {
      this.#conditionalWrites = null;
      throw error;
    });
    return this.#conditionalWrites;
  }

  /** Stops the SDK's connection pool, e.g. at the end of a test. */
  close(): void {
    this.#client.destroy();
  }

  async #probe(): Promise<boolean> {
    const body = new TextEncoder().encode("conditional write probe\n");
    const options = { contentType: "text/plain" };
    const written = await this.#retry(() =>
      this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: PROBE_KEY,
          Body: body,
          ContentType: options.contentType,
        }),
      )
    ).catch((error) => {
      throw this.#failure("write", PROBE_KEY, error);
    });

    // Both writes must be rejected: the object exists, and its entity tag
    // is not all zeros.
    const created = await this.#putConditionally(
      PROBE_KEY,
      body,
      null,
      options,
    );
    const replaced = await this.#putConditionally(
      PROBE_KEY,
      body,
      `"${"0".repeat(32)}"`,
      options,
    );
    await this.delete([PROBE_KEY]);
    const ignored = created || replaced;
    if (ignored) {
      ignoresConditions.set(this.#queuePrefix, {
        md5Etags: md5OfEtag(written.ETag) === md5Hex(body),
      });
    }
    return !ignored;
  }

  async #putConditionally(
    key: string,
    body: Uint8Array,
    expectedEtag: string | null,
    options: PutOptions,
  ): Promise<boolean> {
    try {
      // NOTE: when a write succeeds but its response is lost, the retry
      // fails its condition and this returns false. The caller then
      // re-reads the object and applies its update again, so updates
      // must be idempotent (updateJsonObject's are: they set entries).
      await this.#retry(() =>
        this.#client.send(
          new PutObjectCommand({
            Bucket: this.#bucket,
            Key: key,
            Body: body,
            ContentType: options.contentType,
            IfMatch: expectedEtag ?? undefined,
            IfNoneMatch: expectedEtag === null ? "*" : undefined,
          }),
        )
      );
      return true;
    } catch (error) {
      // 412: the condition failed. 409: a concurrent conditional write won
      // (AWS). NoSuchKey: If-Match on an object that is gone.
      const status = statusOf(error);
      if (status === 412 || status === 409 || isMissingKey(error)) {
        return false;
      }
      throw this.#failure("write", key, error);
    }
  }

  async #etag(key: string): Promise<string | null> {
    try {
      const response = await this.#retry(() =>
        this.#client.send(
          new HeadObjectCommand({ Bucket: this.#bucket, Key: key }),
        )
      );
      return response.ETag ?? null;
    } catch (error) {
      if (isMissingKey(error)) return null;
      throw this.#failure("read", key, error);
    }
  }

  /**
   * Runs `request`, again after a transient failure, up to `maxAttempts`
   * times. Waits base delay x 2^(retry - 1), capped at 5 s, each wait
   * drawn between half and all of that so that writers that failed
   * together spread out. Rethrows the last error.
   */
  async #retry<T>(request: () => Promise<T>): Promise<T> {
    for (let attempt = 1;; attempt++) {
      try {
        return await request();
      } catch (error) {
        if (attempt >= this.#maxAttempts || !isTransient(error)) throw error;
        const delayMs = Math.min(
          MAX_RETRY_DELAY_MS,
          this.#retryBaseDelayMs * 2 ** (attempt - 1),
        );
        await sleep(delayMs * (0.5 + Math.random() / 2));
      }
    }
  }

  /** Runs `task` after every earlier task queued for `key` has settled. */
  #queue<T>(key: string, task: () => Promise<T>): Promise<T> {
    const queueKey = this.#queuePrefix + key;
    const previous = queues.get(queueKey) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.catch(() => {});
    queues.set(queueKey, tail);
    tail.then(() => {
      if (queues.get(queueKey) === tail) queues.delete(queueKey);
    });
    return result;
  }

  #failure(action: string, key: string, cause: unknown): StorageError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new StorageError(
      `Failed to ${action} "${key}" in bucket "${this.#bucket}": ${detail}`,
      key,
      { cause },
    );
  }
}

/**
 * Returns whether an S3 error means the key does not exist. A missing
 * bucket (NoSuchBucket, also 404) is a setup error and does not count.
 * HeadObject returns 404 without a body, so its error is only "NotFound".
 */
function isMissingKey(error: unknown): boolean {
  const name = (error as Error | null)?.name;
  return name === "NoSuchKey" ||
    (name === "NotFound" && statusOf(error) === 404);
}

/** A body that a server ignoring conditions served while writing it. */
class IncompleteBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IncompleteBodyError";
  }
}

function md5Hex(body: Uint8Array): string {
  return createHash("md5").update(body).digest("hex");
}

/** Returns the 32 hex digits of an entity tag, lowercase; null for others. */
function md5OfEtag(etag: string | undefined): string | null {
  return etag?.match(/^"?([0-9a-f]{32})"?$/i)?.[1].toLowerCase() ?? null;
}

/** HTTP statuses of a busy or failing server (not 501 Not Implemented). */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

/** S3 error codes of a busy or slow server, retried as transient. */
const TRANSIENT_ERROR_NAMES = new Set([
  "InternalError",
  "RequestTimeout",
  "ServiceUnavailable",
  "SlowDown",
  "Throttling",
  "ThrottlingException",
  "TimeoutError",
  "TooManyRequestsException",
]);

/** Node.js socket error codes of a dropped or refused connection. */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * Returns whether an S3 call failed in a way that a later attempt may not:
 * HTTP 429, 500 or 502 to 504, a throttling or timeout error code, or a connection
 * that was refused, reset or cut during the response. Deno's `node:http`
 * reports a cut response body as an Error "aborted" (code ECONNRESET) and
 * a closed idle connection as "socket hang up". Causes are checked too.
 */
function isTransient(error: unknown): boolean {
  for (let cause = error, depth = 0; depth < 5; depth++) {
    if (!(cause instanceof Error)) return false;
    const status = statusOf(cause);
    if (status !== undefined && TRANSIENT_STATUSES.has(status)) return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && TRANSIENT_SOCKET_CODES.has(code)) {
      return true;
    }
    if (
      cause instanceof IncompleteBodyError ||
      TRANSIENT_ERROR_NAMES.has(cause.name) ||
      cause instanceof Deno.errors.ConnectionReset ||
      cause instanceof Deno.errors.ConnectionAborted ||
      cause instanceof Deno.errors.ConnectionRefused ||
      cause instanceof Deno.errors.BrokenPipe ||
      cause instanceof Deno.errors.UnexpectedEof ||
      cause instanceof Deno.errors.TimedOut ||
      cause.message === "aborted" ||
      cause.message === "socket hang up"
    ) {
      return true;
    }
    cause = cause.cause;
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** HTTP status of a failed S3 call; undefined for network errors. */
function statusOf(error: unknown): number | undefined {
  return (error as Partial<S3ServiceException> | null)?.$metadata
    ?.httpStatusCode;
}
