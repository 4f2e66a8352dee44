/**
 * A worker for the pool tests: doubles numbers, throws for "throw",
 * crashes the worker for "crash" and never answers for "hang".
 *
 * @module
 */

/// <reference lib="deno.worker" />

self.onmessage = (event: MessageEvent<{ id: number; task: unknown }>) => {
  const { id, task } = event.data;
  if (task === "throw") {
    self.postMessage({
      id,
      error: { name: "DecodeError", message: "Bad task", offset: 24 },
    });
  } else if (task === "crash") {
    setTimeout(() => {
      throw new Error("Worker died");
    });
  } else if (task === "hang") {
    // No reply: the pool's time limit ends it.
  } else {
    self.postMessage({ id, result: (task as number) * 2 });
  }
};
