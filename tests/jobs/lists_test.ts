import assert from "node:assert/strict";
import {
  mergeList,
  publishEntries,
  setUpdateFlag,
  updateJson,
} from "../../jobs/lists.ts";
import { MemoryStore } from "./_memory_store.ts";

Deno.test("mergeList() keeps the larger sweeps of a prefix", () => {
  // A pass that read the list before another published 5 images must not
  // bring the entry back to its 2.
  const current = { KLOT20190617_181704_V06: { sweeps: 5 } };
  assert.deepEqual(
    mergeList(current, { KLOT20190617_181704_V06: { sweeps: 2 } }, 240),
    { KLOT20190617_181704_V06: { sweeps: 5 } },
  );
  assert.deepEqual(
    mergeList(current, { KLOT20190617_181704_V06: { sweeps: 8 } }, 240),
    { KLOT20190617_181704_V06: { sweeps: 8 } },
  );
});

Deno.test("mergeList() keeps each site's window in time order", () => {
  const merged = mergeList(
    {
      KPDT20250321_010412_V06: { sweeps: 16 },
      KPDT20250320_210000_V06: { sweeps: 16 }, // 4 h before the newest
      KTLX20130520_190000_V06: { sweeps: 14 }, // another site's own window
      Level2_KPDT_20250321_0104: { sweeps: 3 }, // no parsable time
    },
    { KPDT20250321_001001_V06: { sweeps: 12 } },
    180,
  );
  // Oldest first, as the API orders several sites in one list.
  assert.deepEqual(Object.keys(merged), [
    "KTLX20130520_190000_V06",
    "KPDT20250321_001001_V06",
    "KPDT20250321_010412_V06",
  ]);
  assert.deepEqual(merged.KPDT20250321_001001_V06, { sweeps: 12 });
});

Deno.test("mergeList() drops malformed entries", () => {
  const current = JSON.parse(
    '{"KPDT20250321_010412_V06":{"sweeps":0},"KPDT20250321_011048_V06":[1]}',
  );
  assert.deepEqual(mergeList(current, {}, 180), {});
});

Deno.test("updateJson() loses no update among concurrent writers", async () => {
  const store = new MemoryStore();
  const writers = Array.from({ length: 12 }, (_, i) =>
    publishEntries(
      store,
      "lists/nexrad_level2_reflectivity_files.json",
      {
        [`KPDT20250321_0100${String(i).padStart(2, "0")}_V06`]: {
          sweeps: i + 1,
        },
      },
      180,
    ));
  await Promise.all(writers);
  const list = store.json(
    "lists/nexrad_level2_reflectivity_files.json",
  ) as object;
  assert.equal(Object.keys(list).length, 12);
});

Deno.test("setUpdateFlag() keeps what a POST to /flag/ wrote", async () => {
  const store = new MemoryStore();
  await updateJson(store, "flags/update_flags.json", () => ({
    updated: 0,
    updates: { reflectivity: 0, hydrometeor: 0 },
  }));
  await Promise.all([
    setUpdateFlag(store, "reflectivity"),
    setUpdateFlag(store, "precipitation"),
  ]);
  assert.deepEqual(store.json("flags/update_flags.json"), {
    updated: 0,
    updates: { reflectivity: 1, hydrometeor: 0, precipitation: 1 },
  });
});
