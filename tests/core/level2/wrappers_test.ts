import assert from "node:assert/strict";
import { gunzip, joinParts } from "../../../core/level2/wrappers.ts";

import { CORPUS } from "./expected_volume.ts";

const LEVEL2 = new URL("level2/", CORPUS);

/** Inflates with the web platform's DecompressionStream, not our code. */
async function inflateIndependently(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

Deno.test("gunzip() inflates a whole gzip file in one piece", async () => {
  const file = Deno.readFileSync(new URL("KABR20050101_000745.gz", LEVEL2));
  const expected = await inflateIndependently(file);
  const inflated = await gunzip(file);
  assert.equal(inflated.error, null);
  assert.equal(inflated.length, expected.length);
  assert.deepEqual(joinParts(inflated.parts), expected);
});

Deno.test("gunzip() keeps the bytes inflated before a cut", async () => {
  const file = Deno.readFileSync(new URL("KABR20050101_000745.gz", LEVEL2));
  const whole = await inflateIndependently(file);
  const inflated = await gunzip(file.subarray(0, file.length >> 1));
  assert.notEqual(inflated.error, null);
  // Half of the compressed bytes inflate to some of the output, all of it
  // a prefix of the whole file's output.
  assert.ok(inflated.length > 0);
  assert.ok(inflated.length < whole.length);
  assert.deepEqual(
    joinParts(inflated.parts),
    whole.subarray(0, inflated.length),
  );
});

// A gzip bomb (1 GiB of zeros is 1 MB of gzip, 2.6 KB gzipped twice)
// must not fill memory: inflation stops at the limit. A small limit
// replaces the default 512 MiB so the test stays cheap.
const LIMIT = 1 << 20;

Deno.test("gunzip() gives up on a whole stream over the limit", async () => {
  const file = Deno.readFileSync(new URL("KABR20050101_000745.gz", LEVEL2));
  assert.ok((await inflateIndependently(file)).length > LIMIT);
  const inflated = await gunzip(file, LIMIT);
  assert.equal(inflated.length, 0);
  assert.deepEqual(inflated.parts, []);
  assert.match(inflated.error ?? "", /exceeds 1048576 bytes/);
});

Deno.test("gunzip() gives up on a cut stream over the limit", async () => {
  const file = Deno.readFileSync(new URL("KABR20050101_000745.gz", LEVEL2));
  const inflated = await gunzip(file.subarray(0, file.length >> 1), LIMIT);
  assert.equal(inflated.length, 0);
  assert.match(inflated.error ?? "", /exceeds 1048576 bytes/);
});
