import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { level2FileInputs } from "../../jobs/level2.ts";
import { type JobLog, logDecodeWarnings } from "../../jobs/log.ts";

// Local inputs of `deno task l2 --file`: the real-time chunk files of one
// volume become one input. The reference for the joined bytes is
// expected/level2/KLOT_20190617_181704_V06.json, whose authors read the
// chunk set with Py-ART and MetPy concatenated in name order and recorded
// the SHA-256 and size of that concatenation.

const LEVEL2 = new URL("../../../shared/data/nexrad/level2/", import.meta.url);
const SET = new URL("chunks/KLOT_20190617_181704_V06/", LEVEL2).pathname;
const PARTIAL = new URL("chunks/KLOT_20201019_054806_V06_partial/", LEVEL2)
  .pathname;
const VOLUME = new URL("KTLX20170101_030027_V06", LEVEL2).pathname;
const EXPECTED = new URL(
  "../../../shared/data/nexrad/expected/level2/KLOT_20190617_181704_V06.json",
  import.meta.url,
);

function chunkPaths(folder: string): string[] {
  return [...Deno.readDirSync(folder)].map((entry) => folder + entry.name)
    .sort();
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

Deno.test("level2FileInputs() joins a chunk set in sequence order", async () => {
  const expected = JSON.parse(await Deno.readTextFile(EXPECTED));
  // Shuffled, with a whole volume between the chunks.
  const chunks = chunkPaths(SET).reverse();
  const inputs = level2FileInputs([
    ...chunks.slice(0, 20),
    VOLUME,
    ...chunks.slice(20),
  ]);

  assert.equal(inputs.length, 2);
  assert.equal(inputs[0].source, `${SET}20190617-181704 (43 chunks)`);
  assert.equal(inputs[1].source, VOLUME);
  assert.ok(inputs.every((input) => input.local && input.prefix === null));

  const joined = await inputs[0].read();
  assert.equal(joined.length, expected.size_concatenated);
  assert.equal(sha256(joined), expected.sha256_concatenated);
  assert.deepEqual(await inputs[1].read(), await Deno.readFile(VOLUME));
  assert.equal(inputs[1].locate, undefined);
});

Deno.test("level2FileInputs() names the chunk that holds an offset", async () => {
  const paths = chunkPaths(PARTIAL);
  const [input] = level2FileInputs(paths);
  await input.read();
  // Hand calculation from the chunk sizes: chunk 16 starts where the 15
  // before it end.
  const sizes = paths.map((path) => Deno.statSync(path).size);
  const start16 = sizes.slice(0, 15).reduce((sum, size) => sum + size);
  assert.equal(input.locate!(0), "20201019-054806-001-S at byte 0");
  assert.equal(
    input.locate!(sizes[0]),
    "20201019-054806-002-I at byte 0",
  );
  assert.equal(
    input.locate!(start16 + 1234),
    "20201019-054806-016-I at byte 1234",
  );

  // A decoder warning logs both offsets.
  const lines: string[] = [];
  const log: JobLog = {
    info() {},
    progress() {},
    warn: (line) => lines.push(line),
    error() {},
  };
  logDecodeWarnings(log, "KLOT", input, [
    { source: input.source, offset: start16 + 5, message: "Cut short" },
  ]);
  assert.deepEqual(lines, [
    `site=KLOT key=${input.source} messageType=unknown offset=${
      start16 + 5
    } (20201019-054806-016-I at byte 5): Cut short`,
  ]);
});

Deno.test("level2FileInputs() rejects a chunk set with a gap", async () => {
  const paths = chunkPaths(SET);
  const cases: [string[], RegExp][] = [
    [
      paths.filter((_, i) => i !== 4 && i !== 6),
      /20190617-181704 cannot be joined: chunks 5, 7 are missing/,
    ],
    [paths.slice(1, 9), /cannot be joined: chunk 1 is missing/],
    [[paths[0], paths[1], paths[1]], /has chunk 2 twice/],
  ];
  for (const [given, message] of cases) {
    const [input] = level2FileInputs(given);
    await assert.rejects(() => input.read(), message);
  }
});

Deno.test("level2FileInputs() keeps chunk sets of other folders apart", () => {
  const inputs = level2FileInputs([
    `${SET}20190617-181704-001-S`,
    "/elsewhere/20190617-181704-002-I",
    `${SET}20190617-181704-002-I`,
    `${SET}20190617-183000-001-S`,
  ]);
  assert.deepEqual(inputs.map((input) => input.source), [
    `${SET}20190617-181704 (2 chunks)`,
    "/elsewhere/20190617-181704 (1 chunk)",
    `${SET}20190617-183000 (1 chunk)`,
  ]);
});
