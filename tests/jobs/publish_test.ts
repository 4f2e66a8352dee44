import assert from "node:assert/strict";
import { encodeJson } from "../../jobs/lists.ts";
import { applyRetention } from "../../jobs/publish.ts";
import { MemoryStore } from "./_memory_store.ts";

Deno.test("applyRetention() drops records older than the window", async () => {
  // The list's newest KLOT volume starts at 18:17, and a 240-minute window
  // keeps 14:17 on. The records of 12:00 go, those of 18:17 stay.
  const store = new MemoryStore();
  const put = (key: string, value: unknown) =>
    store.put(key, encodeJson(value), { contentType: "application/json" });
  const newest = "KLOT20190617_181704_V06";
  const old = "KLOT20190617_120004_V06";
  const record = { source: "s", sweeps: 1, publishedAt: "x" };
  await put("lists/nexrad_level2_reflectivity_files.json", {
    [newest]: { sweeps: 5 },
  });
  await put("partial/nexrad_level2_reflectivity_partial.json", {
    [old]: record,
    [newest]: record,
  });
  await put("failures/nexrad_level2_reflectivity_failures.json", {
    [old]: { source: "s", attempts: 1, error: "e", lastAttemptAt: "x" },
  });

  await applyRetention(store, {
    level: 2,
    products: ["reflectivity"],
    windowMinutes: 240,
    now: new Date("2019-06-17T18:40:00Z"),
  });
  assert.deepEqual(
    store.json("partial/nexrad_level2_reflectivity_partial.json"),
    { [newest]: record },
  );
  assert.deepEqual(
    store.json("failures/nexrad_level2_reflectivity_failures.json"),
    {},
  );
});
