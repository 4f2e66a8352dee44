import assert from "node:assert/strict";
import { PRODUCTS } from "../../core/storage/keys.ts";
import { createTestApp, putJson, putText, type TestApp } from "./helpers.ts";

// Expected bodies follow the original service's /list-all/ and /list/
// responses: Flask's jsonify, compact, keys sorted, a final newline.

const REFLECTIVITY = "lists/nexrad_level2_reflectivity_files.json";
const HYDROMETEOR = "lists/nexrad_level3_hydrometeor_files.json";
const PRECIPITATION = "lists/nexrad_level3_precipitation_files.json";

async function withApp(test: (t: TestApp) => Promise<void>) {
  const t = await createTestApp();
  try {
    await test(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /list-all/ returns every product's list", async () => {
  await withApp(async ({ app, store }) => {
    // Stored out of order: the response must be chronological.
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_011048_V06: { sweeps: 16 },
      KPDT20250321_010412_V06: { sweeps: 16 },
    });
    await putJson(store, HYDROMETEOR, {
      KPDT20250321_010412_N0H: { sweeps: 1 },
      KPDT20250321_010412_HHC: { sweeps: 1 },
    });
    await putJson(store, PRECIPITATION, {
      KPDT20250321_010412_DPR: { sweeps: 1 },
    });

    const response = await app.request("/list-all/");
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/json");
    assert.equal(
      await response.text(),
      '{"hydrometeor":{"KPDT20250321_010412_HHC":{"sweeps":1},' +
        '"KPDT20250321_010412_N0H":{"sweeps":1}},' +
        '"precipitation":{"KPDT20250321_010412_DPR":{"sweeps":1}},' +
        '"reflectivity":{"KPDT20250321_010412_V06":{"sweeps":16},' +
        '"KPDT20250321_011048_V06":{"sweeps":16}}}\n',
    );
  });
});

Deno.test("GET /list-all/ returns {} for missing lists", async () => {
  await withApp(async ({ app }) => {
    const response = await app.request("/list-all/");
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      hydrometeor: {},
      precipitation: {},
      reflectivity: {},
    });
  });
});

Deno.test("GET /list-all/ orders several sites by time", async () => {
  await withApp(async ({ app, store }) => {
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_011000_V06: { sweeps: 1 },
      KOTX20250321_012000_V06: { sweeps: 1 },
      KOTX20250321_010000_V06: { sweeps: 1 },
    });
    const body = await (await app.request("/list-all/")).json();
    assert.deepEqual(Object.keys(body.reflectivity), [
      "KOTX20250321_010000_V06",
      "KPDT20250321_011000_V06",
      "KOTX20250321_012000_V06",
    ]);
  });
});

Deno.test("GET /list-all/ skips entries the frontend cannot use", async () => {
  await withApp(async ({ app, store, logs }) => {
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_010412_V06: { sweeps: 16 },
      "../etc/passwd": { sweeps: 1 },
      KPDT20250321_010500_V06: { sweeps: 0 },
      KPDT20250321_010600_V06: { sweeps: "16" },
      KPDT20250321_010700_V06: 16,
      KPDT20250321_010800_V06: { sweeps: 101 },
    });
    await putText(store, HYDROMETEOR, "{truncated");

    const body = await (await app.request("/list-all/")).json();
    assert.deepEqual(body.reflectivity, {
      KPDT20250321_010412_V06: { sweeps: 16 },
    });
    assert.deepEqual(body.hydrometeor, {});
    assert.ok(logs.some((line) => line.startsWith("WARN Skipped 5 invalid")));
    assert.ok(
      logs.some((line) =>
        line.startsWith(`WARN Invalid JSON in "${HYDROMETEOR}"`)
      ),
    );
  });
});

Deno.test("GET /list-all/ answers 304 to a matching ETag", async () => {
  await withApp(async ({ app, store }) => {
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_010412_V06: { sweeps: 16 },
    });
    const first = await app.request("/list-all/");
    const etag = first.headers.get("ETag")!;
    assert.match(etag, /^"[0-9a-f]{32}"$/);
    assert.equal(first.headers.get("Cache-Control"), "public, max-age=10");

    const again = await app.request("/list-all/", {
      headers: { "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), "");
    assert.equal(again.headers.get("ETag"), etag);

    // A new entry changes the body, so the old ETag no longer matches.
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_010412_V06: { sweeps: 16 },
      KPDT20250321_011048_V06: { sweeps: 16 },
    });
    const changed = await app.request("/list-all/", {
      headers: { "If-None-Match": etag },
    });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get("ETag"), etag);
  });
});

Deno.test("GET /list-all/ compresses large lists", async () => {
  await withApp(async ({ app, store }) => {
    // 36 entries of 42 bytes each: over the 1 KiB compression threshold.
    const list: Record<string, { sweeps: number }> = {};
    for (let hour = 10; hour < 13; hour++) {
      for (let minute = 10; minute < 60; minute += 4) {
        list[`KPDT20250321_${hour}${minute}00_V06`] = { sweeps: 16 };
      }
    }
    await putJson(store, REFLECTIVITY, list);

    const response = await app.request("/list-all/", {
      headers: { "Accept-Encoding": "gzip" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Encoding"), "gzip");
    assert.match(response.headers.get("Vary")!, /Accept-Encoding/);
    const etag = response.headers.get("ETag")!;
    assert.match(etag, /^W\/"/);

    const text = await new Response(
      response.body!.pipeThrough(new DecompressionStream("gzip")),
    ).text();
    assert.deepEqual(JSON.parse(text).reflectivity, list);

    // The weak ETag a browser sends back still matches.
    const again = await app.request("/list-all/", {
      headers: { "Accept-Encoding": "gzip", "If-None-Match": etag },
    });
    assert.equal(again.status, 304);
  });
});

Deno.test("GET /list/{level}/{product}/ returns one list", async () => {
  await withApp(async ({ app, store }) => {
    await putJson(store, REFLECTIVITY, {
      KPDT20250321_011048_V06: { sweeps: 16 },
      KPDT20250321_010412_V06: { sweeps: 16 },
    });
    const response = await app.request("/list/2/reflectivity/");
    assert.equal(response.status, 200);
    assert.equal(
      await response.text(),
      '{"KPDT20250321_010412_V06":{"sweeps":16},' +
        '"KPDT20250321_011048_V06":{"sweeps":16}}\n',
    );

    const empty = await app.request("/list/3/precipitation/");
    assert.equal(empty.status, 200);
    assert.equal(await empty.text(), "{}\n");
  });
});

Deno.test("GET /list/ serves the list of every product", async () => {
  await withApp(async ({ app }) => {
    for (const level of [2, 3] as const) {
      for (const product of PRODUCTS[level]) {
        const response = await app.request(`/list/${level}/${product}/`);
        assert.equal(response.status, 200, product);
        assert.equal(await response.text(), "{}\n", product);
      }
    }
  });
});

Deno.test("GET /list/ rejects invalid levels and products", async () => {
  await withApp(async ({ app }) => {
    const cases: [string, number][] = [
      ["/list/02/reflectivity/", 400],
      ["/list/4/reflectivity/", 400],
      ["/list/x/reflectivity/", 400],
      ["/list/2/bad-name/", 400],
      [`/list/3/${"a".repeat(41)}/`, 400],
      ["/list/2/a_../", 400],
      ["/list/2/%2e%2e%2fcodes/", 400],
      ["/list/2/hydrometeor/", 404],
      ["/list/3/reflectivity/", 404],
      ["/list/3/velocity/", 404],
      ["/list/2/rainbow/", 404],
    ];
    for (const [path, status] of cases) {
      const response = await app.request(path);
      assert.equal(response.status, status, path);
      assert.equal(
        response.headers.get("Content-Type"),
        "application/json",
        path,
      );
      assert.equal(typeof (await response.json()).error, "string", path);
    }
  });
});

Deno.test("list routes redirect the slash-less form with 308", async () => {
  await withApp(async ({ app }) => {
    for (
      const [path, location] of [
        ["/list-all", "/list-all/"],
        ["/list-all?x=1", "/list-all/?x=1"],
        ["/list/2/reflectivity", "/list/2/reflectivity/"],
      ]
    ) {
      const response = await app.request(path);
      assert.equal(response.status, 308, path);
      assert.equal(response.headers.get("Location"), location, path);
    }
  });
});
