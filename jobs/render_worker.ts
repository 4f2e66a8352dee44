/**
 * Entry of the render workers (see `render_pool.ts`): runs one
 * {@linkcode RenderTask} per message and posts the images back, moving
 * their buffers instead of copying them.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { DecodeError } from "../core/errors.ts";
import type { WorkerErrorInfo, WorkerReply } from "./pool.ts";
import type { RenderedInput, RenderTask } from "./rendered.ts";
import { renderTask } from "./render_task.ts";

self.onmessage = async (
  event: MessageEvent<{ id: number; task: RenderTask }>,
) => {
  const { id, task } = event.data;
  let reply: WorkerReply<RenderedInput>;
  let transfer: ArrayBuffer[] = [];
  try {
    const result = await renderTask(task);
    reply = { id, result };
    // Each image's buffer once: a buffer listed twice cannot be moved.
    transfer = [
      ...new Set(
        Object.values(result.products).flatMap((images) =>
          images!.map((image) => image.png.buffer as ArrayBuffer)
        ),
      ),
    ];
  } catch (error) {
    reply = { id, error: describeError(error) };
  }
  self.postMessage(reply, transfer);
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
