/**
 * Entry of the render workers (see `render_pool.ts`): runs one
 * {@linkcode RenderTask} per message and posts the images back, moving
 * their buffers instead of copying them.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { DecodeError } from "../core/errors.ts";
import { freeBuffers, volumeArrays } from "./buffers.ts";
import type { WorkerErrorInfo, WorkerReply } from "./pool.ts";
import type { WorkerTask } from "./rendered.ts";
import { runWorkerTask } from "./render_task.ts";

self.onmessage = async (
  event: MessageEvent<{ id: number; task: WorkerTask }>,
) => {
  const { id, task } = event.data;
  let reply: WorkerReply<unknown>;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = await runWorkerTask(task);
    reply = { id, result: done.result };
    transfer = done.transfer;
  } catch (error) {
    reply = { id, error: describeError(error) };
  }
  self.postMessage(reply, transfer);
  // The task's buffers were moved or copied to this worker, so no other
  // thread uses them, and the posted reply does not refer to them.
  const inputs = task.kind === "level2Image"
    ? volumeArrays(task.volume)
    : [task.bytes];
  freeBuffers(inputs);
};

function describeError(error: unknown): WorkerErrorInfo {
  if (error instanceof DecodeError) {
    const { name, message, offset, messageType } = error;
    return { name, message, offset, messageType };
  }
  if (error instanceof Error) {
    return { name: error.name, message: error.message };
  }
  return { name: "Error", message: String(error) };
}
