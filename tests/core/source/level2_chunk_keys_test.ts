import assert from "node:assert/strict";
import {
  findNewestVolume,
  parseChunkKey,
  previousFolderNumber,
  volumeNumberOf,
} from "../../../core/source/level2_chunk_keys.ts";

// Key shapes of the unidata-nexrad-level2-chunks bucket: folders
// `SITE/NNN/`, NNN from 1 to 999 without leading zeros, holding chunks
// `YYYYMMDD-HHMMSS-NNN-T`, e.g. `KDFX/602/20190510-143508-028-I`.

Deno.test("volumeNumberOf() reads a site's folders only", () => {
  assert.equal(volumeNumberOf("KDFX", "KDFX/602/"), 602);
  assert.equal(volumeNumberOf("KDFX", "KDFX/1/"), 1);
  assert.equal(volumeNumberOf("KDFX", "KDFX/999/"), 999);
  for (
    const folder of [
      "KLOT/602/",
      "KDFX/0/",
      "KDFX/1000/",
      "KDFX/018/",
      "KDFX/602",
      "KDFX/60a/",
      "KDFX/README/",
    ]
  ) {
    assert.equal(volumeNumberOf("KDFX", folder), null, folder);
  }
});

Deno.test("parseChunkKey() takes chunks right in the folder", () => {
  assert.deepEqual(
    parseChunkKey("KDFX/602/", "KDFX/602/20190510-143508-028-I"),
    { volumeId: "20190510-143508", sequence: 28, type: "I" },
  );
  for (
    const key of [
      "KDFX/602/x/20190510-143508-028-I",
      "KDFX/602/20190510-143508-0028-I",
      "KDFX/602/20190510-143508-28-I",
      "KDFX/602/20190510-143508-000-S",
      "KDFX/602/20190510-143508-028-i",
      "KDFX/603/20190510-143508-028-I",
      "KDFX/602/20190510-143508-028-I.gz",
    ]
  ) {
    assert.equal(parseChunkKey("KDFX/602/", key), null, key);
  }
});

Deno.test("previousFolderNumber() goes round the cycle", () => {
  assert.equal(previousFolderNumber([5, 6, 7], 7), 6);
  assert.equal(previousFolderNumber([1, 2, 998, 999], 1), 999);
  assert.equal(previousFolderNumber([3, 5], 5), 3);
  assert.equal(previousFolderNumber([5], 5), null);
});

/** Finds the newest volume of folders whose volume starts are `times`. */
async function newest(times: Record<number, string | null>) {
  const listed: number[] = [];
  const found = await findNewestVolume(
    Object.keys(times).map(Number),
    (number) => {
      listed.push(number);
      return Promise.resolve(times[number] ?? null);
    },
  );
  return { found: found?.number ?? null, listed };
}

Deno.test("findNewestVolume() finds the newest around the cycle", async () => {
  // Times as `YYYYMMDD-HHMMSS`, a volume every 5 minutes.
  const day = (count: number, first: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, i) => {
        const minutes = i * 5;
        const time = `20260101-${
          String(Math.floor(minutes / 60)).padStart(2, "0")
        }${String(minutes % 60).padStart(2, "0")}00`;
        return [(first + i - 1) % 999 + 1, time];
      }),
    );
  assert.equal((await newest(day(3, 5))).found, 7);
  // 288 volumes from 850: 850 to 999, then 1 to 138.
  const wrapped = await newest(day(288, 850));
  assert.equal(wrapped.found, 138);
  assert.ok(wrapped.listed.length <= 10, `${wrapped.listed.length} listings`);
  // Folders 139 and 140 still hold volumes of the cycle before.
  assert.equal(
    (await newest({
      ...day(288, 850),
      139: "20251229-010000",
      140: "20251229-010500",
    })).found,
    138,
  );
  // Every folder present, the bucket keeping more than a cycle.
  const full = day(999, 400);
  assert.equal((await newest(full)).found, 399);
  // One volume in two folders, just before the newest.
  assert.equal(
    (await newest({
      1: "20190617-170000",
      2: "20190617-171000",
      3: "20190617-172000",
      4: "20190617-172000",
      5: "20190617-181704",
    })).found,
    5,
  );
  // A stale folder amid the day's: the end of the run of numbers wins.
  assert.equal(
    (await newest({ ...day(100, 1), 51: "20251229-010000" })).found,
    100,
  );
  // Gaps every ten folders, one stale folder: ten runs end.
  const gappy = Object.fromEntries(
    Object.entries(day(100, 1)).filter(([n]) => Number(n) % 10 !== 0),
  );
  assert.equal((await newest({ ...gappy, 51: "20251229-010000" })).found, 99);
  // Numbering that started again at 2 after 999, folder 1 stale.
  assert.equal(
    (await newest({
      ...Object.fromEntries(
        Object.entries(day(700, 300)).filter(([n]) => Number(n) >= 300),
      ),
      1: "20251201-000000",
      ...Object.fromEntries(
        Array.from({ length: 59 }, (_, i) => [i + 2, `20260105-00${i + 10}00`]),
      ),
    })).found,
    60,
  );
  // A folder without a volume (a stray key, or none left) is passed over.
  assert.equal((await newest({ ...day(10, 1), 11: null })).found, 10);
  assert.equal((await newest({ ...day(10, 2), 1: null })).found, 11);
  assert.equal((await newest({ 4: null, 9: null })).found, null);
  assert.equal((await newest({})).found, null);
});
