import assert from "node:assert/strict";
import { createRenderPool, renderSpread } from "../../jobs/render_pool.ts";
import type {
  Level2Task,
  RenderedInput,
  WorkerResult,
  WorkerTask,
} from "../../jobs/rendered.ts";
import { renderTask, runWorkerTask } from "../../jobs/render_task.ts";

const LEVEL2 = new URL("../../../shared/data/nexrad/level2/", import.meta.url);

async function level2Task(name: string): Promise<Level2Task> {
  return {
    kind: "level2",
    bytes: await Deno.readFile(new URL(name, LEVEL2)),
    source: name,
    products: ["reflectivity", "velocity"],
    resolutionM: 2000,
  };
}

/** Drops the timing, which differs from run to run. */
function withoutTime(rendered: RenderedInput): Omit<RenderedInput, "renderMs"> {
  const { renderMs: _, ...rest } = rendered;
  return rest;
}

Deno.test("renderSpread() equals one worker's result", async () => {
  // KDMX20250314_175512_V06_3sweeps: 2.3 MB of LDM records, 3 sweeps.
  const task = await level2Task("KDMX20250314_175512_V06_3sweeps");
  const kinds: string[] = [];
  const run = async <T extends WorkerTask>(task: T) => {
    kinds.push(task.kind);
    return (await runWorkerTask(task)).result as WorkerResult<T>;
  };
  const spread = await renderSpread(run, task, 2);
  assert.ok(spread !== null);
  const whole = await renderTask(task);
  assert.deepEqual(withoutTime(spread), withoutTime(whole));

  const images = whole.products.reflectivity!.length +
    whole.products.velocity!.length;
  assert.deepEqual(kinds, [
    "level2Piece",
    "level2Piece",
    ...Array(images).fill("level2Image"),
  ]);
});

Deno.test("createRenderPool() renders a repeated product once", async () => {
  // Each image task moves its codes, so a second image of the same sweep
  // moment would find them gone.
  const task = await level2Task("KDMX20250314_175512_V06_3sweeps");
  task.products = ["velocity", "velocity"];
  const pool = createRenderPool(2);
  try {
    const rendered = await pool.render({ ...task, bytes: task.bytes.slice() });
    const whole = await renderTask({ ...task, products: ["velocity"] });
    assert.deepEqual(withoutTime(rendered), withoutTime(whole));
    assert.deepEqual(pool.counts, { spread: 1, whole: 0 });
  } finally {
    pool.close();
  }
});

Deno.test("renderSpread() leaves gzip files to one worker", async () => {
  const task = await level2Task("KTLX20100501_000444_V03.gz");
  const run = <T extends WorkerTask>(task: T) =>
    runWorkerTask(task).then((done) => done.result as WorkerResult<T>);
  assert.equal(await renderSpread(run, task, 2), null);
});

Deno.test("createRenderPool() spreads a lone volume", async () => {
  const task = await level2Task("KDMX20250314_175512_V06_3sweeps");
  const whole = await renderTask(task);
  const pool = createRenderPool(2);
  try {
    // The pool moves the bytes it is given, so each call gets its own.
    const rendered = await pool.render({ ...task, bytes: task.bytes.slice() });
    assert.deepEqual(withoutTime(rendered), withoutTime(whole));
    assert.deepEqual(pool.counts, { spread: 1, whole: 0 });
  } finally {
    pool.close();
  }
});

Deno.test("createRenderPool() frees only a buffer the bytes fill", async () => {
  // A spread volume's bytes are freed once its pieces are sent to the
  // workers, unless they are a view of part of a larger buffer.
  const task = await level2Task("KDMX20250314_175512_V06_3sweeps");
  const joined = new Uint8Array(task.bytes.length + 8);
  joined.set(task.bytes);
  const view = joined.subarray(0, task.bytes.length);
  const owned = task.bytes.slice();
  const pool = createRenderPool(2);
  try {
    await pool.render({ ...task, bytes: view });
    await pool.render({ ...task, bytes: owned });
    assert.deepEqual(pool.counts, { spread: 2, whole: 0 });
  } finally {
    pool.close();
  }
  assert.equal(joined.buffer.detached, false);
  assert.deepEqual(view, task.bytes);
  assert.equal(owned.buffer.detached, true);
});
