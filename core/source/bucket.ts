/**
 * Anonymous read access to a public S3 bucket (the NEXRAD archives) over
 * plain HTTP: `ListObjectsV2` for listings and `GET` for objects. The
 * archive buckets allow unsigned requests, so no credentials are involved.
 *
 * @module
 */

/** One object of a bucket listing. */
export interface SourceObject {
  /** Object key, e.g. "2022/03/17/KLOT/KLOT20220317_000842_V06". */
  key: string;
  /** Size in bytes. */
  size: number;
}

/** What the jobs read from an archive bucket. */
export interface SourceBucket {
  /** Bucket name, for log lines. */
  readonly name: string;
  /** Lists the objects whose keys start with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<SourceObject>;
  /**
   * Lists the folders right under `prefix`, which ends with "/": the
   * distinct key parts up to the next "/", e.g. "KLOT/17/".
   */
  folders(prefix: string): Promise<string[]>;
  /** Reads one object whole. */
  get(key: string): Promise<Uint8Array>;
}

/** Options of {@linkcode openSourceBucket}. */
export interface SourceBucketOptions {
  /**
   * Base URL of an S3-compatible server, addressed path-style
   * (`{endpoint}/{bucket}/{key}`). Without it the bucket is read from AWS
   * virtual-hosted style, `https://{bucket}.s3.amazonaws.com/{key}`.
   */
  endpoint?: string;
  /** Time limit of one request, milliseconds. @default {60000} */
  timeoutMs?: number;
  /**
   * Stops every request when aborted: its reason is thrown as it is, not as
   * a {@linkcode SourceError}.
   */
  signal?: AbortSignal;
}

/** A failed request to the archive: network error or non-2xx status. */
export class SourceError extends Error {
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;

  constructor(message: string, status: number | null, options?: ErrorOptions) {
    super(message, options);
    this.name = "SourceError";
    this.status = status;
  }
}

/**
 * Returns whether a request got no response at all (network down, name
 * not resolved, refused, timed out), so that the next requests to the same
 * server would likely fail the same way.
 */
export function isUnreachable(error: unknown): boolean {
  return error instanceof SourceError && error.status === null;
}

/** Opens a public bucket for anonymous listing and reading. */
export function openSourceBucket(
  name: string,
  options: SourceBucketOptions = {},
): SourceBucket {
  const base = options.endpoint
    ? `${options.endpoint.replace(/\/+$/, "")}/${name}`
    : `https://${name}.s3.amazonaws.com`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // Messages name the server when it is not AWS.
  const server = options.endpoint ? ` at ${options.endpoint}` : "";

  const stop = options.signal;

  function failure(action: string, error: unknown): unknown {
    if (stop?.aborted) return stop.reason;
    // fetch() rejects with "TypeError: fetch failed" and puts the reason
    // (refused, DNS, TLS) in its cause.
    const cause = error instanceof Error ? error.cause : undefined;
    const reason = cause instanceof Error ? `: ${cause.message}` : "";
    return new SourceError(`Failed to ${action}: ${error}${reason}`, null, {
      cause: error,
    });
  }

  async function request(url: string, action: string): Promise<Response> {
    stop?.throwIfAborted();
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        signal: stop ? AbortSignal.any([timeout, stop]) : timeout,
      });
    } catch (error) {
      throw failure(action, error);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceError(
        `Failed to ${action}: HTTP ${response.status}`,
        response.status,
      );
    }
    return response;
  }

  async function* pages(
    prefix: string,
    byFolder: boolean,
  ): AsyncIterable<ListPage> {
    let token: string | null = null;
    do {
      const query = new URLSearchParams({ "list-type": "2", prefix });
      if (byFolder) query.set("delimiter", "/");
      if (token !== null) query.set("continuation-token", token);
      const action = `list s3://${name}/${prefix}${server}`;
      const response = await request(`${base}/?${query}`, action);
      const text = await response.text().catch((error) => {
        throw failure(action, error);
      });
      const page = parseListPage(text);
      yield page;
      token = page.nextToken;
    } while (token !== null);
  }

  return {
    name,

    async *list(prefix: string): AsyncIterable<SourceObject> {
      for await (const page of pages(prefix, false)) yield* page.objects;
    },

    async folders(prefix: string): Promise<string[]> {
      const folders: string[] = [];
      for await (const page of pages(prefix, true)) {
        folders.push(...page.folders);
      }
      return folders;
    },

    async get(key: string): Promise<Uint8Array> {
      const path = key.split("/").map(encodeURIComponent).join("/");
      const action = `read s3://${name}/${key}${server}`;
      const response = await request(`${base}/${path}`, action);
      const body = await response.arrayBuffer().catch((error) => {
        throw failure(action, error);
      });
      return new Uint8Array(body);
    },
  };
}

/** One page of a `ListObjectsV2` response. */
export interface ListPage {
  objects: SourceObject[];
  /** Folders (`CommonPrefixes`) of a listing with a delimiter. */
  folders: string[];
  /** Continuation token of the next page; null on the last page. */
  nextToken: string | null;
}

/**
 * Reads the keys, sizes and folders out of a `ListObjectsV2` XML body. The
 * body is S3's fixed, flat layout, so matching its elements is enough; keys
 * are XML-escaped there and unescaped here.
 */
export function parseListPage(xml: string): ListPage {
  const objects: SourceObject[] = [];
  for (const match of xml.matchAll(/<Contents>([\s\S]*?)<\/Contents>/g)) {
    const key = element(match[1], "Key");
    if (key === null) continue;
    objects.push({ key, size: Number(element(match[1], "Size") ?? 0) });
  }
  const folders: string[] = [];
  for (
    const match of xml.matchAll(/<CommonPrefixes>([\s\S]*?)<\/CommonPrefixes>/g)
  ) {
    const folder = element(match[1], "Prefix");
    if (folder !== null) folders.push(folder);
  }
  const truncated = element(xml, "IsTruncated") === "true";
  const nextToken = truncated ? element(xml, "NextContinuationToken") : null;
  return { objects, folders, nextToken };
}

function element(xml: string, name: string): string | null {
  const match = xml.match(new RegExp(`<${name}>([^<]*)</${name}>`));
  return match === null ? null : unescapeXml(match[1]);
}

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g,
    (_, e) => {
      switch (e) {
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "quot":
          return '"';
        case "apos":
          return "'";
        case "amp":
          return "&";
      }
      const code = e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return String.fromCodePoint(code);
    },
  );
}
