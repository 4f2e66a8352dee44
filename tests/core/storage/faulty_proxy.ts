/**
 * An HTTP proxy on 127.0.0.1 that forwards to a test server and fails
 * chosen requests the way real S3 connections fail: a response body cut
 * off mid-way (the connection drops), or an error status such as 503
 * SlowDown. Tests queue faults, and each request takes the next one.
 *
 * @module
 */

/** What the proxy does to one request. */
export type Fault =
  /** Sends the headers and half the body, then drops the connection. */
  | { kind: "cut" }
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

/** Starts a proxy in front of `upstream` (a base URL). */
export function startFaultyProxy(upstream: string): FaultyProxy {
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
      const forwarded = await fetch(upstream + url.pathname + url.search, {
        method: request.method,
        headers: request.headers,
        body: request.body,
      });
      if (fault?.kind !== "cut") return forwarded;

      const body = new Uint8Array(await forwarded.arrayBuffer());
      const half = body.subarray(0, Math.floor(body.length / 2));
      // Ending the stream short of the Content-Length below makes the
      // server drop the connection, as a reset would, without logging.
      const cut = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(half);
          controller.close();
        },
      });
      const headers = new Headers(forwarded.headers);
      headers.set("Content-Length", String(body.length));
      return new Response(cut, { status: forwarded.status, headers });
    },
  );

  return {
    endpoint: `http://127.0.0.1:${server.addr.port}`,
    faults,
    requests: () => requests,
    close: () => server.shutdown(),
  };
}
