import assert from "node:assert/strict";
import { encodeJson, ifNoneMatch } from "../../api/responses.ts";

Deno.test("encodeJson() sorts object keys at every depth", () => {
  assert.equal(
    encodeJson({ b: 1, a: { d: [{ z: 0, y: 1 }], c: null } }),
    '{"a":{"c":null,"d":[{"y":1,"z":0}]},"b":1}\n',
  );
});

Deno.test("encodeJson() keeps the order of a Map", () => {
  const list = new Map([
    ["KPDT20250321_011048_V06", { sweeps: 2 }],
    ["KOTX20250321_010000_V06", { sweeps: 1 }],
  ]);
  assert.equal(
    encodeJson({ reflectivity: list }),
    '{"reflectivity":{"KPDT20250321_011048_V06":{"sweeps":2},' +
      '"KOTX20250321_010000_V06":{"sweeps":1}}}\n',
  );
});

Deno.test("ifNoneMatch() compares entity tags weakly", () => {
  const etag = '"abc"';
  assert.equal(ifNoneMatch(undefined, etag), false);
  assert.equal(ifNoneMatch('"abc"', etag), true);
  assert.equal(ifNoneMatch('W/"abc"', etag), true);
  assert.equal(ifNoneMatch('"x", "abc"', etag), true);
  assert.equal(ifNoneMatch("*", etag), true);
  assert.equal(ifNoneMatch('"abcd"', etag), false);
  assert.equal(ifNoneMatch("abc", etag), false);
});
