import assert from "node:assert/strict";
import { createTestApp, putText, type TestApp } from "./helpers.ts";

const STEM = "KPDT20250321_010412_V06_reflectivity_idx3";
const PNG_KEY = `plots_level2/${STEM}.png`;
const JSON_KEY = `plots_level2/${STEM}.json`;
// The PNG signature (8 bytes) and 8 more bytes: enough to check ranges.
const PNG = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
]);

async function withData(test: (t: TestApp) => Promise<void>) {
  const t = await createTestApp();
  try {
    await t.store.put(PNG_KEY, PNG, { contentType: "image/png" });
    // Written as the jobs write it: 2-space indent, insertion order (the
    // Level 2 example of the original service's per-sweep JSON).
    await putText(
      t.store,
      JSON_KEY,
      JSON.stringify(
        {
          original_sweep_number: 1,
          elevation_index: 1,
          elevation_angle_degrees: 0.483,
          azimuth_angle_degrees: 359.98,
          bounding_box_lon_lat: {
            nw: [-125.25, 49.66],
            ne: [-112.46, 49.66],
            se: [-112.46, 41.42],
            sw: [-125.25, 41.42],
          },
        },
        null,
        2,
      ),
    );
    await test(t);
  } finally {
    await t.close();
  }
}

Deno.test("GET /data/.../png returns the image", async () => {
  await withData(async ({ app }) => {
    const response = await app.request(`/data/2/${STEM}/png`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "image/png");
    assert.equal(response.headers.get("Content-Length"), "16");
    assert.equal(
      response.headers.get("Cache-Control"),
      "public, max-age=31536000, immutable",
    );
    assert.equal(response.headers.get("Accept-Ranges"), "bytes");
    assert.equal(response.headers.get("Content-Range"), null);
    assert.match(response.headers.get("ETag")!, /^".+"$/);
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
  });
});

Deno.test("GET /data/.../json re-serialises with sorted keys", async () => {
  await withData(async ({ app }) => {
    const response = await app.request(`/data/2/${STEM}/json`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "application/json");
    assert.equal(
      response.headers.get("Cache-Control"),
      "public, max-age=31536000, immutable",
    );
    // The original service's example response for this object.
    assert.equal(
      await response.text(),
      '{"azimuth_angle_degrees":359.98,"bounding_box_lon_lat":' +
        '{"ne":[-112.46,49.66],"nw":[-125.25,49.66],"se":[-112.46,41.42],' +
        '"sw":[-125.25,41.42]},"elevation_angle_degrees":0.483,' +
        '"elevation_index":1,"original_sweep_number":1}\n',
    );
  });
});

Deno.test("GET /data/ answers 304 to a matching ETag", async () => {
  await withData(async ({ app }) => {
    for (const extension of ["png", "json"]) {
      const path = `/data/2/${STEM}/${extension}`;
      const etag = (await app.request(path)).headers.get("ETag")!;
      for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const response = await app.request(path, {
          headers: { "If-None-Match": header },
        });
        assert.equal(response.status, 304, `${path} ${header}`);
        assert.equal(await response.text(), "");
        assert.equal(response.headers.get("ETag"), etag);
      }
      const stale = await app.request(path, {
        headers: { "If-None-Match": '"other"' },
      });
      assert.equal(stale.status, 200);
      await stale.body?.cancel();
    }
  });
});

Deno.test("GET /data/.../png serves single byte ranges", async () => {
  await withData(async ({ app }) => {
    const cases: [string, number, number][] = [
      ["bytes=0-3", 0, 3],
      ["bytes=8-", 8, 15],
      ["bytes=-4", 12, 15],
      ["bytes=10-100", 10, 15],
      ["bytes=-100", 0, 15],
    ];
    for (const [range, start, end] of cases) {
      const response = await app.request(`/data/2/${STEM}/png`, {
        headers: { Range: range },
      });
      assert.equal(response.status, 206, range);
      assert.equal(
        response.headers.get("Content-Range"),
        `bytes ${start}-${end}/16`,
        range,
      );
      assert.equal(
        response.headers.get("Content-Length"),
        `${end - start + 1}`,
      );
      assert.deepEqual(
        new Uint8Array(await response.arrayBuffer()),
        PNG.subarray(start, end + 1),
        range,
      );
    }
  });
});

Deno.test("GET /data/.../png answers bad ranges correctly", async () => {
  await withData(async ({ app }) => {
    const unsatisfiable = await app.request(`/data/2/${STEM}/png`, {
      headers: { Range: "bytes=16-" },
    });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers.get("Content-Range"), "bytes */16");
    assert.equal(typeof (await unsatisfiable.json()).error, "string");

    // Several ranges, other units, bad syntax and a stale If-Range all get
    // the whole object with 200 and no Content-Range.
    const whole: Record<string, string>[] = [
      { Range: "bytes=0-1,4-5" },
      { Range: "items=0-1" },
      { Range: "bytes=5-2" },
      { Range: "bytes=abc" },
      { Range: "bytes=0-3", "If-Range": '"stale"' },
    ];
    for (const headers of whole) {
      const response = await app.request(`/data/2/${STEM}/png`, { headers });
      const label = JSON.stringify(headers);
      assert.equal(response.status, 200, label);
      assert.equal(response.headers.get("Content-Range"), null, label);
      assert.equal((await response.arrayBuffer()).byteLength, 16, label);
    }
  });
});

Deno.test("HEAD /data/.../png returns headers only", async () => {
  await withData(async ({ app }) => {
    const response = await app.request(`/data/2/${STEM}/png`, {
      method: "HEAD",
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("Content-Type"), "image/png");
    assert.equal(response.headers.get("Content-Length"), "16");
    assert.equal(await response.text(), "");
  });
});

Deno.test("GET /data/ returns 404 JSON for a missing object", async () => {
  await withData(async ({ app }) => {
    for (
      const path of [
        "/data/2/KPDT20250321_010412_V06_reflectivity_idx4/png",
        "/data/3/KPDT20250321_010412_HHC_hydrometeor_idx0/json",
      ]
    ) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("Content-Type"), "application/json");
      assert.equal(response.headers.get("Cache-Control"), "no-cache");
      assert.match((await response.json()).error, /not found/);
    }
  });
});

Deno.test("GET /data/ rejects malformed keys with 400", async () => {
  await withData(async ({ app, keysRead }) => {
    const paths = [
      `/data/02/${STEM}/png`,
      `/data/4/${STEM}/png`,
      `/data/2/${STEM}/gif`,
      `/data/2/${STEM}/PNG`,
      `/data/3/${STEM}/png`,
      "/data/2/KPDT20250321_010412_V06_hydrometeor_idx0/png",
      "/data/3/KPDT20250321_010412_HHC_hydrometeor_idx1/png",
      "/data/2/..%2F..%2Fetc%2Fpasswd/png",
      "/data/2/%2e%2e/png",
      `/data/2/..%5C${STEM}/png`,
      `/data/2/${STEM}%00/png`,
      `/data/2/${STEM}.png/png`,
      `/data/2/plots_level2%2F${STEM}/png`,
      `/data/2/a/${STEM}/png`,
      `/data/2/${STEM}`,
      "/data/2",
      "/data/",
    ];
    for (const path of paths) {
      const response = await app.request(path);
      assert.equal(response.status, 400, path);
      assert.equal(response.headers.get("Content-Type"), "application/json");
      assert.equal(typeof (await response.json()).error, "string", path);
    }
    assert.deepEqual(keysRead, [], "no malformed key may reach the store");
  });
});

Deno.test("GET /data/.../json returns 500 for a damaged object", async () => {
  await withData(async ({ app, store, logs }) => {
    await putText(store, JSON_KEY, "{cut off");
    const response = await app.request(`/data/2/${STEM}/json`);
    assert.equal(response.status, 500);
    assert.match((await response.json()).error, /damaged/);
    assert.ok(logs.some((line) => line.startsWith("ERROR Cannot serve")));
  });
});
