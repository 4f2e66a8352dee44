/**
 * The decode-and-render pool of the jobs: Web Workers running
 * `render_worker.ts`, one per core by default. Input bytes are moved to the
 * worker, not copied.
 *
 * @module
 */

import { WorkerPool } from "./pool.ts";
import type { RenderedInput, Renderer, RenderTask } from "./rendered.ts";

/** A renderer backed by workers, to close when the run ends. */
export interface RenderPool {
  render: Renderer;
  close(): void;
}

const WORKER_URL = new URL("./render_worker.ts", import.meta.url);

/** Starts a pool of `workers` render workers (started on first use). */
export function createRenderPool(workers: number): RenderPool {
  const pool = new WorkerPool<RenderTask, RenderedInput>(WORKER_URL, {
    size: workers,
  });
  return {
    render: (task) => {
      // The pool owns the bytes from here on: transfer when they fill
      // their buffer, else copy them into one of their own first.
      const bytes = task.bytes.byteLength === task.bytes.buffer.byteLength
        ? task.bytes
        : task.bytes.slice();
      return pool.run({ ...task, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    close: () => pool.close(),
  };
}
