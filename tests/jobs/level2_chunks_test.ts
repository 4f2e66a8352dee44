import assert from "node:assert/strict";
import { openSourceBucket } from "../../core/source/bucket.ts";
import {
  discoverLevel2Chunks,
  level2FileInputs,
  type Level2Input,
  type Level2PassOptions,
  type RealtimeMemory,
  runLevel2Pass,
} from "../../jobs/level2.ts";
import type { JobLog } from "../../jobs/log.ts";
import { freeBuffers } from "../../jobs/buffers.ts";
import { renderTask } from "../../jobs/render_task.ts";
import { type JobContext, runJob } from "../../jobs/run.ts";
import { loadJobSettings } from "../../jobs/settings.ts";
import {
  type LocalArchive,
  refusedEndpoint,
  startArchive,
} from "./_archive.ts";
import { MemoryStore } from "./_memory_store.ts";

// The real-time bucket on a local S3 server: corpus chunk sets under keys
// of the unidata-nexrad-level2-chunks layout, `SITE/VOLUME/CHUNK`. The
// reference for what a set publishes is `deno task l2 --file` on the same
// chunk files, whose joined bytes match the SHA-256 that the expected
// files record for Py-ART and MetPy (tests/jobs/level2_files_test.ts).

const BUCKET = "unidata-nexrad-level2-chunks";
const LEVEL2 = new URL("../../../shared/data/nexrad/level2/", import.meta.url);
const SET_2019 = new URL("chunks/KLOT_20190617_181704_V06/", LEVEL2).pathname;
const SET_2020 = new URL("chunks/KLOT_20201019_054806_V06_partial/", LEVEL2)
  .pathname;
const SET_TORD = new URL("chunks/TORD_20260811_225858_V08/", LEVEL2).pathname;
const OPTIONS: Level2PassOptions = {
  products: ["reflectivity", "velocity"],
  windowMinutes: 240,
  downloadConcurrency: 2,
  renderConcurrency: 1,
  maxAttempts: 2,
  resolutionM: 2000,
};

function chunkPaths(folder: string): string[] {
  return [...Deno.readDirSync(folder)].map((entry) => folder + entry.name)
    .sort();
}

/**
 * Puts chunk files under `folder`; with `volumeId`, under that volume's
 * names (a volume the discovery tests list but never read).
 */
async function upload(
  archive: LocalArchive,
  folder: string,
  paths: readonly string[],
  volumeId?: string,
): Promise<void> {
  for (const path of paths) {
    let name = path.slice(path.lastIndexOf("/") + 1);
    if (volumeId !== undefined) name = volumeId + name.slice(15);
    await archive.put(BUCKET, `${folder}${name}`, await Deno.readFile(path));
  }
}

function quietLog(progress: string[] = []): JobLog {
  return {
    info() {},
    progress: (line) => void progress.push(line),
    warn() {},
    error: (line) => {
      throw new Error(`unexpected error: ${line}`);
    },
  };
}

async function withBucket(
  test: (archive: LocalArchive) => Promise<void>,
): Promise<void> {
  const archive = await startArchive([BUCKET]);
  try {
    await test(archive);
  } finally {
    await archive.close();
  }
}

async function passOver(
  store: MemoryStore,
  inputs: Level2Input[],
) {
  return await runLevel2Pass(
    { store, render: renderTask, log: quietLog() },
    OPTIONS,
    inputs,
  );
}

Deno.test("discoverLevel2Chunks() stops listing when no response comes", async () => {
  const source = openSourceBucket(BUCKET, { endpoint: refusedEndpoint() });
  const folders: string[] = [];
  const counted = {
    ...source,
    folders: (prefix: string) => (folders.push(prefix), source.folders(prefix)),
  };
  const errors: string[] = [];
  const found = await discoverLevel2Chunks(counted, ["KLOT", "KTLX"], {
    ...quietLog(),
    error: (line) => void errors.push(line),
  });
  assert.deepEqual(folders, ["KLOT/"]);
  assert.equal(found.errors, 1);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /left to the next pass$/);
});

Deno.test("discoverLevel2Chunks() takes the newest two volumes", async () => {
  await withBucket(async (archive) => {
    // Volume numbers wrap from 999 to 1, so folder 1 is the newest and 999
    // the one before, which started 10 minutes earlier and misses chunk 30.
    const chunks = chunkPaths(SET_2019);
    const earlier = [...chunks.slice(0, 29), ...chunks.slice(30)];
    await upload(archive, "KLOT/999/", earlier, "20190617-180704");
    await upload(archive, "KLOT/1/", chunks);
    await upload(archive, "KLOT/998/", chunks.slice(0, 1), "20190617-175704");
    await upload(archive, "KTLX/1/", chunks.slice(0, 1));
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });

    const progress: string[] = [];
    const warnings: string[] = [];
    const { inputs, errors } = await discoverLevel2Chunks(
      source,
      ["KLOT", "KFTG"],
      { ...quietLog(progress), warn: (line) => void warnings.push(line) },
    );
    assert.equal(errors, 0);
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/999/20190617-180704 (29 chunks)`,
      `s3://${BUCKET}/KLOT/1/20190617-181704 (43 chunks)`,
    ]);
    assert.ok(inputs.every((input) => input.local && input.prefix === null));
    // The volume before the newest is over: its gap leaves it partial.
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /KLOT\/999\/: chunk 30 is not uploaded/);
    assert.ok(progress.some((line) => /KFTG: no real-time volume/.test(line)));

    const local = level2FileInputs(chunks);
    assert.deepEqual(await inputs[1].read(), await local[0].read());
    assert.equal(inputs[1].locate!(6125), "20190617-181704-002-I at byte 0");
  });
});

Deno.test("runLevel2Pass() publishes a real-time volume as it grows", async () => {
  await withBucket(async (archive) => {
    const chunks = chunkPaths(SET_2019);
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const discover = async () =>
      (await discoverLevel2Chunks(source, ["KLOT"], quietLog())).inputs;
    const store = new MemoryStore();
    const listKey = "lists/nexrad_level2_reflectivity_files.json";
    const prefix = "KLOT20190617_181704_V06";

    // The first 20 chunks, as a pass a few minutes into the volume finds
    // them. The same files given to `l2 --file` are the reference.
    await upload(archive, "KLOT/17/", chunks.slice(0, 20));
    const first = await passOver(store, await discover());
    assert.equal(first.published, 1);
    const reference = new MemoryStore();
    await passOver(reference, level2FileInputs(chunks.slice(0, 20)));
    assert.deepEqual(store.json(listKey), reference.json(listKey));
    const early = (store.json(listKey) as Record<string, { sweeps: number }>)[
      prefix
    ].sweeps;
    const image = (k: number) =>
      store.objects.get(`plots_level2/${prefix}_reflectivity_idx${k}.png`);
    const earlyImages = Array.from({ length: early }, (_, k) => image(k));
    assert.ok(earlyImages.every(Boolean));

    // The rest of the volume: published again, with every sweep.
    await upload(archive, "KLOT/17/", chunks.slice(20));
    const second = await passOver(store, await discover());
    assert.equal(second.published, 1);
    const whole = new MemoryStore();
    await passOver(whole, level2FileInputs(chunks));
    assert.deepEqual(store.json(listKey), whole.json(listKey));
    const sweeps = (store.json(listKey) as Record<string, { sweeps: number }>)[
      prefix
    ].sweeps;
    assert.ok(sweeps > early, `${sweeps} sweeps after ${early}`);
    // An image once published never changes: its key is cached for good.
    for (let k = 0; k < early; k++) {
      assert.deepEqual(image(k)?.body, earlyImages[k]?.body, `idx${k}`);
    }
    // Its E chunk came: the archive object has nothing more to add.
    const partial = "partial/nexrad_level2_reflectivity_partial.json";
    assert.deepEqual(store.json(partial), {});

    // Nothing new: decoded again, not published again.
    const third = await passOver(store, await discover());
    assert.deepEqual([third.published, third.listed], [0, 1]);
  });
});

Deno.test("runJob() reads the buckets that L2_SOURCE names", async () => {
  await withBucket(async (archive) => {
    await upload(archive, "KLOT/5/", chunkPaths(SET_2020));
    const summaries: string[] = [];
    const context = (source: string): JobContext => ({
      config: {
        level2Sites: ["KLOT"],
        level3Sites: [],
        processingWindowMinutes: 180,
        retentionMinutes: 240,
        sourceEndpoint: archive.endpoint,
      },
      settings: loadJobSettings({ L2_SOURCE: source }),
      store: new MemoryStore(),
      render: renderTask,
      log: {
        ...quietLog(),
        info: (line) => void summaries.push(line),
        error: (line) => void summaries.push(line),
      },
    });
    const request = { level: 2 as const, sites: null, range: null, files: [] };

    const chunks = await runJob(context("chunks"), request);
    assert.deepEqual([chunks.found, chunks.published, chunks.errors], [
      1,
      1,
      0,
    ]);
    // The archive alone: the real-time bucket is not read.
    const archived = await runJob(context("archive"), request);
    assert.deepEqual([archived.found, archived.errors], [0, 1]);
    // The archive bucket does not exist on this server: reading it fails.
    const both = await runJob(context("both"), request);
    assert.deepEqual([both.published, both.errors], [1, 1]);
    // A replay reads the archive alone: the real-time bucket keeps a day.
    const replay = await runJob(context("chunks"), {
      ...request,
      range: {
        start: new Date("2020-10-19T05:00:00Z"),
        end: new Date("2020-10-19T06:00:00Z"),
      },
    });
    assert.deepEqual([replay.found, replay.errors], [0, 1]);
    const passes = summaries.filter((line) => line.startsWith("level2 pass"));
    assert.equal(passes.length, 4);
    assert.ok(
      summaries.some((line) => line.includes(`s3://unidata-nexrad-level2/`)),
    );
  });
});

Deno.test("discoverLevel2Chunks() passes over stray keys", async () => {
  await withBucket(async (archive) => {
    const chunks = chunkPaths(SET_2019);
    const name = (k: number) =>
      chunks[k - 1].slice(chunks[k - 1].lastIndexOf("/") + 1);
    await upload(archive, "KLOT/17/", chunks.slice(0, 12));
    const put = (key: string) =>
      archive.put(BUCKET, key, new Uint8Array([1, 2, 3]));
    // A later volume of no S chunk, deeper keys, a four-digit and a zero
    // sequence, folders of another shape and a folder without chunks.
    await put("KLOT/17/20991231-000000-005-I");
    await put(`KLOT/17/x/${name(13)}`);
    await put(`KLOT/17/${name(13).replace("-013-", "-0013-")}`);
    await put(`KLOT/17/${name(1).replace("-001-S", "-000-S")}`);
    await put(`KLOT/018/${name(1)}`);
    await put("KLOT/19/README");
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });

    const progress: string[] = [];
    const { inputs, errors } = await discoverLevel2Chunks(
      source,
      ["KLOT"],
      quietLog(progress),
    );
    assert.equal(errors, 0);
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/17/20190617-181704 (12 chunks)`,
    ]);
    assert.equal(inputs[0].growing, true);
    assert.deepEqual(progress, []);
  });
});

Deno.test("discoverLevel2Chunks() passes over volumes from the future", async () => {
  await withBucket(async (archive) => {
    // S keys dated 2099, beside the real volume and in a folder of their
    // own: a volume cannot start after the clock.
    const startChunk = chunkPaths(SET_2020)[0];
    const chunks = chunkPaths(SET_2020);
    await upload(archive, "KLOT/16/", chunks.slice(0, 5), "20201019-054306");
    await upload(archive, "KLOT/17/", chunks.slice(0, 8));
    const stray = await Deno.readFile(startChunk);
    await archive.put(BUCKET, "KLOT/17/20991231-000000-001-S", stray);
    await archive.put(BUCKET, "KLOT/18/20991231-000000-001-S", stray);
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { inputs } = await discoverLevel2Chunks(
      source,
      ["KLOT"],
      quietLog(),
      new Date("2020-10-19T06:00:00Z"),
    );
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/16/20201019-054306 (5 chunks)`,
      `s3://${BUCKET}/KLOT/17/20201019-054806 (8 chunks)`,
    ]);
  });
});

Deno.test("discoverLevel2Chunks() leaves out an old volume before", async () => {
  await withBucket(async (archive) => {
    // 2019 in folder 1, 2020 in folder 2: far more than 30 minutes apart,
    // as after an outage, so the 2019 volume is no longer worth reading.
    await upload(archive, "KLOT/1/", chunkPaths(SET_2019).slice(0, 5));
    await upload(archive, "KLOT/2/", chunkPaths(SET_2020).slice(0, 5));
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { inputs } = await discoverLevel2Chunks(source, ["KLOT"], quietLog());
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/2/20201019-054806 (5 chunks)`,
    ]);
  });
});

Deno.test("discoverLevel2Chunks() ends a volume at its E chunk", async () => {
  await withBucket(async (archive) => {
    const chunks = chunkPaths(SET_2019);
    await upload(archive, "KLOT/17/", chunks);
    await archive.put(
      BUCKET,
      "KLOT/17/20190617-181704-044-I",
      new Uint8Array([1, 2, 3]),
    );
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { inputs } = await discoverLevel2Chunks(source, ["KLOT"], quietLog());
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/17/20190617-181704 (43 chunks)`,
    ]);
    assert.equal(inputs[0].growing, false);
  });
});

Deno.test("runLevel2Pass() waits for a real-time volume's first sweep", async () => {
  await withBucket(async (archive) => {
    // The 2020 volume's first sweep ends in its sixth chunk: three chunks
    // have no complete sweep. Its S chunk alone is not in folder 18.
    await upload(archive, "KLOT/17/", chunkPaths(SET_2020).slice(0, 3));
    await upload(archive, "KLOT/18/", chunkPaths(SET_2019).slice(1, 5));
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const progress: string[] = [];
    const { inputs } = await discoverLevel2Chunks(
      source,
      ["KLOT"],
      quietLog(progress),
    );
    assert.deepEqual(inputs.map((input) => input.source), [
      `s3://${BUCKET}/KLOT/17/20201019-054806 (3 chunks)`,
    ]);
    const store = new MemoryStore();
    const summary = await runLevel2Pass(
      { store, render: renderTask, log: quietLog(progress) },
      OPTIONS,
      inputs,
    );
    assert.deepEqual([summary.skipped, summary.failed], [1, 0]);
    assert.ok(progress.some((line) => /no complete sweep yet/.test(line)));
    assert.equal(store.objects.size, 0);
  });
});

Deno.test("runLevel2Pass() rejects an S chunk of another radar", async () => {
  await withBucket(async (archive) => {
    await upload(archive, "KLOT/17/", chunkPaths(SET_TORD).slice(0, 20));
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const memory: RealtimeMemory = new Map();
    const discover = async () =>
      (await discoverLevel2Chunks(
        source,
        ["KLOT"],
        quietLog(),
        new Date(),
        memory,
      )).inputs;
    const inputs = await discover();
    const lines: string[] = [];
    const summary = await runLevel2Pass(
      {
        store: new MemoryStore(),
        render: renderTask,
        log: { ...quietLog(), error: (line) => void lines.push(line) },
      },
      OPTIONS,
      inputs,
    );
    assert.deepEqual([summary.published, summary.errors], [0, 1]);
    assert.match(
      lines[0],
      /KLOT\/17\/20260811-225858-001-S contains the volume header of site TORD, not of KLOT/,
    );
    // `deno task start` rejects it once: the same 20 chunks are not read
    // again, 21 are.
    assert.deepEqual(await discover(), []);
    await upload(archive, "KLOT/17/", chunkPaths(SET_TORD).slice(20, 21));
    assert.equal((await discover()).length, 1);
  });
});

Deno.test("runLevel2Pass() keeps the images of a real-time volume", async () => {
  await withBucket(async (archive) => {
    // Chunk 5 is first corrupt and later replaced by the real one: the
    // images published from the corrupt one stay, as their keys are
    // cached for good, and the sweeps after them are added.
    const chunks = chunkPaths(SET_2019);
    const corrupt = await Deno.readFile(chunks[4]);
    corrupt.fill(0x55, 200, 2000);
    await upload(archive, "KLOT/17/", chunks.slice(0, 20));
    const name = chunks[4].slice(chunks[4].lastIndexOf("/") + 1);
    await archive.put(BUCKET, `KLOT/17/${name}`, corrupt);
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const discover = async () =>
      (await discoverLevel2Chunks(source, ["KLOT"], quietLog())).inputs;
    const store = new MemoryStore();
    const log = { ...quietLog(), warn() {} };
    await runLevel2Pass(
      { store, render: renderTask, log },
      OPTIONS,
      await discover(),
    );
    const first = new Map(
      [...store.objects].filter(([key]) => key.startsWith("plots_level2/"))
        .map(([key, entry]) => [key, entry.body]),
    );
    assert.ok(first.size > 0);

    await upload(archive, "KLOT/17/", chunks.slice(4));
    await runLevel2Pass(
      { store, render: renderTask, log },
      OPTIONS,
      await discover(),
    );
    for (const [key, body] of first) {
      assert.deepEqual(store.objects.get(key)?.body, body, key);
    }
    const plots = [...store.objects.keys()].filter((key) =>
      key.startsWith("plots_level2/")
    );
    assert.ok(plots.length > first.size);
  });
});

Deno.test("runLevel2Pass() warns of damage in a growing volume", async () => {
  await withBucket(async (archive) => {
    // 20 chunks, chunk 5 damaged. The render double moves the input buffer
    // away as the worker pool does, which leaves the pass's view empty.
    const chunks = chunkPaths(SET_2019);
    await upload(archive, "KLOT/17/", chunks.slice(0, 20));
    const corrupt = await Deno.readFile(chunks[4]);
    corrupt.fill(0x55, 200, 2000);
    const name = chunks[4].slice(chunks[4].lastIndexOf("/") + 1);
    await archive.put(BUCKET, `KLOT/17/${name}`, corrupt);
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const { inputs } = await discoverLevel2Chunks(source, ["KLOT"], quietLog());
    const render: typeof renderTask = async (task) => {
      const rendered = await renderTask(task);
      freeBuffers([task.bytes]);
      return rendered;
    };
    const warnings: string[] = [];
    const progress: string[] = [];
    const log = {
      ...quietLog(progress),
      warn: (line: string) => void warnings.push(line),
    };
    await runLevel2Pass(
      { store: new MemoryStore(), render, log },
      OPTIONS,
      inputs,
    );
    // The damage is a warning; the end of the chunks so far is not.
    assert.ok(warnings.length > 0);
    assert.ok(warnings.every((line) => /20190617-181704-005-I/.test(line)));
    assert.ok(progress.some((line) => /Incomplete volume/.test(line)));
  });
});

Deno.test("discoverLevel2Chunks() skips a volume finished before", async () => {
  await withBucket(async (archive) => {
    const chunks = chunkPaths(SET_2019);
    await upload(archive, "KLOT/17/", chunks.slice(0, 20));
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const memory: RealtimeMemory = new Map();
    const passWith = async () => {
      const { inputs } = await discoverLevel2Chunks(
        source,
        ["KLOT"],
        quietLog(),
        new Date(),
        memory,
      );
      await passOver(store, inputs);
      return inputs.length;
    };
    const store = new MemoryStore();

    assert.equal(await passWith(), 1);
    // The same 20 chunks: nothing to read.
    assert.equal(await passWith(), 0);
    await upload(archive, "KLOT/17/", chunks.slice(20));
    assert.equal(await passWith(), 1);
    assert.equal(await passWith(), 0);
    assert.deepEqual([...memory.values()], [43]);
  });
});

/** Makes a job of KLOT with `L2_SOURCE=both`, at 18:40 UTC on 2019-06-17. */
function bothContext(
  archive: LocalArchive,
  store: MemoryStore,
  render: typeof renderTask,
  workers: number,
): JobContext {
  return {
    config: {
      level2Sites: ["KLOT"],
      level3Sites: [],
      processingWindowMinutes: 60,
      retentionMinutes: 240,
      sourceEndpoint: archive.endpoint,
    },
    settings: loadJobSettings({
      L2_SOURCE: "both",
      RENDER_RESOLUTION_M: "2000",
      JOB_WORKERS: String(workers),
    }),
    store,
    render,
    log: { ...quietLog(), warn() {} },
    now: () => new Date("2019-06-17T18:40:00Z"),
  };
}

Deno.test("runJob() completes a partial real-time volume from the archive", async () => {
  const archiveBucket = "unidata-nexrad-level2";
  const archive = await startArchive([BUCKET, archiveBucket]);
  try {
    // Chunk 15 never comes, so real time stops at chunk 14. The archive
    // object, the 43 chunks joined, appears later.
    const chunks = chunkPaths(SET_2019);
    await upload(archive, "KLOT/17/", [
      ...chunks.slice(0, 14),
      ...chunks.slice(15),
    ]);
    const store = new MemoryStore();
    const context = bothContext(archive, store, renderTask, 1);
    const request = { level: 2 as const, sites: null, range: null, files: [] };
    const prefix = "KLOT20190617_181704_V06";
    const listKey = "lists/nexrad_level2_reflectivity_files.json";
    const partialKey = "partial/nexrad_level2_reflectivity_partial.json";
    const sweeps = () =>
      (store.json(listKey) as Record<string, { sweeps: number }>)[prefix]
        .sweeps;

    const first = await runJob(context, request);
    assert.equal(first.published, 1);
    const early = sweeps();
    const earlyImages = new Map(
      [...store.objects].filter(([key]) => key.startsWith("plots_level2/"))
        .map(([key, entry]) => [key, entry.body]),
    );
    assert.deepEqual(Object.keys(store.json(partialKey) as object), [prefix]);

    const joined = await level2FileInputs(chunks)[0].read();
    await archive.put(
      archiveBucket,
      `2019/06/17/KLOT/${prefix}`,
      new Uint8Array(joined),
    );
    const second = await runJob(context, request);
    assert.equal(second.published, 1);
    // The reference: `l2 --file` on all 43 chunks.
    const whole = new MemoryStore();
    await passOver(whole, level2FileInputs(chunks));
    assert.ok(sweeps() > early, `${sweeps()} sweeps after ${early}`);
    assert.deepEqual(store.json(listKey), whole.json(listKey));
    for (const [key, body] of earlyImages) {
      assert.deepEqual(store.objects.get(key)?.body, body, key);
    }
    assert.deepEqual(store.json(partialKey), {});

    // Complete now: the archive object is not read again.
    const third = await runJob(context, request);
    assert.deepEqual([third.published, third.listed], [0, 2]);
  } finally {
    await archive.close();
  }
});

Deno.test("runJob() keeps a real-time volume's images from its archive object", async () => {
  const archiveBucket = "unidata-nexrad-level2";
  const archive = await startArchive([BUCKET, archiveBucket]);
  try {
    // One pass finds both: the chunks up to 30 (31 not there yet, 22
    // damaged) and the archive object. The chunks are published first and
    // recorded as partial, so the archive object adds sweeps without
    // rewriting those images, although the pass began before the record.
    const chunks = chunkPaths(SET_2019);
    for (const path of chunks.slice(0, 30)) {
      const body = await Deno.readFile(path);
      if (path.endsWith("-022-I")) body.fill(0x55, 200, 2000);
      const name = path.slice(path.lastIndexOf("/") + 1);
      await archive.put(BUCKET, `KLOT/17/${name}`, body);
    }
    const prefix = "KLOT20190617_181704_V06";
    const joined = await level2FileInputs(chunks)[0].read();
    await archive.put(
      archiveBucket,
      `2019/06/17/KLOT/${prefix}`,
      new Uint8Array(joined),
    );

    const store = new MemoryStore();
    const listKey = "lists/nexrad_level2_reflectivity_files.json";
    let firstListed: Map<string, Uint8Array> | undefined;
    const putIfMatch = store.putIfMatch.bind(store);
    store.putIfMatch = async (key, body, etag, options) => {
      const written = await putIfMatch(key, body, etag, options);
      if (key === listKey && firstListed === undefined) {
        firstListed = new Map(
          [...store.objects].filter(([k]) => k.startsWith("plots_level2/"))
            .map(([k, entry]) => [k, entry.body]),
        );
      }
      return written;
    };
    const render: typeof renderTask = async (task) => {
      // The archive object renders last.
      if (!task.source.startsWith("s3://")) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      return await renderTask(task);
    };
    const context = bothContext(archive, store, render, 2);
    const summary = await runJob(context, {
      level: 2,
      sites: null,
      range: null,
      files: [],
    });
    assert.equal(summary.published, 2);
    const sweeps =
      (store.json(listKey) as Record<string, { sweeps: number }>)[prefix]
        .sweeps;
    assert.equal(sweeps, 5);
    assert.ok(firstListed !== undefined);
    assert.ok(firstListed.size > 0);
    for (const [key, body] of firstListed) {
      assert.deepEqual(store.objects.get(key)?.body, body, key);
    }
  } finally {
    await archive.close();
  }
});
