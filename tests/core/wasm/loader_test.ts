import assert from "node:assert/strict";
import {
  copyIn,
  copyOut,
  releaseBuffer,
  withWasm,
} from "../../../core/wasm/loader.ts";

Deno.test("copyIn() and copyOut() round-trip bytes", () => {
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
  const copy = withWasm((wasm) => {
    const pointer = copyIn(wasm, bytes);
    try {
      return copyOut(wasm, pointer);
    } finally {
      releaseBuffer(wasm, pointer);
    }
  });
  assert.deepEqual(copy, bytes);
});

Deno.test("copyOut() returns null for a null pointer", () => {
  assert.equal(withWasm((wasm) => copyOut(wasm, 0)), null);
});
