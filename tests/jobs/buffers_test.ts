import assert from "node:assert/strict";
import { freeBuffers } from "../../jobs/buffers.ts";

Deno.test("freeBuffers() detaches each buffer once", () => {
  const shared = new ArrayBuffer(16);
  const first = new Uint8Array(shared, 0, 8);
  const second = new Float32Array(shared, 8, 2);
  const own = new Uint16Array(4);
  const moved = new Uint8Array(4);
  moved.buffer.transfer();

  freeBuffers([first, second, own, moved]);

  assert.equal(shared.detached, true);
  assert.equal(first.length, 0);
  assert.equal(second.length, 0);
  assert.equal(own.buffer.detached, true);
  assert.equal(own.length, 0);
});
