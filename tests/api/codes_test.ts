import assert from "node:assert/strict";
import { createTestApp, putJson, putText, type TestApp } from "./helpers.ts";

const KEY = "codes/options.json";

async function withApp(test: (t: TestApp) => Promise<void>) {
  const t = await createTestApp();
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /code/ returns the options with sorted keys", async () => {
  await withApp(async ({ app, store }) => {
    // Product types and option fields out of order; the option arrays keep
    // their order, which is the menu order.
    await putJson(store, KEY, {
      reflectivity: [{ value: null, label: null, count: 0 }],
      hydrometeor: [
        { value: "N0H", label: "N0H - first", count: 29 },
        { value: "HHC", label: "HHC - second", count: 0 },
      ],
    });
    const response = await app.request("/code/");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/json");
    assert.match(response.headers.get("ETag")!, /^".+"$/);
    assert.equal(
      await response.text(),
      '{"hydrometeor":[{"count":29,"label":"N0H - first","value":"N0H"},' +
        '{"count":0,"label":"HHC - second","value":"HHC"}],' +
        '"reflectivity":[{"count":0,"label":null,"value":null}]}\n',
    );
  });
});

Deno.test("GET /code/ returns 404 JSON when options are unusable", async () => {
  await withApp(async ({ app, store, logs }) => {
    // Missing, then empty, then damaged: the frontend needs 404 for each.
    const missing = await app.request("/code/");
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("Content-Type"), "application/json");
    assert.match((await missing.json()).error, /options not found/);

    await putJson(store, KEY, {});
    assert.equal((await app.request("/code/")).status, 404);

    await putText(store, KEY, '{"hydrometeor": [');
    assert.equal((await app.request("/code/")).status, 404);
    assert.ok(
      logs.some((line) => line.startsWith(`WARN Invalid JSON in "${KEY}"`)),
    );
  });
});

Deno.test("GET /code redirects to /code/ with 308", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/code");
    assert.equal(response.status, 308);
    assert.equal(response.headers.get("Location"), "/code/");
  });
});
