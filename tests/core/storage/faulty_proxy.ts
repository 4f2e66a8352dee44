/**
 * An HTTP proxy on 127.0.0.1 that forwards to a test server and fails
 * chosen requests the way real S3 connections fail: a response body cut
 * off mid-way (the connection drops), or an error status such as 503
 * SlowDown. Tests queue faults, and each request takes the next one.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** What the proxy does to one request. */
export type Fault =
  /** Sends the headers and half the body, then drops the connection. */
  | { kind: "cut" }
  /**
   * Sends half the body as if it were all of it, as a server does that
   * serves an object while writing it in place.
   */
  | { kind: "half" }
  /** Returns this status and S3 error code instead of forwarding. */
  | { kind: "status"; status: number; code: string };

/** A running proxy. */
export interface FaultyProxy {
  endpoint: string;
  /** Faults for the next requests, in order; a request without one passes. */
  faults: Fault[];
  /** Requests received, faulty or not. */
  requests(): number;
  close(): Promise<void>;
}

/** Options of {@linkcode startFaultyProxy}. */
export interface FaultyProxyOptions {
  /**
   * Drops `If-Match` and `If-None-Match` from every request, so that the
   * upstream server behaves as one that ignores conditions.
   */
  ignoreConditions?: boolean;
  /**
   * Replaces the entity tags of PutObject and GetObject responses with the
   * MD5 of the body, as S3 gives them for single-part uploads.
   */
  md5Etags?: boolean;
}

/** Starts a proxy in front of `upstream` (a base URL). */
export function startFaultyProxy(
  upstream: string,
  options: FaultyProxyOptions = {},
): FaultyProxy {
  const faults: Fault[] = [];
  let requests = 0;

  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (request) => {
      requests++;
      const fault = faults.shift();
      if (fault?.kind === "status") {
        return new Response(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}` +
            `</Code><Message>Injected by the test proxy</Message></Error>`,
          {
            status: fault.status,
            headers: { "Content-Type": "application/xml" },
          },
        );
      }

      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      if (options.ignoreConditions) {
        headers.delete("If-Match");
        headers.delete("If-None-Match");
      }
      const sent = new Uint8Array(await request.arrayBuffer());
      const upstreamResponse = await fetch(
        upstream + url.pathname + url.search,
        {
          method: request.method,
          headers,
          body: request.method === "GET" || request.method === "HEAD"
            ? undefined
            : sent,
        },
      );
      const body = new Uint8Array(await upstreamResponse.arrayBuffer());
      const forwarded = new Response(
        request.method === "HEAD" ? null : body,
        upstreamResponse,
      );
      if (options.md5Etags && upstreamResponse.ok) {
        if (request.method === "PUT") {
          forwarded.headers.set("ETag", `"${md5Hex(sent)}"`);
        } else if (request.method === "GET") {
          forwarded.headers.set("ETag", `"${md5Hex(body)}"`);
        }
      }
      if (fault === undefined) return forwarded;

      const half = body.subarray(0, Math.floor(body.length / 2));
      if (fault.kind === "half") {
        return new Response(half, {
          status: forwarded.status,
          headers: forwarded.headers,
        });
      }
      // Ending the stream short of the Content-Length below makes the
      // server drop the connection, as a reset would, without logging.
      const cut = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          controller.close();
        },
      });
      const cutHeaders = new Headers(forwarded.headers);
      cutHeaders.set("Content-Length", String(body.length));
      return new Response(cut, {
        status: forwarded.status,
        headers: cutHeaders,
      });
    },
  );

  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    faults,
    requests: () => requests,
    close: () => server.shutdown(),
  };
}

function md5Hex(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}
