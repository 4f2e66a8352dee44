import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { type Config, loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import { S3Store } from "../../core/storage/s3_store.ts";
import type { Store } from "../../core/storage/store.ts";
import type { JobLog } from "../../jobs/log.ts";
import type { Renderer } from "../../jobs/rendered.ts";
import { runJob } from "../../jobs/run.ts";
import { loadJobSettings } from "../../jobs/settings.ts";
import { startArchive } from "./_archive.ts";

// From the archive to the frontend's requests: a local S3 server holds a
// real Level 2 volume and real Level 3 products under their archive keys;
// one Level 2 and one Level 3 pass store into the filesystem store, then
// into a bucket on the same server; the API, served over HTTP on
// loopback, must return the lists, images and metadata the frontend
// reads. Rendering is a double until the renderer lands in main.

const LEVEL2 = "unidata-nexrad-level2";
const LEVEL3 = "unidata-nexrad-level3";
const PROJECT = "nexrad-mapbox-test";
const OBJECTS = {
  [LEVEL2]: {
    "2017/01/01/KTLX/KTLX20170101_030027_V06": "level2/KTLX20170101_030027_V06",
  },
  [LEVEL3]: {
    LOT_N0H_2021_01_31_11_06_30: "level3/LOT_N0H_2021_01_31_11_06_30",
    LOT_HHC_2021_01_31_11_06_30: "level3/LOT_HHC_2021_01_31_11_06_30",
    LOT_N1P_2021_01_31_11_06_30: "level3/LOT_N1P_2021_01_31_11_06_30",
    LOT_NTP_2021_01_31_11_06_30: "level3/LOT_NTP_2021_01_31_11_06_30",
  },
};
const PREFIX2 = "KTLX20170101_030027_V06";
const REFLECTIVITY_IMAGES = 3;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const render: Renderer = (task) => {
  const count = task.kind === "level2" ? REFLECTIVITY_IMAGES : 1;
  const products = task.kind === "level2" ? task.products : [task.product];
  const images = Array.from({ length: count }, (_, k) => ({
    png: new Uint8Array([...PNG_SIGNATURE, k]),
    metadata: {
      elevation_angle_degrees: 0.5 + k,
      bounding_box_lon_lat: {
        nw: [-100, 38],
        ne: [-95, 38],
        se: [-95, 33],
        sw: [-100, 33],
      },
    },
  }));
  return Promise.resolve({
    siteId: task.kind === "level2" ? "KTLX" : "KLOT",
    collectedAt: "2017-01-01T03:00:27.000Z",
    archiveVersion: task.kind === "level2" ? "AR2V0006" : null,
    products: Object.fromEntries(products.map((p) => [p, images])),
    warnings: [],
    renderMs: 1,
  });
};

function recordingLog(lines: string[]): JobLog {
  const record = (message: string) => void lines.push(message);
  return { info: record, progress: record, warn: record, error: record };
}

/** Runs one pass of each level into `store`, then serves the API over HTTP. */
async function passAndServe(
  store: Store,
  config: Config,
  test: (get: (path: string) => Promise<Response>) => Promise<void>,
): Promise<void> {
  const lines: string[] = [];
  const settings = loadJobSettings({ JOB_WORKERS: "2" });
  const context = { config, settings, store, render, log: recordingLog(lines) };
  await runJob(context, {
    level: 2,
    sites: null,
    range: {
      start: new Date("2017-01-01T01:00:00Z"),
      end: new Date("2017-01-01T03:30:00Z"),
    },
    files: [],
  });
  await runJob(context, {
    level: 3,
    sites: null,
    range: {
      start: new Date("2021-01-31T09:00:00Z"),
      end: new Date("2021-01-31T11:30:00Z"),
    },
    files: [],
  });
  const summaries = lines.filter((line) => / pass sites=/.test(line));
  assert.equal(summaries.length, 2, lines.join("\n"));
  assert.match(summaries[0], /^level2 pass sites=KTLX .* published=1 failed=0/);
  assert.match(summaries[1], /^level3 pass sites=LOT .* published=4 failed=0/);

  const app = createApp({ store, config, logger: silentLogger });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    app.fetch,
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    await test((path) => fetch(base + path));
  } finally {
    await server.shutdown();
  }
}

async function checkFrontendRequests(
  get: (path: string) => Promise<Response>,
): Promise<void> {
  // Startup of the frontend: /list-all/, then /code/.
  const lists = await (await get("/list-all/")).json();
  assert.deepEqual(lists, {
    reflectivity: { [PREFIX2]: { sweeps: REFLECTIVITY_IMAGES } },
    hydrometeor: {
      KLOT20210131_110630_HHC: { sweeps: 1 },
      KLOT20210131_110630_N0H: { sweeps: 1 },
    },
    precipitation: {
      KLOT20210131_110630_N1P: { sweeps: 1 },
      KLOT20210131_110630_NTP: { sweeps: 1 },
    },
  });
  const codes = await (await get("/code/")).json();
  const count = (type: string, code: string) =>
    codes[type].find((o: { value: string }) => o.value === code).count;
  assert.equal(count("hydrometeor", "N0H"), 1);
  assert.equal(count("hydrometeor", "HHC"), 1);
  assert.equal(count("hydrometeor", "N1H"), 0);
  assert.equal(count("precipitation", "N1P"), 1);
  assert.deepEqual(codes.reflectivity, [{
    count: 0,
    label: null,
    value: null,
  }]);

  // Every tilt the list promises, PNG and JSON.
  for (let k = 0; k < REFLECTIVITY_IMAGES; k++) {
    const stem = `${PREFIX2}_reflectivity_idx${k}`;
    const png = await get(`/data/2/${stem}/png`);
    assert.equal(png.status, 200, stem);
    assert.equal(png.headers.get("Content-Type"), "image/png");
    const bytes = new Uint8Array(await png.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 8)], PNG_SIGNATURE);
    const json = await (await get(`/data/2/${stem}/json`)).json();
    for (const corner of ["nw", "ne", "se", "sw"]) {
      assert.equal(json.bounding_box_lon_lat[corner].length, 2, corner);
    }
    assert.equal(typeof json.elevation_angle_degrees, "number");
  }
  const velocity = await (await get("/list/2/velocity/")).json();
  assert.deepEqual(Object.keys(velocity), [PREFIX2]);
  const beyond = await get(
    `/data/2/${PREFIX2}_reflectivity_idx${REFLECTIVITY_IMAGES}/png`,
  );
  assert.equal(beyond.status, 404);
  await beyond.body?.cancel();

  for (
    const stem of [
      "KLOT20210131_110630_N0H_hydrometeor_idx0",
      "KLOT20210131_110630_NTP_precipitation_idx0",
    ]
  ) {
    const png = await get(`/data/3/${stem}/png`);
    assert.equal(png.status, 200, stem);
    await png.body?.cancel();
    const json = await (await get(`/data/3/${stem}/json`)).json();
    assert.ok(json.bounding_box_lon_lat, stem);
  }
}

Deno.test("jobs fill a filesystem store the API serves", async () => {
  const archive = await startArchive([LEVEL2, LEVEL3], OBJECTS);
  const root = await Deno.makeTempDir({ prefix: "jobs_e2e_" });
  try {
    const config = loadConfig({
      DATA_DIR: root,
      RADAR_SITE_L2: "KTLX",
      RADAR_SITE_L3: "LOT",
      SOURCE_ENDPOINT: archive.endpoint,
    });
    await passAndServe(new FsStore(root), config, checkFrontendRequests);
  } finally {
    await Deno.remove(root, { recursive: true });
    await archive.close();
  }
});

Deno.test("jobs fill an S3 bucket the API serves", async () => {
  const archive = await startArchive([LEVEL2, LEVEL3, PROJECT], OBJECTS);
  try {
    const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    const config = loadConfig({
      STORE: "s3",
      PROJECT_S3_BUCKET: PROJECT,
      S3_ENDPOINT: archive.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      RADAR_SITE_L2: "KTLX",
      RADAR_SITE_L3: "LOT",
      SOURCE_ENDPOINT: archive.endpoint,
    });
    const store = new S3Store({
      bucket: PROJECT,
      region: "us-east-1",
      endpoint: archive.endpoint,
      credentials,
    });
    await passAndServe(store, config, checkFrontendRequests);
  } finally {
    await archive.close();
  }
});
