import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { relative as relativePath } from "node:path";
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

Deno.test("level2FileInputs() names the chunk that contains an offset", async () => {
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
    [
      [paths[0], paths[42]],
      /chunks 2 to 42 are missing/,
    ],
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

Deno.test("level2FileInputs() joins a chunk given twice or by two paths once", async () => {
  const paths = chunkPaths(SET);
  // The same files by a path relative to the working folder.
  const relative = paths.map((path) => "./" + relativePath(Deno.cwd(), path));
  const inputs = level2FileInputs([
    ...paths.slice(0, 20),
    paths[3],
    ...relative.slice(10),
  ]);
  assert.equal(inputs.length, 1);
  assert.equal(inputs[0].source, `${SET}20190617-181704 (43 chunks)`);
  const joined = await inputs[0].read();
  assert.equal(
    inputs[0].locate!(joined.length),
    "the end of 20190617-181704-043-E",
  );
  assert.equal(
    inputs[0].locate!(joined.length + 1),
    "outside the joined chunks",
  );
  assert.equal(inputs[0].locate!(-1), "outside the joined chunks");
});

Deno.test("level2FileInputs() rejects chunks that do not join", async () => {
  const paths = chunkPaths(SET);
  const folder = await Deno.makeTempDir({ prefix: "level2_files_test_" });
  const copy = async (from: number, to: string, bytes?: Uint8Array) => {
    await Deno.writeFile(
      `${folder}/${to}`,
      bytes ?? await Deno.readFile(paths[from]),
    );
    return `${folder}/${to}`;
  };
  await Deno.mkdir(`${folder}/x`);
  await Deno.mkdir(`${folder}/t`);
  try {
    const chunk1 = await copy(0, "20190617-181704-001-S");
    const chunk2 = await copy(1, "20190617-181704-002-I");
    const cases: [string[], RegExp][] = [
      [[chunk1, await copy(0, "20190617-181704-0001-S")], /are both chunk 1/],
      [[await copy(0, "20190617-181704-000-S"), chunk1], /is chunk 0/],
      [
        [chunk1, chunk2, await copy(0, "20190617-181704-003-S")],
        /only chunk 1 can be/,
      ],
      [
        [
          chunk1,
          await copy(1, "20190617-181704-002-E"),
          await copy(2, "20190617-181704-003-I"),
        ],
        /ends the volume, but chunks after it follow/,
      ],
      [
        [
          await copy(0, "x/20190617-181704-001-S"),
          await copy(1, "x/20190617-181704-002-I", new Uint8Array()),
          await copy(2, "x/20190617-181704-003-I"),
        ],
        /x\/20190617-181704-002-I is empty/,
      ],
      [
        [
          await copy(0, "t/20190617-181704-001-S"),
          await copy(
            1,
            "t/20190617-181704-002-I",
            (await Deno.readFile(paths[1])).subarray(0, 1000),
          ),
          await copy(2, "t/20190617-181704-003-I"),
        ],
        /002-I is cut short: its LDM record at byte 0 declares 163663 bytes, 996 follow/,
      ],
      [
        [await copy(0, "20201019-054806-001-S")],
        /contains the volume header of 20190617-181704, not of 20201019-054806/,
      ],
    ];
    for (const [given, message] of cases) {
      const inputs = level2FileInputs(given);
      assert.equal(inputs.length, 1, given.join(" "));
      await assert.rejects(() => inputs[0].read(), message);
    }
    // The last chunk may be cut short, as a file may: the decoder warns.
    await Deno.mkdir(`${folder}/u`);
    const [cut] = level2FileInputs([
      await copy(0, "u/20190617-181704-001-S"),
      await copy(1, "u/20190617-181704-002-I"),
      await copy(
        2,
        "u/20190617-181704-003-I",
        (await Deno.readFile(paths[2])).subarray(0, 1000),
      ),
    ]);
    const joined = await cut.read();
    assert.equal(
      joined.length,
      Deno.statSync(paths[0]).size + Deno.statSync(paths[1]).size + 1000,
    );

    // Sets with a prefix stay apart from sets without one.
    assert.equal(
      level2FileInputs([chunk1, `${folder}/KDFX20190617-181704-001-S`]).length,
      2,
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
