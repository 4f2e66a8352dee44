import assert from "node:assert/strict";
import { decodeVolume } from "../../../core/level2/decode.ts";
import {
  assemblePieces,
  cutAtRecords,
  decodePiece,
} from "../../../core/level2/pieces.ts";
import type { MomentCode } from "../../../core/radar/moment.ts";
import { checkVolume, CORPUS, readExpected } from "./expected_volume.ts";

const LEVEL2 = new URL("level2/", CORPUS);

const files = [...Deno.readDirSync(LEVEL2)]
  .filter((entry) => entry.isFile)
  .map((entry) => entry.name)
  .sort();

async function decodeInPieces(name: string, bytes: Uint8Array, count: number) {
  const pieces = cutAtRecords(bytes, count);
  if (pieces === null) return null;
  const decoded = await Promise.all(
    pieces.map((piece) => decodePiece(piece, name)),
  );
  return { pieces, volume: assemblePieces(decoded, name) };
}

// The corpus files of bzip2 LDM records over 512 KB (MANIFEST.md: "inside:
// bzip2 LDM records"). The others are gzip, whole-file bzip2 or smaller.
const CUT_FILES = [
  "KCRP20170826_044114_V06_3sweeps",
  "KCRP20210101_000031_V06",
  "KDMX20220305_232324_V06_3sweeps",
  "KDMX20250101_225441_V06",
  "KDMX20250314_175512_V06_3sweeps",
  "KDMX20260101_154351_V06",
  "KLOT20220317_000842_V06",
  "KLWX20180302_115347_V06_3sweeps",
  "KTLX20190525_222419_V06_3sweeps",
  "KTLX20190715_120037_V06",
  "Level2_KFTG_20150430_1419.ar2v",
];

Deno.test("cutAtRecords() cuts every large record file", () => {
  const cut = files.filter((name) =>
    cutAtRecords(Deno.readFileSync(new URL(name, LEVEL2)), 2) !== null
  );
  assert.deepEqual(cut, CUT_FILES);
});

// Each of them decodes, piece by piece, to the volume of a whole-file
// decode (sweeps, moments, codes and warnings) and to the values the
// reference decoders agreed on (expected/level2/).
for (const name of CUT_FILES) {
  Deno.test(`pieces of ${name} join into the whole volume`, async () => {
    const bytes = Deno.readFileSync(new URL(name, LEVEL2));
    const whole = await decodeVolume(bytes, { source: name });
    for (const count of [2, 3]) {
      const joined = await decodeInPieces(name, bytes, count);
      assert.ok(joined !== null, `${count} pieces`);
      assert.equal(joined.pieces.length, count);
      assert.deepEqual(joined.volume, whole, `${count} pieces`);
      checkVolume(joined.volume, readExpected(name));
    }
  });
}

Deno.test("cutAtRecords() cuts whole records of about equal size", () => {
  const bytes = Deno.readFileSync(
    new URL("KLOT20220317_000842_V06", LEVEL2),
  );
  const pieces = cutAtRecords(bytes, 3)!;
  assert.equal(pieces.length, 3);
  assert.equal(pieces[0].offset, 0);
  const view = new DataView(bytes.buffer);
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) {
      // A record starts here: its length, then a bzip2 stream ("BZh").
      assert.equal(new TextDecoder().decode(piece.bytes.subarray(4, 7)), "BZh");
      const length = Math.abs(view.getInt32(piece.offset));
      assert.ok(piece.offset + 4 + length <= bytes.length);
    }
    const share = piece.bytes.length / bytes.length;
    assert.ok(share > 0.2, `piece ${i}: ${share}`);
    assert.ok(share < 0.45, `piece ${i}: ${share}`);
  }
  assert.equal(
    pieces.reduce((sum, piece) => sum + piece.bytes.length, 0),
    bytes.length,
  );
});

Deno.test("cutAtRecords() leaves other wrappers whole", () => {
  for (
    const name of [
      "KTLX20100501_000444_V03.gz", // gzip
      "KLOT20030101_000921.bz2", // whole-file bzip2
      "Level2_KATX_20130717_1950_truncated.ar2v", // 118 KB: too small
    ]
  ) {
    const bytes = Deno.readFileSync(new URL(name, LEVEL2));
    assert.equal(cutAtRecords(bytes, 2), null, name);
  }
});

/** Lists the LDM records of a file: offset, and length with the header. */
function records(bytes: Uint8Array): { at: number; length: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const found = [];
  for (let at = 24; at + 8 <= bytes.length;) {
    const length = 4 + Math.abs(view.getInt32(at));
    found.push({ at, length });
    at += length;
  }
  return found;
}

/** Rewrites the file with its records in the given order. */
function reorder(bytes: Uint8Array, order: number[]): Uint8Array {
  const all = records(bytes);
  const parts = [
    bytes.subarray(0, 24),
    ...order.map((i) => bytes.subarray(all[i].at, all[i].at + all[i].length)),
  ];
  const out = new Uint8Array(bytes.length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

Deno.test("decodePiece() counts warning offsets in the file", async () => {
  // KDMX20250314_175512_V06_3sweeps with its last record cut short by
  // 1,000 bytes: the decoder warns at the record's offset in the file.
  const bytes = Deno.readFileSync(
    new URL("KDMX20250314_175512_V06_3sweeps", LEVEL2),
  ).subarray(0, -1000);
  const whole = await decodeVolume(bytes, { source: "cut" });
  const pieces = cutAtRecords(bytes, 2)!;
  const last = await decodePiece(pieces[1], "cut");
  assert.ok(whole.warnings.length > 0);
  assert.deepEqual(last.warnings, whole.warnings);
  assert.ok(whole.warnings[0].offset > pieces[1].offset);
});

Deno.test("assemblePieces() declines damaged pieces", async () => {
  const bytes = Deno.readFileSync(
    new URL("KDMX20250314_175512_V06_3sweeps", LEVEL2),
  ).subarray(0, -1000);
  const joined = await decodeInPieces("cut", bytes, 2);
  assert.equal(joined!.volume, null);
});

Deno.test("assemblePieces() declines metadata after the start", async () => {
  // The metadata record (message 5 and others) moved to the end: a whole
  // decode still reads the coverage pattern, the first piece would not.
  const original = Deno.readFileSync(
    new URL("KDMX20250314_175512_V06_3sweeps", LEVEL2),
  );
  const count = records(original).length;
  const order = [...Array(count).keys()].slice(1).concat(0);
  const joined = await decodeInPieces("moved", reorder(original, order), 2);
  assert.equal(joined!.volume, null);
});

Deno.test("assemblePieces() joins swapped records exactly or not", async () => {
  // Each pair of neighbouring radial records swapped: the pieces either
  // join into the whole-file volume or are declined, never different.
  const original = Deno.readFileSync(
    new URL("KDMX20250314_175512_V06_3sweeps", LEVEL2),
  );
  const count = records(original).length;
  let declined = 0;
  let joinedCount = 0;
  for (let i = 1; i + 1 < count; i++) {
    const order = [...Array(count).keys()];
    [order[i], order[i + 1]] = [order[i + 1], order[i]];
    const bytes = reorder(original, order);
    const whole = await decodeVolume(bytes, { source: "swapped" });
    for (const pieces of [2, 3]) {
      const joined = await decodeInPieces("swapped", bytes, pieces);
      if (joined!.volume === null) {
        declined++;
        continue;
      }
      assert.deepEqual(joined!.volume, whole, `records ${i}, ${i + 1}`);
      joinedCount++;
    }
  }
  assert.ok(declined > 0);
  assert.ok(joinedCount > 0);
});

Deno.test("decodePiece() keeps only the moments asked for", async () => {
  const bytes = Deno.readFileSync(new URL("KTLX20190715_120037_V06", LEVEL2));
  const [first] = cutAtRecords(bytes, 2)!;
  const all = await decodePiece(first, "all");
  assert.ok(Object.keys(all.fragments[0].moments).length > 1);
  const momentSets: MomentCode[][] = [["REF"], ["VEL", "RHO"]];
  for (const codes of momentSets) {
    const filtered = await decodePiece(first, codes.join(), codes);
    assert.equal(filtered.fragments.length, all.fragments.length);
    for (const [i, fragment] of filtered.fragments.entries()) {
      const expected = codes.filter((code) => all.fragments[i].moments[code]);
      assert.deepEqual(Object.keys(fragment.moments), expected);
      for (const code of expected) {
        assert.deepEqual(
          fragment.moments[code],
          all.fragments[i].moments[code],
        );
      }
    }
  }
});
