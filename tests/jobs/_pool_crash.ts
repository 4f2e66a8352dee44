/**
 * Runs a crashing task and a task after it on a one-worker pool and
 * prints both outcomes as JSON. `pool_test.ts` runs this in a child
 * process because Deno writes the report of an uncaught worker error to
 * stderr even when the parent handles the error event, and the child's
 * stderr can be captured.
 *
 * @module
 */

import { WorkerPool } from "../../jobs/pool.ts";

const pool = new WorkerPool<unknown, number>(
  new URL("./_pool_worker.ts", import.meta.url),
  { size: 1 },
);
try {
  const crashed = pool.run("crash").then(
    (result) => ({ result }),
    (error: Error) => ({ error: error.message }),
  );
  const next = pool.run(5);
  // deno-lint-ignore no-console -- the output is read by pool_test.ts.
  console.log(JSON.stringify({ crashed: await crashed, next: await next }));
} finally {
  pool.close();
}
