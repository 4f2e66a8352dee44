import assert from "node:assert/strict";
import { createTestApp, putJson } from "./helpers.ts";

// The four requests the frontend makes, sent over a real socket with the
// Origin header, as a browser would.

Deno.test("API serves the frontend's GET routes over HTTP", async () => {
  const t = await createTestApp();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    t.app.fetch,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const headers = { Origin: "https://radar.example" };

  try {
    const png = new Uint8Array([
      0x89,
      0x50,
      0x4e,
      0x47,
      0x0d,
      0x0a,
      0x1a,
      0x0a,
    ]);
    const stem = "KPDT20250321_010412_V06_reflectivity_idx0";
    await putJson(t.store, "lists/nexrad_level2_reflectivity_files.json", {
      KPDT20250321_010412_V06: { sweeps: 1 },
    });
    await putJson(t.store, "codes/options.json", {
      hydrometeor: [{ value: "N0H", label: "N0H", count: 0 }],
    });
    await t.store.put(`plots_level2/${stem}.png`, png, {
      contentType: "image/png",
    });
    await putJson(t.store, `plots_level2/${stem}.json`, {
      elevation_angle_degrees: 0.5,
      bounding_box_lon_lat: {
        nw: [-121, 47],
        ne: [-116, 47],
        se: [-116, 44],
        sw: [-121, 44],
      },
    });

    const lists = await fetch(`${base}/list-all/`, { headers });
    assert.equal(lists.status, 200);
    assert.equal(lists.headers.get("Access-Control-Allow-Origin"), "*");
    assert.deepEqual(await lists.json(), {
      hydrometeor: {},
      precipitation: {},
      reflectivity: { KPDT20250321_010412_V06: { sweeps: 1 } },
    });

    const codes = await fetch(`${base}/code/`, { headers });
    assert.equal(codes.status, 200);
    assert.deepEqual(await codes.json(), {
      hydrometeor: [{ count: 0, label: "N0H", value: "N0H" }],
    });

    const image = await fetch(`${base}/data/2/${stem}/png`, { headers });
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("Content-Type"), "image/png");
    assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);

    const meta = await fetch(`${base}/data/2/${stem}/json`, { headers });
    assert.equal(meta.status, 200);
    const { bounding_box_lon_lat: box } = await meta.json();
    assert.deepEqual(box.nw, [-121, 47]);
    assert.deepEqual(box.se, [-116, 44]);

    // A redirect is followed by fetch, as the browser would.
    const redirected = await fetch(`${base}/list-all`, { headers });
    assert.equal(redirected.status, 200);
    assert.equal(new URL(redirected.url).pathname, "/list-all/");
    await redirected.body?.cancel();
  } finally {
    await server.shutdown();
    await t.close();
  }
});
