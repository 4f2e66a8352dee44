import assert from "node:assert/strict";
import { WorkerPool, WorkerTaskError } from "../../jobs/pool.ts";

const WORKER = new URL("./_pool_worker.ts", import.meta.url);

Deno.test("WorkerPool runs more tasks than workers", async () => {
  const pool = new WorkerPool<number, number>(WORKER, { size: 2 });
  try {
    const tasks = Array.from({ length: 7 }, (_, i) => i);
    const results = await Promise.all(tasks.map((task) => pool.run(task)));
    assert.deepEqual(results, [0, 2, 4, 6, 8, 10, 12]);
  } finally {
    pool.close();
  }
});

Deno.test("WorkerPool fails only the task that threw", async () => {
  const pool = new WorkerPool<unknown, number>(WORKER, { size: 1 });
  try {
    const failed = pool.run("throw");
    const next = pool.run(21);
    await assert.rejects(
      failed,
      (error: unknown) =>
        error instanceof WorkerTaskError && error.name === "DecodeError" &&
        error.message === "Bad task" && error.offset === 24,
    );
    assert.equal(await next, 42);
  } finally {
    pool.close();
  }
});

Deno.test("WorkerPool runs a front task before waiting ones", async () => {
  const pool = new WorkerPool<number, number>(WORKER, { size: 1 });
  try {
    const order: number[] = [];
    const record = (result: number) => void order.push(result);
    await Promise.all([
      pool.run(1).then(record), // starts at once
      pool.run(2).then(record), // waits
      pool.run(3, [], { front: true }).then(record), // waits, ahead of 2
    ]);
    assert.deepEqual(order, [2, 6, 4]);
  } finally {
    pool.close();
  }
});

Deno.test("WorkerPool drops waiting tasks when stopped", async () => {
  const pool = new WorkerPool<number, number>(WORKER, { size: 1 });
  try {
    const stop = new AbortController();
    const reason = new DOMException("SIGTERM received", "AbortError");
    const running = pool.run(1, [], { signal: stop.signal }); // starts at once
    const waiting = pool.run(2, [], { signal: stop.signal });
    const other = pool.run(3); // waits, with no signal
    stop.abort(reason);
    await assert.rejects(waiting, (error: unknown) => error === reason);
    assert.equal(await running, 2);
    assert.equal(await other, 6);
    await assert.rejects(
      pool.run(4, [], { signal: stop.signal }),
      (error: unknown) => error === reason,
    );
  } finally {
    pool.close();
  }
});

Deno.test("WorkerPool fails a task it cannot post", async () => {
  const pool = new WorkerPool<number, number>(WORKER, { size: 1 });
  try {
    // A buffer moved once is detached, and moving it again throws.
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    await assert.rejects(
      pool.run(1, [buffer]),
      (error: unknown) => (error as Error).name === "DataCloneError",
    );
    assert.equal(await pool.run(21), 42);
  } finally {
    pool.close();
  }
});

Deno.test("WorkerPool replaces a crashed worker", async () => {
  // Runs in a child process, so that Deno's "Uncaught (in worker)" report
  // of the crash goes to the captured stderr, not to the test output.
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_pool_crash.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  const { crashed, next } = JSON.parse(new TextDecoder().decode(output.stdout));
  assert.match(crashed.error, /Worker crashed: .*Worker died/);
  assert.equal(next, 10);
  assert.match(stderr, /Uncaught \(in worker ""\) Error: Worker died/);
});

Deno.test("WorkerPool ends a task over its time limit", async () => {
  const pool = new WorkerPool<unknown, number>(WORKER, {
    size: 1,
    timeoutMs: 200,
  });
  try {
    const hung = pool.run("hang");
    const next = pool.run(1);
    await assert.rejects(hung, /timed out after 200 ms/);
    assert.equal(await next, 2);
  } finally {
    pool.close();
  }
});
