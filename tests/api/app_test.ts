import assert from "node:assert/strict";
import { StorageError, type Store } from "../../core/storage/store.ts";
import { createTestApp, type TestApp } from "./helpers.ts";

// An allowed frontend origin and an unrelated one.
const FRONTEND = "https://radar.example";
const OTHER = "https://evil.example";

async function withApp(
  test: (t: TestApp) => Promise<void>,
  env: Record<string, string> = {},
  store?: Store,
) {
  const t = await createTestApp(env, store);
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

/** A store whose every call fails as an unreachable bucket would. */
const brokenStore: Store = {
  get: (key) =>
    Promise.reject(new StorageError(`Failed to read "${key}"`, key)),
  put: () => Promise.reject(new Error("unused")),
  putIfMatch: () => Promise.reject(new Error("unused")),
  delete: () => Promise.reject(new Error("unused")),
  list: () => {
    throw new Error("unused");
  },
};

Deno.test("GET /health returns ok", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/health");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "ok" });
  });
});

Deno.test("unknown paths return 404 JSON", async () => {
  await withApp(async ({ app }) => {
    for (const path of ["/", "/nope", "/list-all/extra", "/code/x"]) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("Content-Type"), "application/json");
      assert.deepEqual(await response.json(), { error: "Not found" });
    }
  });
});

Deno.test("other methods on known paths return 405", async () => {
  await withApp(async ({ app }) => {
    const cases: [string, string, string][] = [
      ["POST", "/list-all/", "GET, HEAD"],
      ["DELETE", "/list/2/reflectivity/", "GET, HEAD"],
      ["PUT", "/code/", "GET, HEAD"],
      ["PUT", "/flag/", "GET, HEAD, POST"],
      ["DELETE", "/flag/", "GET, HEAD, POST"],
      ["POST", "/health", "GET, HEAD"],
      [
        "PUT",
        "/data/2/KPDT20250321_010412_V06_reflectivity_idx0/png",
        "GET, HEAD",
      ],
    ];
    for (const [method, path, allow] of cases) {
      const response = await app.request(path, { method });
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.get("Allow"), allow);
      assert.match((await response.json()).error, /not allowed/);
    }
  });
});

Deno.test("CORS allows any origin to GET by default", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/list-all/", {
      headers: { Origin: FRONTEND },
    });
    assert.equal(response.headers.get("Access-Control-Allow-Origin"), "*");
    assert.match(
      response.headers.get("Access-Control-Expose-Headers")!,
      /ETag/,
    );
    await response.body?.cancel();

    // Error responses carry the header too, so the browser shows them.
    const error = await app.request("/data/9/x/png", {
      headers: { Origin: FRONTEND },
    });
    assert.equal(error.status, 400);
    assert.equal(error.headers.get("Access-Control-Allow-Origin"), "*");
    await error.body?.cancel();
  });
});

Deno.test("CORS answers preflight requests", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/flag/", {
      method: "OPTIONS",
      headers: {
        Origin: FRONTEND,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("Access-Control-Allow-Origin"), "*");
    const methods = response.headers.get("Access-Control-Allow-Methods")!;
    for (const method of ["GET", "HEAD", "POST"]) {
      assert.ok(methods.includes(method), methods);
    }
    assert.match(
      response.headers.get("Access-Control-Allow-Headers")!,
      /Authorization/,
    );
  });
});

Deno.test("CORS_ORIGINS limits the allowed origins", async () => {
  await withApp(async ({ app }) => {
    const allowed = await app.request("/list-all/", {
      headers: { Origin: FRONTEND },
    });
    assert.equal(
      allowed.headers.get("Access-Control-Allow-Origin"),
      FRONTEND,
    );
    assert.match(allowed.headers.get("Vary")!, /Origin/);
    await allowed.body?.cancel();

    const other = await app.request("/list-all/", {
      headers: { Origin: OTHER },
    });
    assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
    await other.body?.cancel();
  }, { CORS_ORIGINS: `${FRONTEND},http://localhost:5173` });
});

Deno.test("requests are logged one line each", async () => {
  await withApp(async ({ app, logs }) => {
    await (await app.request("/health")).body?.cancel();
    await (await app.request("/nope")).body?.cancel();
    assert.equal(logs.length, 2, logs.join("\n"));
    assert.match(logs[0], /^INFO --> GET \/health 200 \d+m?s$/);
    assert.match(logs[1], /^INFO --> GET \/nope 404 \d+m?s$/);
  });
});

Deno.test("store failures return 503 JSON", async () => {
  await withApp(
    async ({ app, logs }) => {
      for (
        const path of [
          "/list-all/",
          "/code/",
          "/flag/",
          "/data/2/KPDT20250321_010412_V06_reflectivity_idx0/png",
        ]
      ) {
        const response = await app.request(path);
        assert.equal(response.status, 503, path);
        assert.deepEqual(await response.json(), {
          error: "Storage unavailable",
        });
      }
      assert.ok(logs.some((line) => line.startsWith("ERROR Storage failed")));
    },
    {},
    brokenStore,
  );
});

Deno.test("unexpected errors return 500 JSON and are logged", async () => {
  const throwing: Store = {
    ...brokenStore,
    get: () => Promise.reject(new RangeError("bug in a store")),
  };
  await withApp(
    async ({ app, logs }) => {
      const response = await app.request("/list-all/");
      assert.equal(response.status, 500);
      assert.deepEqual(await response.json(), {
        error: "Internal server error",
      });
      assert.ok(
        logs.some((line) => line === "ERROR Unhandled error on GET /list-all/"),
        logs.join("\n"),
      );
    },
    {},
    throwing,
  );
});
