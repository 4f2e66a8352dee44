/**
 * A fixed-size pool of Web Workers that run one task each at a time. It
 * keeps decoding and rendering off the main thread (so the API in the same
 * process stays responsive) and spreads them over the machine's cores.
 *
 * A worker that crashes or exceeds the time limit is terminated and
 * replaced; only the task it was running fails.
 *
 * Messages: the pool posts `{ id, task }`, and the worker replies with
 * `{ id, result }` or `{ id, error: { name, message } }`.
 *
 * @module
 */

/** An error raised inside a worker, as the worker describes it. */
export interface WorkerErrorInfo {
  name: string;
  message: string;
  /** Byte offset of a `DecodeError`. */
  offset?: number;
  /** ICD message type or packet code of a `DecodeError`. */
  messageType?: number;
}

/** An error raised inside a worker, rebuilt on the main thread. */
export class WorkerTaskError extends Error {
  /** Byte offset of a `DecodeError` in the worker, if it was one. */
  readonly offset?: number;
  /** Message type or packet code of that `DecodeError`. */
  readonly messageType?: number;

  constructor(info: WorkerErrorInfo) {
    super(info.message);
    this.name = info.name;
    this.offset = info.offset;
    this.messageType = info.messageType;
  }
}

/** Reply of a worker to one task. */
export type WorkerReply<R> =
  | { id: number; result: R }
  | { id: number; error: WorkerErrorInfo };

interface Job<T, R> {
  id: number;
  task: T;
  transfer: Transferable[];
  resolve(result: R): void;
  reject(error: Error): void;
}

interface Slot<T, R> {
  worker: Worker;
  job: Job<T, R> | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Options of {@linkcode WorkerPool}. */
export interface WorkerPoolOptions {
  /** Workers in the pool. @default {navigator.hardwareConcurrency} */
  size?: number;
  /** Time limit of one task, milliseconds; the worker is replaced after it. */
  timeoutMs?: number;
}

/** A pool of module workers running `url`. */
export class WorkerPool<T, R> {
  readonly size: number;
  #url: URL;
  #timeoutMs: number;
  #slots: Slot<T, R>[] = [];
  #queue: Job<T, R>[] = [];
  #nextId = 1;
  #closed = false;
  /** Tasks posted whose time limit is not set yet. */
  #untimed: { slot: Slot<T, R>; job: Job<T, R> }[] = [];
  #timing = false;

  constructor(url: URL, options: WorkerPoolOptions = {}) {
    this.#url = url;
    this.size = Math.max(1, options.size ?? navigator.hardwareConcurrency);
    this.#timeoutMs = options.timeoutMs ?? 300_000;
  }

  /**
   * Workers that would start a task at once: free ones and those not yet
   * started, less the tasks already waiting.
   */
  get idle(): number {
    const busy = this.#slots.filter((slot) => slot.job !== null).length;
    return Math.max(0, this.size - busy - this.#queue.length);
  }

  /**
   * Runs a task on the next free worker, moving the `transfer` buffers to
   * it. With `front`, the task goes before the tasks already waiting. When
   * `signal` aborts while the task waits, it leaves the queue and fails
   * with the signal's reason; once posted, it runs to its end.
   */
  run(
    task: T,
    transfer: Transferable[] = [],
    options: { front?: boolean; signal?: AbortSignal } = {},
  ): Promise<R> {
    if (this.#closed) {
      return Promise.reject(new Error("Cannot run a task: the pool is closed"));
    }
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<R>((resolve, reject) => {
      const job = { id: this.#nextId++, task, transfer, resolve, reject };
      if (options.front) this.#queue.unshift(job);
      else this.#queue.push(job);
      signal?.addEventListener("abort", () => {
        const waiting = this.#queue.indexOf(job);
        if (waiting < 0) return;
        this.#queue.splice(waiting, 1);
        reject(signal.reason);
      }, { once: true });
      this.#dispatch();
    });
  }

  /** Terminates the workers; queued tasks fail. */
  close(): void {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) {
      job.reject(new Error("The worker pool was closed"));
    }
    for (const slot of this.#slots) {
      slot.job?.reject(new Error("The worker pool was closed"));
      this.#stop(slot);
    }
    this.#slots = [];
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((candidate) => candidate.job === null);
      if (slot === undefined) {
        if (this.#slots.length >= this.size) return;
        slot = this.#spawn();
      }
      const job = this.#queue.shift()!;
      slot.job = job;
      try {
        slot.worker.postMessage({ id: job.id, task: job.task }, job.transfer);
      } catch (error) {
        // A task that cannot be posted (a detached or uncloneable buffer)
        // fails alone, because the worker never received it.
        this.#release(slot);
        job.reject(error as Error);
        continue;
      }
      this.#untimed.push({ slot, job });
    }
    // The time limits are set once every task of this turn is posted: a
    // thread's first timer took about 4 ms to set, which the workers need
    // not wait for.
    if (this.#untimed.length > 0 && !this.#timing) {
      this.#timing = true;
      queueMicrotask(() => this.#setTimers());
    }
  }

  #setTimers(): void {
    this.#timing = false;
    for (const { slot, job } of this.#untimed.splice(0)) {
      if (slot.job !== job || slot.timer !== null) continue;
      slot.timer = setTimeout(
        () =>
          this.#fail(
            slot,
            new Error(`Worker task timed out after ${this.#timeoutMs} ms`),
          ),
        this.#timeoutMs,
      );
    }
  }

  #spawn(): Slot<T, R> {
    const worker = new Worker(this.#url, { type: "module" });
    const slot: Slot<T, R> = { worker, job: null, timer: null };
    worker.onmessage = (event: MessageEvent<WorkerReply<R>>) => {
      const job = slot.job;
      if (job === null || event.data.id !== job.id) return;
      this.#release(slot);
      if ("error" in event.data) {
        job.reject(new WorkerTaskError(event.data.error));
      } else {
        job.resolve(event.data.result);
      }
      this.#dispatch();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#fail(slot, new Error(`Worker crashed: ${event.message}`));
    };
    worker.onmessageerror = () => {
      this.#fail(slot, new Error("Worker sent a message that cannot be read"));
    };
    this.#slots.push(slot);
    return slot;
  }

  /** Fails the slot's task and replaces its worker. */
  #fail(slot: Slot<T, R>, error: Error): void {
    const job = slot.job;
    this.#stop(slot);
    this.#slots = this.#slots.filter((candidate) => candidate !== slot);
    job?.reject(error);
    if (!this.#closed) this.#dispatch();
  }

  #release(slot: Slot<T, R>): void {
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
  }

  #stop(slot: Slot<T, R>): void {
    this.#release(slot);
    slot.worker.terminate();
  }
}
