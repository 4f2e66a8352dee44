import assert from "node:assert/strict";
import { resolveRange } from "../../api/range.ts";

// Expected ranges worked by hand from RFC 9110 section 14.1.2 for a
// 100-byte object: last-byte-pos is clamped to 99, a suffix of n bytes is
// the final n, and a first-byte-pos at or past the end is unsatisfiable.

Deno.test("resolveRange() resolves single byte ranges", () => {
  const cases: [string, number, number][] = [
    ["bytes=0-0", 0, 0],
    ["bytes=0-99", 0, 99],
    ["bytes=10-19", 10, 19],
    ["bytes=90-", 90, 99],
    ["bytes=50-1000", 50, 99],
    ["bytes=-10", 90, 99],
    ["bytes=-1000", 0, 99],
    [" bytes=1-2 ", 1, 2],
  ];
  for (const [header, start, end] of cases) {
    assert.deepEqual(resolveRange(header, 100), { start, end }, header);
  }
});

Deno.test("resolveRange() reports unsatisfiable ranges", () => {
  for (const header of ["bytes=100-", "bytes=100-200", "bytes=-0"]) {
    assert.equal(resolveRange(header, 100), "unsatisfiable", header);
  }
  assert.equal(resolveRange("bytes=0-", 0), "unsatisfiable");
});

Deno.test("resolveRange() ignores what it does not serve", () => {
  const ignored = [
    undefined,
    "",
    "bytes=-",
    "bytes=5-4",
    "bytes=0-1,5-6",
    "items=0-1",
    "bytes=a-b",
    "bytes=0x10-",
  ];
  for (const header of ignored) {
    assert.equal(resolveRange(header, 100), null, String(header));
  }
});
