import assert from "node:assert/strict";
import { createTestApp, putText, type TestApp } from "./helpers.ts";

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Stored as the jobs write it: pretty, keys in the writer's order.
const LEGEND = JSON.stringify(
  { name: "REF", units: "dBZ", entries: [{ value: 5, colour: "#00ecec" }] },
  null,
  2,
) + "\n";

async function withLegend(test: (t: TestApp) => Promise<void>) {
  const t = await createTestApp();
  try {
    await t.store.put("legends/REF.png", PNG, { contentType: "image/png" });
    await putText(t.store, "legends/REF.json", LEGEND);
    await test(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /legend/{table}/png returns the colour bar", async () => {
  await withLegend(async ({ app }) => {
    const response = await app.request("/legend/REF/png");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "image/png");
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
    const etag = response.headers.get("ETag");
    assert.ok(etag);

    const again = await app.request("/legend/REF/png", {
      headers: { "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
  });
});

Deno.test("GET /legend/{table}/json returns the entries", async () => {
  await withLegend(async ({ app }) => {
    const response = await app.request("/legend/REF/json");
    assert.equal(response.status, 200);
    assert.match(response.headers.get("Content-Type")!, /application\/json/);
    // Compact with sorted keys, as every JSON response.
    assert.equal(
      await response.text(),
      '{"entries":[{"colour":"#00ecec","value":5}],"name":"REF","units":"dBZ"}\n',
    );
    const etag = response.headers.get("ETag");
    assert.ok(etag);
    const again = await app.request("/legend/REF/json", {
      headers: { "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
  });
});

Deno.test("GET /legend/{table}/json reports a damaged legend", async () => {
  await withLegend(async ({ app, store }) => {
    await putText(store, "legends/REF.json", "{not json");
    const response = await app.request("/legend/REF/json");
    assert.equal(response.status, 500);
    assert.match((await response.json()).error, /legends\/REF\.json/);
  });
});

Deno.test("GET /legend/ rejects names outside the key grammar", async () => {
  await withLegend(async ({ app, keysRead }) => {
    for (
      const path of [
        "/legend/..%2FREF/png",
        "/legend/REF.png/png",
        "/legend/REF/gif",
        "/legend/REF",
        "/legend/1REF/json",
      ]
    ) {
      const response = await app.request(path);
      assert.equal(response.status, 400, path);
      await response.body?.cancel();
    }
    assert.deepEqual(keysRead, []);

    const missing = await app.request("/legend/VEL/png");
    assert.equal(missing.status, 404);
    assert.match((await missing.json()).error, /legends\/VEL\.png/);
    const post = await app.request("/legend/REF/png", { method: "POST" });
    assert.equal(post.status, 405);
    await post.body?.cancel();
  });
});
