import assert from "node:assert/strict";
import { ChunkedVolume, parseChunkName } from "../../../core/level2/chunks.ts";
import { checkVolume, CORPUS, readExpected } from "./expected_volume.ts";

const CHUNKS = new URL("level2/chunks/", CORPUS);

const sets = [...Deno.readDirSync(CHUNKS)]
  .filter((entry) => entry.isDirectory)
  .map((entry) => entry.name)
  .sort();

function readSet(set: string): { name: string; bytes: Uint8Array }[] {
  const folder = new URL(`${set}/`, CHUNKS);
  return [...Deno.readDirSync(folder)]
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, bytes: Deno.readFileSync(new URL(name, folder)) }));
}

// Each chunk set of the corpus, fed chunk by chunk in name order, against
// the values the three reference decoders agreed on for the whole set
// (expected/level2/<set>.json).
for (const set of sets) {
  Deno.test(`ChunkedVolume matches expected values of ${set}`, async () => {
    const volume = new ChunkedVolume(set);
    for (const chunk of readSet(set)) await volume.add(chunk.name, chunk.bytes);
    checkVolume(volume.volume(), readExpected(set));
  });
}

Deno.test("ChunkedVolume marks sweeps complete as chunks arrive", async () => {
  // KLOT_20190617_181704_V06: sweep 1 (720 radials of 120 per chunk) ends
  // with its end-of-elevation radial in a later I chunk (expected file:
  // radial status 2 on its last radial).
  const chunks = readSet("KLOT_20190617_181704_V06");
  const volume = new ChunkedVolume("KLOT_20190617_181704_V06");
  await volume.add(chunks[0].name, chunks[0].bytes);
  await volume.add(chunks[1].name, chunks[1].bytes);
  const early = volume.volume();
  assert.equal(early.sweeps.length, 1);
  assert.equal(early.sweeps[0].azimuthsDeg.length, 120);
  assert.equal(early.sweeps[0].complete, false);
  assert.equal(volume.complete, false);

  for (const chunk of chunks.slice(2, 8)) {
    await volume.add(chunk.name, chunk.bytes);
  }
  const later = volume.volume();
  assert.equal(later.sweeps[0].azimuthsDeg.length, 720);
  assert.equal(later.sweeps[0].complete, true);
  assert.equal(later.complete, false);
});

Deno.test("ChunkedVolume is complete after the E chunk", async () => {
  const volume = new ChunkedVolume("TORD_20260811_225858_V08");
  const chunks = readSet("TORD_20260811_225858_V08");
  for (const chunk of chunks.slice(0, -1)) {
    await volume.add(chunk.name, chunk.bytes);
  }
  assert.equal(volume.complete, false);
  const last = chunks.at(-1)!;
  await volume.add(last.name, last.bytes);
  assert.equal(volume.complete, true);
  assert.equal(volume.volume().complete, true);
});

Deno.test("ChunkedVolume gives the same volume for any arrival order", async () => {
  const set = "KLOT_20190617_181704_V06";
  const reversed = new ChunkedVolume(set);
  for (const chunk of readSet(set).reverse()) {
    await reversed.add(chunk.name, chunk.bytes);
  }
  checkVolume(reversed.volume(), readExpected(set));
});

Deno.test("ChunkedVolume keeps sweeps apart across a missing chunk", async () => {
  // Chunk 3 of KLOT_20190617_181704_V06 is left out: the first sweep's
  // radials before and after it must not be joined into one sweep.
  const set = "KLOT_20190617_181704_V06";
  const volume = new ChunkedVolume(set);
  for (const chunk of readSet(set).slice(0, 6)) {
    if (!chunk.name.includes("-003-")) {
      await volume.add(chunk.name, chunk.bytes);
    }
  }
  const partial = volume.volume();
  assert.equal(partial.sweeps[0].elevationNumber, 1);
  assert.equal(partial.sweeps[1].elevationNumber, 1);
  assert.ok(partial.warnings.some((w) => w.message.includes("Chunks 3")));
  assert.equal(volume.complete, false);
});

Deno.test("parseChunkName() reads sequence and type", () => {
  assert.deepEqual(parseChunkName("KTLX/20260811-225858-049-E"), {
    volumeId: "20260811-225858",
    sequence: 49,
    type: "E",
  });
  assert.equal(parseChunkName("20260811-225858-049-X"), null);
});

Deno.test("ChunkedVolume.add() rejects a name that is not a chunk name", async () => {
  await assert.rejects(
    new ChunkedVolume().add("KTLX20260811_225858_V06", new Uint8Array(0)),
    TypeError,
  );
});
