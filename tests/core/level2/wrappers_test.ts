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
  assert.ok(inflated.length > 0 && inflated.length < whole.length);
  assert.deepEqual(
    joinParts(inflated.parts),
    whole.subarray(0, inflated.length),
  );
});
