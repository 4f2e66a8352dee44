import assert from "node:assert/strict";
import { createTestApp, putJson, putText, type TestApp } from "./helpers.ts";

const KEY = "flags/update_flags.json";
const TOKEN = "test-token-0123456789";

async function withApp(
  test: (t: TestApp) => Promise<void>,
  env: Record<string, string> = { FLAG_TOKEN: TOKEN },
) {
  const t = await createTestApp(env);
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

function post(body: string, headers: Record<string, string> = {}) {
  return {
    method: "POST",
    body,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      "Content-Type": "application/json",
      ...headers,
    },
  };
}

async function readFlags(t: TestApp) {
  return JSON.parse(new TextDecoder().decode((await t.store.get(KEY))!.body));
}

Deno.test("GET /flag/ returns {} when no flags are stored", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/flag/");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Cache-Control"), "no-cache");
    assert.equal(await response.text(), "{}\n");
  });
});

Deno.test("GET /flag/ returns the stored flags", async () => {
  await withApp(async ({ app, store }) => {
    // The original seed file.
    await putJson(store, KEY, {
      updates: { reflectivity: 1, hydrometeor: 0, precipitation: 0 },
    });
    const response = await app.request("/flag/");
    assert.equal(
      await response.text(),
      '{"updates":{"hydrometeor":0,"precipitation":0,"reflectivity":1}}\n',
    );

    await putText(store, KEY, "not json");
    assert.equal(await (await app.request("/flag/")).text(), "{}\n");
  });
});

Deno.test("POST /flag/ merges the named flags", async () => {
  await withApp(async (t) => {
    await putJson(t.store, KEY, {
      updates: { reflectivity: 1, hydrometeor: 1, precipitation: 0 },
    });
    const response = await t.app.request(
      "/flag/",
      post('{"updates":{"reflectivity":0}}'),
    );
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      flags: { updates: { reflectivity: 0, hydrometeor: 1, precipitation: 0 } },
      updated: true,
    });
    assert.deepEqual(await readFlags(t), {
      updates: { reflectivity: 0, hydrometeor: 1, precipitation: 0 },
    });
    const got = await (await t.app.request("/flag/")).json();
    assert.equal(got.updates.reflectivity, 0);
  });
});

Deno.test("POST /flag/ loses no concurrent update", async () => {
  await withApp(async (t) => {
    const products = ["reflectivity", "hydrometeor", "precipitation"];
    const responses = await Promise.all(
      products.map((product) =>
        t.app.request("/flag/", post(`{"updates":{"${product}":1}}`))
      ),
    );
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.deepEqual(await readFlags(t), {
      updates: { reflectivity: 1, hydrometeor: 1, precipitation: 1 },
    });
  });
});

Deno.test("POST /flag/ requires the bearer token", async () => {
  await withApp(async (t) => {
    const body = '{"updates":{"reflectivity":0}}';
    const missing = await t.app.request("/flag/", {
      method: "POST",
      body,
      headers: { "Content-Type": "application/json" },
    });
    assert.equal(missing.status, 401);
    assert.equal(
      missing.headers.get("WWW-Authenticate"),
      'Bearer realm="flags"',
    );
    assert.equal(typeof (await missing.json()).error, "string");

    for (const token of ["wrong-token-0123456789", `${TOKEN}x`, "x"]) {
      const wrong = await t.app.request(
        "/flag/",
        post(body, { Authorization: `Bearer ${token}` }),
      );
      assert.equal(wrong.status, 401, token);
      assert.equal(
        wrong.headers.get("WWW-Authenticate"),
        'Bearer realm="flags", error="invalid_token"',
      );
      assert.equal(typeof (await wrong.json()).error, "string");
    }

    // Another scheme is a malformed request (RFC 6750: invalid_request).
    const basic = await t.app.request(
      "/flag/",
      post(body, { Authorization: `Basic ${btoa("a:b")}` }),
    );
    assert.equal(basic.status, 400);
    assert.equal(
      basic.headers.get("WWW-Authenticate"),
      'Bearer realm="flags", error="invalid_request"',
    );
    await basic.body?.cancel();

    assert.equal(await t.store.get(KEY), null, "nothing may be written");
  });
});

Deno.test("POST /flag/ is disabled without FLAG_TOKEN", async () => {
  await withApp(async (t) => {
    const response = await t.app.request(
      "/flag/",
      post('{"updates":{"reflectivity":0}}'),
    );
    assert.equal(response.status, 403);
    assert.match((await response.json()).error, /FLAG_TOKEN/);
    assert.equal(await t.store.get(KEY), null);
  }, {});
});

Deno.test("POST /flag/ rejects invalid bodies", async () => {
  await withApp(async (t) => {
    const cases: [string, Record<string, string>, number][] = [
      ['{"updates":{"reflectivity":0}}', { "Content-Type": "text/plain" }, 415],
      ["{not json", {}, 400],
      ["", {}, 400],
      ["null", {}, 400],
      ["[1]", {}, 400],
      ["{}", {}, 400],
      ['{"updates":{}}', {}, 400],
      ['{"updates":[1]}', {}, 400],
      ['{"updates":{"rainbow":1}}', {}, 400],
      ['{"updates":{"reflectivity":2}}', {}, 400],
      ['{"updates":{"reflectivity":"1"}}', {}, 400],
      ['{"updates":{"reflectivity":1},"updated":0}', {}, 400],
      [`{"updates":{"reflectivity":1},"x":"${"a".repeat(5000)}"}`, {}, 413],
    ];
    for (const [body, headers, status] of cases) {
      const response = await t.app.request("/flag/", post(body, headers));
      const label = body.slice(0, 60);
      assert.equal(response.status, status, label);
      assert.equal(
        response.headers.get("Content-Type"),
        "application/json",
        label,
      );
      assert.equal(typeof (await response.json()).error, "string", label);
    }
    assert.equal(await t.store.get(KEY), null, "nothing may be written");
  });
});

Deno.test("flag routes redirect /flag with 308", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/flag");
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("Location"), "/flag/");
  });
});
