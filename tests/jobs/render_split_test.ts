import assert from "node:assert/strict";
import { type Level2PassOptions, runLevel2Pass } from "../../jobs/level2.ts";
import type { JobLog } from "../../jobs/log.ts";
import { createRenderPool } from "../../jobs/render_pool.ts";
import { renderInParts } from "../../jobs/render_split.ts";
import { renderTask } from "../../jobs/render_task.ts";
import type {
  Level2Task,
  Renderer,
  RenderOptions,
} from "../../jobs/rendered.ts";
import { MemoryStore } from "./_memory_store.ts";

// A split render must store the same bytes as an unsplit one. Each test
// therefore compares the two and takes neither result as a fixed value.

const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);
const NAME = "KTLX20170101_030027_V06";
const FILE = new URL(`level2/${NAME}`, CORPUS).pathname;
const OPTIONS: Level2PassOptions = {
  products: ["reflectivity", "velocity"],
  // The volume is from 2017: a window of 100 years keeps it listed.
  windowMinutes: 100 * 365 * 24 * 60,
  downloadConcurrency: 1,
  renderConcurrency: 2,
  maxAttempts: 3,
  resolutionM: 3000,
};

function silentLog(): JobLog {
  return { info() {}, progress() {}, warn() {}, error() {} };
}

function level2Task(bytes: Uint8Array): Level2Task {
  return {
    kind: "level2",
    bytes,
    source: NAME,
    products: ["reflectivity", "velocity"],
    resolutionM: 3000,
  };
}

/** Runs a pass over the volume; returns the store and the `parts` asked. */
async function passOverVolume(workers: number) {
  const store = new MemoryStore();
  const pool = createRenderPool(workers);
  const parts: (number | undefined)[] = [];
  const render: Renderer = (task, options?: RenderOptions) => {
    parts.push(options?.parts);
    return pool.render(task, options);
  };
  try {
    const summary = await runLevel2Pass(
      { store, render, log: silentLog() },
      { ...OPTIONS, renderConcurrency: workers },
      [{ source: NAME, prefix: NAME, read: () => Deno.readFile(FILE) }],
    );
    assert.equal(summary.published, 1);
  } finally {
    pool.close();
  }
  return { store, parts };
}

Deno.test("renderInParts() merges shares in volume order", async () => {
  const task = level2Task(await Deno.readFile(FILE));
  const whole = await renderTask(task);
  for (const parts of [2, 3]) {
    const shareCounts: number[] = [];
    const split = await renderInParts(
      async (share) => {
        const rendered = await renderTask(share);
        shareCounts.push(
          Object.values(rendered.products).flat().length,
        );
        return rendered;
      },
      task,
      parts,
    );

    // render_task_test.ts: 5 reflectivity and 5 velocity images, so every
    // share renders some of the 10.
    assert.equal(shareCounts.length, parts);
    assert.ok(shareCounts.every((count) => count > 0), `${shareCounts}`);
    assert.equal(shareCounts.reduce((a, b) => a + b), 10);
    assert.deepEqual(split.products, whole.products);
    assert.equal(split.siteId, whole.siteId);
    assert.equal(split.collectedAt, whole.collectedAt);
    assert.deepEqual(split.warnings, whole.warnings);
  }
});

Deno.test("runLevel2Pass() stores the same bytes split or not", async () => {
  const split = await passOverVolume(2);
  const whole = await passOverVolume(1);

  // One volume and 2 workers: the pass splits it in two; with 1 worker not.
  assert.deepEqual(split.parts, [2]);
  assert.deepEqual(whole.parts, [1]);
  const keys = [...whole.store.objects.keys()].sort();
  assert.deepEqual([...split.store.objects.keys()].sort(), keys);
  const images = keys.filter((key) => key.startsWith("plots_level2/"));
  // 5 reflectivity and 5 velocity images, a PNG and a JSON each.
  assert.equal(images.length, 20);
  for (const key of images) {
    assert.deepEqual(
      split.store.objects.get(key)!.body,
      whole.store.objects.get(key)!.body,
      `${key} differs`,
    );
  }
  for (const product of OPTIONS.products) {
    const list = `lists/nexrad_level2_${product}_files.json`;
    assert.deepEqual(split.store.json(list), { [NAME]: { sweeps: 5 } });
  }
});

Deno.test("runLevel2Pass() lists nothing when a share fails", async () => {
  const store = new MemoryStore();
  // Share 1 fails once share 0 has rendered, so no work outlives the test.
  const shareZero = Promise.withResolvers<void>();
  const render: Renderer = (task, options) =>
    renderInParts(
      async (share) => {
        if (share.share?.index === 1) {
          await shareZero.promise;
          throw new Error("Worker crashed: test");
        }
        const rendered = await renderTask(share);
        shareZero.resolve();
        return rendered;
      },
      task as Level2Task,
      options?.parts ?? 1,
    );
  const summary = await runLevel2Pass(
    { store, render, log: silentLog() },
    OPTIONS,
    [{ source: NAME, prefix: NAME, read: () => Deno.readFile(FILE) }],
  );

  assert.equal(summary.failed, 1);
  assert.equal(summary.published, 0);
  const stored = [...store.objects.keys()];
  assert.deepEqual(
    stored.filter((key) => !key.startsWith("failures/")),
    [],
    "no image, list or flag is stored",
  );
  const failures = store.json(
    "failures/nexrad_level2_reflectivity_failures.json",
  ) as Record<string, { attempts: number; error: string }>;
  assert.equal(failures[NAME].attempts, 1);
  assert.equal(failures[NAME].error, "Worker crashed: test");
});
