import assert from "node:assert/strict";
import { openSourceBucket } from "../../core/source/bucket.ts";
import type { SourceBucket } from "../../core/source/bucket.ts";
import {
  discoverLevel2,
  type Level2PassOptions,
  runLevel2Pass,
} from "../../jobs/level2.ts";
import type { JobLog } from "../../jobs/log.ts";
import type { RenderedInput, RenderTask } from "../../jobs/rendered.ts";
import { runJob } from "../../jobs/run.ts";
import { loadJobSettings } from "../../jobs/settings.ts";
import { refusedEndpoint, startArchive } from "./_archive.ts";
import { FsStore } from "../../core/storage/fs_store.ts";
import { MemoryStore } from "./_memory_store.ts";

// Orchestration tests: a real local S3 server holds a real volume
// (KTLX20170101_030027_V06) under its archive key and copies of it under
// made-up keys around midnight; decoding and rendering are replaced by a
// double that returns 3 reflectivity and 2 velocity images per volume, so
// these tests check discovery, publication, failures and retention only.

const BUCKET = "unidata-nexrad-level2";
const VOLUME = "level2/KTLX20170101_030027_V06";
const KEYS = {
  "2016/12/31/KTLX/KTLX20161231_225512_V06": VOLUME, // before the window
  "2016/12/31/KTLX/KTLX20161231_235731_V06": VOLUME,
  "2016/12/31/KTLX/KTLX20161231_235731_V06_MDM": VOLUME,
  "2017/01/01/KTLX/KTLX20170101_000154_V06": VOLUME,
  "2017/01/01/KTLX/KTLX20170101_000154_V06.001": VOLUME,
  "2017/01/01/KTLX/KTLX20170101_030027_V06": VOLUME,
  "2017/01/01/KTLX/KTLX20170101_031004_V06": VOLUME, // after the window
};
const START = new Date("2016-12-31T23:05:00Z");
const END = new Date("2017-01-01T03:05:00Z");
const IN_WINDOW = [
  "KTLX20161231_235731_V06",
  "KTLX20170101_000154_V06",
  "KTLX20170101_030027_V06",
];
const OPTIONS: Level2PassOptions = {
  products: ["reflectivity", "velocity"],
  windowMinutes: 240,
  downloadConcurrency: 2,
  renderConcurrency: 2,
  maxAttempts: 2,
};

function silentLog(lines: string[] = []): JobLog {
  const record = (message: string) => void lines.push(message);
  return { info: record, progress: record, warn: record, error: record };
}

/** Renders 3 reflectivity and 2 velocity images; throws for `failing` sources. */
function renderDouble(failing = new Set<string>()) {
  const seen: string[] = [];
  const render = (task: RenderTask): Promise<RenderedInput> => {
    seen.push(task.source);
    if (failing.has(task.source)) {
      return Promise.reject(new Error(`Invalid volume ${task.source}`));
    }
    const image = (k: number) => ({
      png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, k]),
      metadata: { elevation_angle_degrees: k, source: task.source },
    });
    return Promise.resolve({
      siteId: "KTLX",
      collectedAt: "2017-01-01T03:00:27.000Z",
      archiveVersion: "AR2V0006",
      products: {
        reflectivity: [image(0), image(1), image(2)],
        velocity: [image(0), image(1)],
      },
      warnings: [],
      renderMs: 1,
    });
  };
  return { render, seen };
}

/** Asserts that every list entry names objects that all exist. */
function assertListsComplete(store: MemoryStore): void {
  for (const product of OPTIONS.products) {
    const key = `lists/nexrad_level2_${product}_files.json`;
    const list = (store.json(key) ?? {}) as Record<string, { sweeps: number }>;
    for (const [prefix, { sweeps }] of Object.entries(list)) {
      for (let k = 0; k < sweeps; k++) {
        for (const extension of ["png", "json"]) {
          const object =
            `plots_level2/${prefix}_${product}_idx${k}.${extension}`;
          assert.ok(
            store.objects.has(object),
            `${key} names missing ${object}`,
          );
        }
      }
    }
  }
}

/** Returns a local file input, whose prefix comes from its decode. */
function localInput(source: string) {
  return {
    source,
    prefix: null,
    local: true,
    read: () => Promise.resolve(new Uint8Array(1)),
  };
}

async function withArchive(
  test: (source: SourceBucket) => Promise<void>,
): Promise<void> {
  const archive = await startArchive([BUCKET], { [BUCKET]: KEYS });
  try {
    await test(openSourceBucket(BUCKET, { endpoint: archive.endpoint }));
  } finally {
    await archive.close();
  }
}

async function pass(
  store: MemoryStore,
  source: SourceBucket,
  render: (task: RenderTask) => Promise<RenderedInput>,
  log = silentLog(),
) {
  const { inputs } = await discoverLevel2(source, ["KTLX"], START, END, log);
  return runLevel2Pass({ store, render, log }, OPTIONS, inputs);
}

Deno.test("discoverLevel2() stops listing when no response comes", async () => {
  const source = openSourceBucket(BUCKET, { endpoint: refusedEndpoint() });
  const prefixes: string[] = [];
  const counted: SourceBucket = {
    ...source,
    list: (prefix) => (prefixes.push(prefix), source.list(prefix)),
  };
  const lines: string[] = [];
  // Two sites, and a window over midnight: three listings without the stop.
  const found = await discoverLevel2(
    counted,
    ["KTLX", "KLOT"],
    START,
    END,
    silentLog(lines),
  );
  assert.deepEqual(prefixes, ["2016/12/31/KTLX/"]);
  assert.equal(found.errors, 1);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /left to the next pass$/);
});

Deno.test("discoverLevel2() lists the window's volumes once", async () => {
  await withArchive(async (source) => {
    const { inputs, errors } = await discoverLevel2(
      source,
      ["KTLX"],
      START,
      END,
      silentLog(),
    );
    assert.equal(errors, 0);
    assert.deepEqual(inputs.map((input) => input.prefix), IN_WINDOW);
  });
});

Deno.test("runLevel2Pass() publishes lists, images and flags", async () => {
  await withArchive(async (source) => {
    const store = new MemoryStore();
    const { render, seen } = renderDouble();
    const summary = await pass(store, source, render);

    assert.equal(summary.found, 3);
    assert.equal(summary.published, 3);
    assert.equal(seen.length, 3);
    const reflectivity = store.json(
      "lists/nexrad_level2_reflectivity_files.json",
    );
    assert.deepEqual(
      reflectivity,
      Object.fromEntries(IN_WINDOW.map((prefix) => [prefix, { sweeps: 3 }])),
    );
    const velocity = store.json("lists/nexrad_level2_velocity_files.json");
    assert.deepEqual(
      velocity,
      Object.fromEntries(IN_WINDOW.map((prefix) => [prefix, { sweeps: 2 }])),
    );
    assert.deepEqual(store.json("flags/update_flags.json"), {
      updates: { reflectivity: 1, velocity: 1 },
    });
    assertListsComplete(store);
    const png = store.objects.get(
      "plots_level2/KTLX20170101_030027_V06_reflectivity_idx2.png",
    );
    assert.deepEqual(png?.body, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 2]));
    assert.equal(png?.contentType, "image/png");
  });
});

Deno.test("runLevel2Pass() replaces a list that is JSON but no object", async () => {
  // A damaged or hand-edited list of valid JSON of another kind.
  await withArchive(async (source) => {
    const store = new MemoryStore();
    for (const body of ["5", "[1, 2]"]) {
      await store.put(
        "lists/nexrad_level2_reflectivity_files.json",
        new TextEncoder().encode(body),
        { contentType: "application/json" },
      );
      const summary = await pass(store, source, renderDouble().render);
      assert.equal(summary.published, 3, body);
      assert.deepEqual(
        Object.keys(
          store.json("lists/nexrad_level2_reflectivity_files.json") as object,
        ),
        IN_WINDOW,
      );
    }
  });
});

Deno.test("runLevel2Pass() skips volumes already listed", async () => {
  await withArchive(async (source) => {
    const store = new MemoryStore();
    await pass(store, source, renderDouble().render);
    const second = renderDouble();
    const summary = await pass(store, source, second.render);
    assert.equal(summary.listed, 3);
    assert.equal(summary.published, 0);
    assert.deepEqual(second.seen, []);
  });
});

Deno.test("runLevel2Pass() records a failing volume, then skips it", async () => {
  await withArchive(async (source) => {
    const store = new MemoryStore();
    const failing = "2017/01/01/KTLX/KTLX20170101_000154_V06";
    const failuresKey = "failures/nexrad_level2_reflectivity_failures.json";

    for (let attempt = 1; attempt <= OPTIONS.maxAttempts; attempt++) {
      const { render, seen } = renderDouble(new Set([failing]));
      const summary = await pass(store, source, render);
      assert.equal(summary.failed, 1);
      assert.ok(seen.includes(failing));
      const records = store.json(failuresKey) as Record<
        string,
        { attempts: number }
      >;
      assert.equal(records["KTLX20170101_000154_V06"].attempts, attempt);
    }

    const { render, seen } = renderDouble(new Set([failing]));
    const summary = await pass(store, source, render);
    assert.equal(summary.failed, 0);
    assert.equal(summary.skipped, 1);
    assert.ok(!seen.includes(failing));
    const list = store.json(
      "lists/nexrad_level2_reflectivity_files.json",
    ) as object;
    assert.deepEqual(Object.keys(list), [
      "KTLX20161231_235731_V06",
      "KTLX20170101_030027_V06",
    ]);
    assertListsComplete(store);
  });
});

Deno.test("runLevel2Pass() survives a source error mid-pass", async () => {
  await withArchive(async (source) => {
    const broken = "2017/01/01/KTLX/KTLX20170101_000154_V06";
    const flaky: SourceBucket = {
      name: source.name,
      list: (prefix) => source.list(prefix),
      folders: (prefix) => source.folders(prefix),
      get: (key) =>
        key === broken
          ? Promise.reject(new Error(`Failed to read ${key}: HTTP 503`))
          : source.get(key),
    };
    const store = new MemoryStore();
    const lines: string[] = [];
    const first = await pass(
      store,
      flaky,
      renderDouble().render,
      silentLog(lines),
    );
    assert.equal(first.errors, 1);
    assert.equal(first.published, 2);
    assert.ok(
      lines.some((line) => line.includes(broken) && line.includes("503")),
    );
    assertListsComplete(store);

    // A source error is not the volume's fault: no failure record, and
    // the next pass publishes the volume.
    assert.equal(
      store.objects.has("failures/nexrad_level2_reflectivity_failures.json"),
      false,
    );
    const second = await pass(store, source, renderDouble().render);
    assert.equal(second.published, 1);
    const list = store.json(
      "lists/nexrad_level2_reflectivity_files.json",
    ) as object;
    assert.deepEqual(Object.keys(list), IN_WINDOW);
  });
});

Deno.test("runLevel2Pass() finishes the work of a killed pass", async () => {
  await withArchive(async (source) => {
    const reference = new MemoryStore();
    await pass(reference, source, renderDouble().render);

    // Kill after every number of writes a pass makes, from the first.
    const writesPerPass = reference.objects.size + 8;
    for (let writes = 1; writes < writesPerPass; writes += 3) {
      const store = new MemoryStore();
      const controller = new AbortController();
      let count = 0;
      store.beforeWrite = () => {
        if (++count > writes) {
          controller.abort(new Error("Killed"));
          throw new Error("Killed");
        }
      };
      await runLevel2Pass(
        {
          store,
          render: renderDouble().render,
          log: silentLog(),
          signal: controller.signal,
        },
        OPTIONS,
        (await discoverLevel2(source, ["KTLX"], START, END, silentLog()))
          .inputs,
      ).catch(() => {});
      assertListsComplete(store);

      store.beforeWrite = () => {};
      await pass(store, source, renderDouble().render);
      assertListsComplete(store);
      for (const product of OPTIONS.products) {
        const key = `lists/nexrad_level2_${product}_files.json`;
        assert.deepEqual(
          store.json(key),
          reference.json(key),
          `killed after ${writes} writes`,
        );
      }
    }
  });
});

Deno.test("runLevel2Pass() twice at once equals one pass", async () => {
  await withArchive(async (source) => {
    const reference = new MemoryStore();
    await pass(reference, source, renderDouble().render);

    const store = new MemoryStore();
    await Promise.all([
      pass(store, source, renderDouble().render),
      pass(store, source, renderDouble().render),
    ]);
    for (
      const key of [
        "lists/nexrad_level2_reflectivity_files.json",
        "lists/nexrad_level2_velocity_files.json",
        "flags/update_flags.json",
      ]
    ) {
      assert.deepEqual(store.json(key), reference.json(key), key);
    }
    assertListsComplete(store);
  });
});

Deno.test("runLevel2Pass() drops list entries before objects", async () => {
  const archive = await startArchive([BUCKET], { [BUCKET]: KEYS });
  try {
    const source = openSourceBucket(BUCKET, { endpoint: archive.endpoint });
    const store = new MemoryStore();
    await pass(store, source, renderDouble().render);

    // A volume 4 hours later pushes the first three out of the window.
    const later = "2017/01/01/KTLX/KTLX20170101_071500_V06";
    await archive.put(BUCKET, later, new Uint8Array(16));
    const deletedKeys: string[] = [];
    store.beforeDelete = (keys) => {
      assertListsComplete(store);
      for (const key of keys) {
        const prefix = key.split("/")[1].split("_").slice(0, 3).join("_");
        for (const product of OPTIONS.products) {
          const list = store.json(
            `lists/nexrad_level2_${product}_files.json`,
          ) as object;
          assert.ok(!(prefix in list), `${key} deleted while listed`);
        }
      }
      deletedKeys.push(...keys);
    };
    const { inputs } = await discoverLevel2(
      source,
      ["KTLX"],
      START,
      new Date("2017-01-01T07:20:00Z"),
      silentLog(),
    );
    // Objects are only deleted once their last write is a window old.
    const now = () =>
      new Date(Date.now() + OPTIONS.windowMinutes * 60_000 + 1000);
    const lines: string[] = [];
    const summary = await runLevel2Pass(
      { store, render: renderDouble().render, log: silentLog(lines), now },
      OPTIONS,
      inputs,
    );

    assert.ok(
      lines.includes(
        "level2 retention: 3 reflectivity entries older than the window of " +
          `their site left the list: ${IN_WINDOW.join(", ")}`,
      ),
      lines.join("\n"),
    );
    assert.equal(summary.published, 1);
    // 03:10:04 is older than 07:15:00 minus 240 minutes: never processed.
    assert.equal(summary.skipped, 1);
    const list = store.json("lists/nexrad_level2_reflectivity_files.json");
    assert.deepEqual(list, { KTLX20170101_071500_V06: { sweeps: 3 } });
    // 3 volumes x (3 reflectivity + 2 velocity images) x (PNG + JSON).
    assert.equal(summary.deleted, 30);
    assert.equal(deletedKeys.length, 30);
    const left = [...store.objects.keys()].filter((k) =>
      k.startsWith("plots_level2/")
    );
    assert.equal(left.length, 10);
    assert.ok(left.every((key) => key.includes("KTLX20170101_071500_V06")));
  } finally {
    await archive.close();
  }
});

/** Renders the given number of images per product, the same volume time. */
function countingRender(counts: Record<string, [number, number]>) {
  return (task: RenderTask): Promise<RenderedInput> => {
    const [reflectivity, velocity] = counts[task.source];
    const images = (n: number) =>
      Array.from({ length: n }, (_, k) => ({
        png: new Uint8Array([0x89, 0x50, 0x4e, 0x47, k]),
        metadata: { source: task.source },
      }));
    return Promise.resolve({
      siteId: "KATX",
      collectedAt: "2013-07-17T19:50:24.000Z",
      archiveVersion: "AR2V0006",
      products: {
        reflectivity: images(reflectivity),
        velocity: images(velocity),
      },
      warnings: [],
      renderMs: 1,
    });
  };
}

Deno.test("runLevel2Pass() publishes a prefix from one input", async () => {
  // Three local files decode to one volume time: a truncated one (1 and 0
  // images), a whole one (3 and 2) and one that lacks a velocity sweep the
  // whole one had (4 and 1). Only the whole one's objects may be listed.
  const store = new MemoryStore();
  const render = countingRender({
    truncated: [1, 0],
    whole: [3, 2],
    odd: [4, 1],
  });
  const prefix = "KATX20130717_195024_V06";
  const local = (source: string) => ({
    source,
    prefix: null,
    local: true,
    read: () => Promise.resolve(new Uint8Array(1)),
  });
  const lines: string[] = [];
  const log = silentLog(lines);
  const run = (source: string) =>
    runLevel2Pass({ store, render, log }, OPTIONS, [local(source)]);

  assert.equal((await run("truncated")).published, 1);
  assert.deepEqual(store.json("lists/nexrad_level2_reflectivity_files.json"), {
    [prefix]: { sweeps: 1 },
  });

  assert.equal((await run("whole")).published, 1);
  assert.ok(lines.some((line) => /was listed with reflectivity=1/.test(line)));
  for (const [product, sweeps] of [["reflectivity", 3], ["velocity", 2]]) {
    assert.deepEqual(store.json(`lists/nexrad_level2_${product}_files.json`), {
      [prefix]: { sweeps },
    });
  }

  // Neither a repeat of the whole file nor the odd one replaces it.
  for (const source of ["whole", "odd", "truncated"]) {
    const summary = await run(source);
    assert.deepEqual([summary.published, summary.listed], [0, 1], source);
  }
  for (
    const [product, sweeps] of [["reflectivity", 3], ["velocity", 2]] as const
  ) {
    for (let k = 0; k < sweeps; k++) {
      const json = store.json(`plots_level2/${prefix}_${product}_idx${k}.json`);
      assert.deepEqual(json, { source: "whole" }, `${product} idx${k}`);
    }
  }
  assertListsComplete(store);
});

Deno.test("runLevel2Pass() orders two inputs of one prefix in a pass", async () => {
  const store = new MemoryStore();
  const render = countingRender({ a: [3, 2], b: [2, 2] });
  const inputs = ["a", "b"].map((source) => ({
    source,
    prefix: null,
    local: true,
    read: () => Promise.resolve(new Uint8Array(1)),
  }));
  const summary = await runLevel2Pass(
    { store, render, log: silentLog() },
    OPTIONS,
    inputs,
  );
  // Whichever finishes first, a has more images and ends up listed.
  assert.equal(summary.published + summary.listed, 2);
  const prefix = "KATX20130717_195024_V06";
  assert.deepEqual(store.json("lists/nexrad_level2_reflectivity_files.json"), {
    [prefix]: { sweeps: 3 },
  });
  for (let k = 0; k < 3; k++) {
    const json = store.json(`plots_level2/${prefix}_reflectivity_idx${k}.json`);
    assert.deepEqual(json, { source: "a" });
  }
  assertListsComplete(store);
});

Deno.test("runLevel2Pass() records no failure of a local file", async () => {
  const store = new MemoryStore();
  const { render } = renderDouble(new Set(["KTLX20170101_030027_V06"]));
  const input = {
    source: "KTLX20170101_030027_V06",
    prefix: "KTLX20170101_030027_V06",
    local: true,
    read: () => Promise.resolve(new Uint8Array(1)),
  };
  const options = { ...OPTIONS, maxAttempts: 1 };
  for (let attempt = 0; attempt < 2; attempt++) {
    const summary = await runLevel2Pass(
      { store, render, log: silentLog() },
      options,
      [input],
    );
    assert.deepEqual([summary.failed, summary.skipped], [1, 0]);
  }
  assert.equal(
    store.objects.has("failures/nexrad_level2_reflectivity_failures.json"),
    false,
  );
});

Deno.test("runLevel2Pass() stores no local file older than its list", async () => {
  // The render double dates the volume 2017-01-01 03:00:27; the list contains
  // one of the site a day later, so the file is 1,440 minutes older than
  // that and outside the 240-minute window.
  const store = new MemoryStore();
  const newer = { KTLX20170102_030027_V06: { sweeps: 3 } };
  await store.put(
    "lists/nexrad_level2_reflectivity_files.json",
    new TextEncoder().encode(JSON.stringify(newer)),
    { contentType: "application/json" },
  );
  const lines: string[] = [];
  const summary = await runLevel2Pass(
    { store, render: renderDouble().render, log: silentLog(lines) },
    OPTIONS,
    [{
      source: "old.ar2v",
      prefix: null,
      local: true,
      read: () => Promise.resolve(new Uint8Array(1)),
    }],
  );
  assert.deepEqual([summary.published, summary.skipped], [0, 1]);
  const plots = [...store.objects.keys()].filter((key) =>
    key.startsWith("plots_level2/")
  );
  assert.deepEqual(plots, []);
  assert.ok(lines.some((line) => /older than the retention window/.test(line)));
});

for (const newerFirst of [true, false]) {
  const order = newerFirst ? "newer first" : "older first";
  Deno.test(`runLevel2Pass() skips a local file outdated in its pass (${order})`, async () => {
    // Two local volumes of KTLX a day apart (the render double dates them
    // by source), one render delayed so that either is listed first. Either
    // way the newer one moves the 240-minute window of the site past the
    // older one, which ends up neither listed nor stored.
    const store = new MemoryStore();
    const { render } = renderDouble();
    const dated = async (task: RenderTask): Promise<RenderedInput> => {
      const rendered = await render(task);
      const isNew = task.source === "new.ar2v";
      if (isNew !== newerFirst) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return isNew
        ? { ...rendered, collectedAt: "2017-01-02T03:00:27.000Z" }
        : rendered;
    };
    const lines: string[] = [];
    const summary = await runLevel2Pass(
      { store, render: dated, log: silentLog(lines) },
      OPTIONS,
      [localInput("old.ar2v"), localInput("new.ar2v")],
    );
    assert.deepEqual([summary.published, summary.skipped], [1, 1]);
    for (const product of OPTIONS.products) {
      assert.deepEqual(
        Object.keys(
          store.json(`lists/nexrad_level2_${product}_files.json`) as object,
        ),
        ["KTLX20170102_030027_V06"],
      );
    }
    // Listed first, the newer one keeps the older one's images from being
    // stored. Listed second, it leaves them to retention, which deletes
    // them once their last write is older than the window too.
    const old = () =>
      [...store.objects.keys()].filter((key) =>
        key.includes("KTLX20170101_030027_V06")
      );
    assert.equal(old().length === 0, newerFirst);
    const later = new Date(Date.now() + (OPTIONS.windowMinutes + 1) * 60_000);
    await runLevel2Pass(
      { store, render: dated, log: silentLog(), now: () => later },
      OPTIONS,
      [],
    );
    assert.deepEqual(old(), []);
    assert.ok(
      lines.some((line) => /KTLX20170101_030027_V06.*retention/.test(line)),
    );
    assertListsComplete(store);
  });
}

Deno.test("runLevel2Pass() counts an entry another writer removed as published", async () => {
  // The second render deletes the lists, as another writer might, after
  // the first volume is listed. Its entry is gone, but no newer entry of
  // its site explains that, so it still counts as published, and the pass
  // deletes nothing.
  const store = new MemoryStore();
  const { render } = renderDouble();
  const wiping = async (task: RenderTask): Promise<RenderedInput> => {
    if (task.source === "old.ar2v") return render(task);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.delete(
      OPTIONS.products.map((p) => `lists/nexrad_level2_${p}_files.json`),
    );
    throw new Error("Invalid volume");
  };
  const summary = await runLevel2Pass(
    { store, render: wiping, log: silentLog() },
    OPTIONS,
    [localInput("old.ar2v"), localInput("wipe.ar2v")],
  );
  assert.deepEqual([summary.published, summary.failed], [1, 1]);
  assert.ok(
    store.objects.has(
      "plots_level2/KTLX20170101_030027_V06_reflectivity_idx0.png",
    ),
  );
});

Deno.test("runLevel2Pass() counts both inputs of an outdated volume as skipped", async () => {
  // One pass of local files: a partial decode of a volume, a fuller one of
  // the same volume (published again with more images), then a volume of
  // the site a day later, which moves the window past both.
  const store = new MemoryStore();
  const { render } = renderDouble();
  const staged = async (task: RenderTask): Promise<RenderedInput> => {
    const order = ["partial.ar2v", "full.ar2v", "new.ar2v"].indexOf(
      task.source,
    );
    await new Promise((resolve) => setTimeout(resolve, 50 * order));
    const rendered = await render(task);
    if (task.source === "partial.ar2v") {
      return {
        ...rendered,
        products: {
          reflectivity: rendered.products.reflectivity!.slice(0, 2),
          velocity: rendered.products.velocity!.slice(0, 1),
        },
      };
    }
    return task.source === "new.ar2v"
      ? { ...rendered, collectedAt: "2017-01-02T03:00:27.000Z" }
      : rendered;
  };
  const summary = await runLevel2Pass(
    { store, render: staged, log: silentLog() },
    OPTIONS,
    ["partial.ar2v", "full.ar2v", "new.ar2v"].map(localInput),
  );
  assert.deepEqual([summary.published, summary.skipped], [1, 2]);
  assert.deepEqual(
    Object.keys(
      store.json("lists/nexrad_level2_reflectivity_files.json") as object,
    ),
    ["KTLX20170102_030027_V06"],
  );
});

Deno.test("runLevel2Pass() removes files of writes never finished", async () => {
  // A write killed before its rename leaves a temporary file beside the
  // target. Retention removes it once it is an hour old.
  const root = await Deno.makeTempDir({ prefix: "abandoned_" });
  try {
    const store = new FsStore(root);
    await store.put("lists/x.json", new Uint8Array([0x7b, 0x7d]), {
      contentType: "application/json",
    });
    const temporary = `${root}/lists/.x.json.${crypto.randomUUID()}.tmp`;
    await Deno.writeTextFile(temporary, "{");
    const old = new Date(Date.now() - 2 * 3600_000);
    await Deno.utime(temporary, old, old);

    const lines: string[] = [];
    await runLevel2Pass(
      { store, render: renderDouble().render, log: silentLog(lines) },
      OPTIONS,
      [],
    );
    await assert.rejects(Deno.stat(temporary), Deno.errors.NotFound);
    assert.ok(
      lines.includes(
        "level2 retention: removed 1 temporary file of writes that never finished",
      ),
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runLevel2Pass() completes a partial volume's unlisted images", async () => {
  // A real-time pass listed idx0 of the volume, then stored idx1 and failed
  // before listing it. The archive object keeps idx0, which clients may
  // have cached, and replaces idx1, which no list ever named.
  const store = new MemoryStore();
  const prefix = "KTLX20170101_030027_V06";
  const png = { contentType: "image/png" };
  const json = { contentType: "application/json" };
  const plot = (product: string, k: number) =>
    `plots_level2/${prefix}_${product}_idx${k}`;
  for (const product of ["reflectivity", "velocity"]) {
    await store.put(`${plot(product, 0)}.png`, new Uint8Array([0]), png);
    await store.put(
      `${plot(product, 0)}.json`,
      new Uint8Array([0x7b, 0x7d]),
      json,
    );
    await store.put(`${plot(product, 1)}.png`, new Uint8Array([1]), png);
    await store.put(
      `lists/nexrad_level2_${product}_files.json`,
      new TextEncoder().encode(`{"${prefix}":{"sweeps":1}}`),
      json,
    );
  }
  await store.put(
    "partial/nexrad_level2_reflectivity_partial.json",
    new TextEncoder().encode(
      `{"${prefix}":{"source":"s3://x","sweeps":1,"publishedAt":"x"}}`,
    ),
    json,
  );

  const summary = await runLevel2Pass(
    { store, render: renderDouble().render, log: silentLog() },
    OPTIONS,
    [{
      source: `2017/01/01/KTLX/${prefix}`,
      prefix,
      read: () => Promise.resolve(new Uint8Array(1)),
    }],
  );
  assert.equal(summary.published, 1);
  for (const product of ["reflectivity", "velocity"]) {
    const body = (k: number) =>
      store.objects.get(`${plot(product, k)}.png`)?.body;
    assert.deepEqual(body(0), new Uint8Array([0]), `${product} idx0`);
    assert.deepEqual(body(1), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1]));
  }
  assert.deepEqual(
    store.json("lists/nexrad_level2_reflectivity_files.json"),
    { [prefix]: { sweeps: 3 } },
  );
  assert.deepEqual(
    store.json("partial/nexrad_level2_reflectivity_partial.json"),
    {},
  );
  assertListsComplete(store);
});

Deno.test("runLevel2Pass() stops after the step each input is in", async () => {
  // A shutdown aborts while one volume's images are being stored (each
  // write takes 50 ms). The pass settles only once those writes are done,
  // so the process can exit without a write half-done; no list changes.
  const store = new MemoryStore();
  const slowPut = store.put.bind(store);
  store.put = async (key, body, options) => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return slowPut(key, body, options);
  };
  const controller = new AbortController();
  const { render } = renderDouble();
  const input = (prefix: string) => ({
    source: `2017/01/01/KTLX/${prefix}`,
    prefix,
    read: () => Promise.resolve(new Uint8Array(1)),
  });
  const stopping = input("KTLX20170101_030027_V06");
  const rendering = (task: RenderTask) => {
    if (task.source !== stopping.source) return render(task);
    // The other volume is storing by now.
    return new Promise<RenderedInput>((resolve) =>
      setTimeout(() => {
        controller.abort(new Error("SIGTERM received"));
        resolve(render(task));
      }, 20)
    );
  };

  await assert.rejects(
    runLevel2Pass(
      { store, render: rendering, log: silentLog(), signal: controller.signal },
      OPTIONS,
      [input("KTLX20170101_000154_V06"), stopping],
    ),
    /SIGTERM received/,
  );
  const settled = [...store.objects.keys()];
  assert.ok(settled.some((key) => key.includes("000154_V06_reflectivity")));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual([...store.objects.keys()], settled);
  assert.ok(!settled.some((key) => key.startsWith("lists/")));
});

Deno.test("runJob() stops a listing that hangs", async () => {
  // The source never responds to a listing. Stopped 100 ms in, the pass
  // ends at once, with a warning and no error for either site.
  let release = () => {};
  const hung = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async () => {
      await hung;
      return new Response("", { status: 503 });
    },
  );
  try {
    const lines: string[] = [];
    const stop = new AbortController();
    const reason = new DOMException("SIGTERM received", "AbortError");
    setTimeout(() => stop.abort(reason), 100);
    const started = performance.now();
    await assert.rejects(
      runJob({
        config: {
          level2Sites: ["KTLX", "KDMX"],
          level3Sites: [],
          processingWindowMinutes: 60,
          retentionMinutes: 240,
          sourceEndpoint: `http://127.0.0.1:${server.addr.port}`,
        },
        settings: loadJobSettings({}),
        store: new MemoryStore(),
        render: renderDouble().render,
        log: {
          info: (line) => void lines.push(`INFO ${line}`),
          progress: (line) => void lines.push(`INFO ${line}`),
          warn: (line) => void lines.push(`WARN ${line}`),
          error: (line) => void lines.push(`ERROR ${line}`),
        },
        signal: stop.signal,
      }, { level: 2, sites: null, range: null, files: [] }),
      (error: unknown) => error === reason,
    );
    assert.ok(performance.now() - started < 5_000);
    assert.deepEqual(lines.filter((line) => line.startsWith("ERROR")), []);
    assert.ok(
      lines.some((line) =>
        /^WARN level2 pass .* stopped after .*SIGTERM received/.test(line)
      ),
      lines.join("\n"),
    );
  } finally {
    release();
    await server.shutdown();
  }
});
