/**
 * The decode-and-render pool of the jobs: Web Workers running
 * `render_worker.ts`, one per core by default. Input bytes are moved to the
 * worker, not copied.
 *
 * A Level 2 volume that arrives while two or more workers are idle (a
 * lone new volume of a live site, a file given on the command line) is
 * spread over them. Pieces of the file cut between LDM records decode in
 * parallel, the volume is assembled here, and each image renders on the
 * next free worker. Otherwise one worker takes the whole volume, which
 * moves the fewest bytes when every worker is busy anyway.
 *
 * @module
 */

import {
  assemblePieces,
  cutAtRecords,
  type VolumePiece,
} from "../core/level2/pieces.ts";
import type { MomentCode } from "../core/radar/moment.ts";
import type { Volume } from "../core/radar/volume.ts";
import type { Product } from "../core/storage/keys.ts";
import { freeBuffers } from "./buffers.ts";
import { WorkerPool } from "./pool.ts";
import type {
  Level2ImageTask,
  Level2Task,
  RenderedInput,
  Renderer,
  WorkerResult,
  WorkerTask,
} from "./rendered.ts";
import { level2Result, planLevel2, taskMoments } from "./render_task.ts";
import { LEVEL2_PRODUCT_MOMENTS } from "./sweep_selection.ts";

/** A renderer backed by workers, to close when the run ends. */
export interface RenderPool {
  render: Renderer;
  close(): void;
  /** Level 2 volumes rendered so far, spread over workers or whole. */
  readonly counts: { spread: number; whole: number };
}

const WORKER_URL = new URL("./render_worker.ts", import.meta.url);

/** Starts a pool of `workers` render workers (started on first use). */
export function createRenderPool(workers: number): RenderPool {
  const pool = new WorkerPool<WorkerTask, unknown>(WORKER_URL, {
    size: workers,
  });
  const counts = { spread: 0, whole: 0 };
  return {
    counts,
    render: async (task, { signal } = {}) => {
      // Tasks still waiting for a worker when `signal` aborts never run.
      const run: Run = (task, transfer = [], options = {}) =>
        pool.run(task, transfer, { ...options, signal }) as Promise<
          WorkerResult<typeof task>
        >;
      // The pool owns the bytes from here on when they fill their buffer.
      // A view of part of a buffer is copied, and the buffer left alone.
      const ownsBuffer = task.bytes.byteLength === task.bytes.buffer.byteLength;
      if (task.kind === "level2" && pool.idle >= 2) {
        const spread = await renderSpread(run, task, pool.idle);
        if (spread !== null) {
          counts.spread++;
          // The workers were sent copies of its pieces.
          if (ownsBuffer) freeBuffers([task.bytes]);
          return spread;
        }
      }
      if (task.kind === "level2") counts.whole++;
      const bytes = ownsBuffer ? task.bytes : task.bytes.slice();
      return await run({ ...task, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    close: () => pool.close(),
  };
}

/**
 * Runs a task on a worker of the pool. With `front`, it goes before the
 * tasks already waiting.
 */
export type Run = <T extends WorkerTask>(
  task: T,
  transfer?: Transferable[],
  options?: { front?: boolean },
) => Promise<WorkerResult<T>>;

/**
 * Decodes and renders a Level 2 volume over up to `workers` workers.
 * Returns null when the file cannot be cut between records (another
 * wrapper, or too small to gain), or when the pieces do not join exactly.
 * It also returns null when decoding a piece or planning the images fails.
 * The caller then runs the whole file on one worker, which raises or warns
 * about the same problem as a volume that was never spread.
 */
export async function renderSpread(
  run: Run,
  task: Level2Task,
  workers: number,
): Promise<RenderedInput | null> {
  const started = performance.now();
  const pieces = cutAtRecords(task.bytes, workers);
  if (pieces === null) return null;
  let prepared: PreparedImages | null;
  try {
    prepared = await decodePieces(run, task, pieces);
  } catch {
    // Not logged here: the whole-file run reports this error.
    return null;
  }
  if (prepared === null) return null;

  // Each image task takes the codes it draws along (a sweep moment makes
  // one image), so they are not held here and in a worker at once. The
  // images go before volumes queued meanwhile, so those codes leave this
  // thread soon.
  const { result, products } = prepared;
  const images = await Promise.all(
    products.map(([_, tasks]) =>
      Promise.all(tasks.map((image) => {
        const sweep = image.volume.sweeps[image.sweepIndex];
        const raw = sweep.moments[image.code]!.raw;
        return run(image, [raw.buffer as ArrayBuffer], { front: true });
      }))
    ),
  );
  return {
    ...result,
    products: Object.fromEntries(
      products.map(([product], i) => [product, images[i]]),
    ),
    renderMs: performance.now() - started,
  };
}

/**
 * Decodes the pieces on workers, keeping only the moments of the task's
 * products, assembles the volume and prepares its image tasks. Returns
 * null when the pieces do not join exactly (see {@linkcode assemblePieces}). The
 * volume is not kept: once this returns, only the moments of the images
 * remain.
 */
async function decodePieces(
  run: Run,
  task: Level2Task,
  pieces: VolumePiece[],
): Promise<PreparedImages | null> {
  const moments = taskMoments(task);
  // Copies, so the whole file stays with the caller for the fallback.
  const decoded = await Promise.all(pieces.map((piece) => {
    const bytes = piece.bytes.slice();
    return run({
      kind: "level2Piece",
      bytes,
      offset: piece.offset,
      source: task.source,
      moments,
    }, [bytes.buffer]);
  }));
  const volume = assemblePieces(decoded, task.source);
  return volume === null ? null : prepareImages(volume, task);
}

/** The image tasks of a volume, per product, and the result around them. */
interface PreparedImages {
  result: Omit<RenderedInput, "renderMs">;
  products: [Product, Level2ImageTask[]][];
}

/**
 * Plans the images of `task` and makes their tasks. The tasks keep only
 * the moments they draw, so the rest of the volume can be collected once
 * this returns.
 *
 * @throws {RangeError | TypeError} See {@linkcode planLevel2}.
 */
function prepareImages(volume: Volume, task: Level2Task): PreparedImages {
  const plan = planLevel2(volume, task);
  return {
    result: level2Result(volume, {}, plan.warnings),
    products: plan.images.map(([product, indices]) => {
      const code = LEVEL2_PRODUCT_MOMENTS[product]!;
      return [
        product,
        indices.map((sweepIndex, k) => ({
          kind: "level2Image",
          volume: volumeForImage(volume, sweepIndex, code),
          sweepIndex,
          code,
          imageIndex: k,
          resolutionM: task.resolutionM,
        })),
      ];
    }),
  };
}

/**
 * Returns the volume with only the moment one image draws, so that
 * posting it to a worker copies that moment's codes and no others. The
 * radial times, angles and statuses of every sweep still go along (some
 * kilobytes a sweep), because the image's metadata ranks its sweep among
 * them.
 */
function volumeForImage(
  volume: Volume,
  sweepIndex: number,
  code: MomentCode,
): Volume {
  return {
    ...volume,
    warnings: [],
    sweeps: volume.sweeps.map((sweep) => ({
      ...sweep,
      moments: sweep.index === sweepIndex
        ? { [code]: sweep.moments[code] }
        : {},
    })),
  };
}
