import assert from "node:assert/strict";
import {
  copyIn,
  copyOut,
  refill,
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

Deno.test("refill() writes over a buffer only input of its own length", () => {
  const [same, longer, shorter, copy] = withWasm((wasm) => {
    const pointer = copyIn(wasm, new Uint8Array([1, 2, 3, 4]));
    try {
      return [
        refill(wasm, pointer, [new Uint8Array([5]), new Uint8Array([6, 7, 8])]),
        refill(wasm, pointer, [new Uint8Array(5)]),
        refill(wasm, pointer, [new Uint8Array(3)]),
        copyOut(wasm, pointer),
      ];
    } finally {
      releaseBuffer(wasm, pointer);
    }
  });
  assert.deepEqual([same, longer, shorter], [true, false, false]);
  assert.deepEqual(copy, new Uint8Array([5, 6, 7, 8]));
});
