import assert from "node:assert/strict";
import { createApp } from "../../api/app.ts";
import { type Config, loadConfig } from "../../core/config.ts";
import { silentLogger } from "../../core/logger.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import { S3Store } from "../../core/storage/s3_store.ts";
import type { Store } from "../../core/storage/store.ts";
import type { JobLog } from "../../jobs/log.ts";
import { createRenderPool } from "../../jobs/render_pool.ts";
import { type JobContext, runJob } from "../../jobs/run.ts";
import { loadJobSettings } from "../../jobs/settings.ts";
import { startArchive } from "./_archive.ts";

// From the archive to the frontend's requests: a local S3 server holds a
// real Level 2 volume and real Level 3 products under their archive keys.
// One Level 2 and one Level 3 pass decode and render them in 2 workers
// (at 3 km per pixel to keep the test short) and store into the filesystem
// store, then into a bucket on the same server. The API, served over HTTP
// on loopback, must return the lists, images and metadata the frontend
// reads.

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
const STEMS3 = [
  "KLOT20210131_110630_HHC_hydrometeor_idx0",
  "KLOT20210131_110630_N0H_hydrometeor_idx0",
  "KLOT20210131_110630_N1P_precipitation_idx0",
  "KLOT20210131_110630_NTP_precipitation_idx0",
];

// From expected/level2/KTLX20170101_030027_V06.json: VCP 32 with fixed
// angles 0.48 (twice, split cut), 1.49 (twice), 2.50, 3.52 and 4.48
// degrees, so 5 reflectivity and 5 velocity images. The radar is at
// 35.333363 N, 97.277763 W.
const ELEVATIONS_DEG = [0.483398, 1.494141, 2.504883, 3.515625, 4.482422];
const KTLX = { lat: 35.333363, lon: -97.277763 };
// From expected/level3/LOT_N0H_2021_01_31_11_06_30.json: KLOT is at
// 41.604 N, 88.085 W.
const KLOT = { lat: 41.604, lon: -88.085 };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Get = (path: string) => Promise<Response>;

function recordingLog(lines: string[]): JobLog {
  const record = (message: string) => void lines.push(message);
  return { info: record, progress: record, warn: record, error: record };
}

/** Runs one pass of each level into `store`, then serves the API over HTTP. */
async function passAndServe(
  store: Store,
  config: Config,
  test: (get: Get) => Promise<void>,
): Promise<void> {
  const lines: string[] = [];
  const settings = loadJobSettings({
    JOB_WORKERS: "2",
    RENDER_RESOLUTION_M: "3000",
  });
  const pool = createRenderPool(settings.workers);
  const log = recordingLog(lines);
  try {
    await runPasses({ config, settings, store, render: pool.render, log });
  } finally {
    pool.close();
  }
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

async function runPasses(context: JobContext): Promise<void> {
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
}

/** Makes the frontend's requests: lists, codes, then every image. */
async function checkFrontendRequests(get: Get): Promise<void> {
  const lists = await (await get("/list-all/")).json();
  assert.deepEqual(lists, {
    reflectivity: { [PREFIX2]: { sweeps: ELEVATIONS_DEG.length } },
    hydrometeor: {
      KLOT20210131_110630_HHC: { sweeps: 1 },
      KLOT20210131_110630_N0H: { sweeps: 1 },
    },
    precipitation: {
      KLOT20210131_110630_N1P: { sweeps: 1 },
      KLOT20210131_110630_NTP: { sweeps: 1 },
    },
  });
  const velocity = await (await get("/list/2/velocity/")).json();
  assert.deepEqual(velocity, { [PREFIX2]: { sweeps: ELEVATIONS_DEG.length } });

  const codes = await (await get("/code/")).json();
  const count = (type: string, code: string) =>
    codes[type].find((o: { value: string }) => o.value === code).count;
  assert.equal(count("hydrometeor", "N0H"), 1);
  assert.equal(count("hydrometeor", "HHC"), 1);
  assert.equal(count("hydrometeor", "N1H"), 0);
  assert.equal(count("precipitation", "N1P"), 1);
  assert.equal(count("precipitation", "NTP"), 1);
  assert.deepEqual(codes.reflectivity, [{
    count: 0,
    label: null,
    value: null,
  }]);

  // Every tilt the list promises, lowest elevation first.
  for (const [k, elevation] of ELEVATIONS_DEG.entries()) {
    for (const product of ["reflectivity", "velocity"]) {
      const stem = `${PREFIX2}_${product}_idx${k}`;
      const json = await (await get(`/data/2/${stem}/json`)).json();
      assertAround(json.bounding_box_lon_lat, KTLX, stem);
      const angle = json.elevation_angle_degrees;
      assert.ok(Math.abs(angle - elevation) < 0.001, `${stem}: ${angle}`);
      assert.equal(json.elevation_index, k + 1, stem);
      await assertPng(await get(`/data/2/${stem}/png`), json, stem);
    }
  }
  const beyond = ELEVATIONS_DEG.length;
  const missing = await get(`/data/2/${PREFIX2}_reflectivity_idx${beyond}/png`);
  assert.equal(missing.status, 404);
  await missing.body?.cancel();

  for (const stem of STEMS3) {
    const json = await (await get(`/data/3/${stem}/json`)).json();
    assertAround(json.bounding_box_lon_lat, KLOT, stem);
    await assertPng(await get(`/data/3/${stem}/png`), json, stem);
  }
}

type Corners = Record<"nw" | "ne" | "se" | "sw", [number, number]>;

/** Asserts that an image's corners surround the radar, in Mapbox's order. */
function assertAround(
  box: Corners,
  radar: { lat: number; lon: number },
  stem: string,
): void {
  assert.ok(box.nw[0] < radar.lon, `${stem} west of the radar`);
  assert.ok(radar.lon < box.ne[0], `${stem} east of the radar`);
  assert.ok(box.sw[1] < radar.lat, `${stem} south of the radar`);
  assert.ok(radar.lat < box.nw[1], `${stem} north of the radar`);
  assert.equal(box.nw[0], box.sw[0], `${stem} west edge`);
  assert.equal(box.ne[0], box.se[0], `${stem} east edge`);
  assert.equal(box.nw[1], box.ne[1], `${stem} north edge`);
  assert.equal(box.sw[1], box.se[1], `${stem} south edge`);
}

/** Asserts a PNG response whose header has the metadata's size. */
async function assertPng(
  response: Response,
  metadata: { width: number; height: number },
  stem: string,
): Promise<void> {
  assert.equal(response.status, 200, stem);
  assert.equal(response.headers.get("Content-Type"), "image/png", stem);
  const bytes = new Uint8Array(await response.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 8)], PNG_SIGNATURE, stem);
  // IHDR width and height, big-endian, at bytes 16 and 20 (PNG spec).
  const view = new DataView(bytes.buffer);
  assert.equal(view.getUint32(16), metadata.width, stem);
  assert.equal(view.getUint32(20), metadata.height, stem);
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
