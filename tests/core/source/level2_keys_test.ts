import assert from "node:assert/strict";
import {
  level2DayPrefixes,
  parseLevel2Key,
  selectLevel2Keys,
} from "../../../core/source/level2_keys.ts";

// Key shapes are those of the unidata-nexrad-level2 bucket: current
// objects, `.gz` objects of 2008-2016, pre-2008 names without `_Vnn`, TDWR
// `T` sites, `_MDM` model-data objects and `.001` late copies.

Deno.test("parseLevel2Key() reads site, time and prefix", () => {
  const parsed = parseLevel2Key("2022/03/17/KLOT/KLOT20220317_000842_V06");
  assert.ok(parsed);
  assert.equal(parsed.siteId, "KLOT");
  assert.equal(parsed.time.toISOString(), "2022-03-17T00:08:42.000Z");
  assert.equal(parsed.prefix, "KLOT20220317_000842_V06");
  assert.equal(parsed.copy, false);
});

Deno.test("parseLevel2Key() accepts .gz and pre-2008 names", () => {
  const gz = parseLevel2Key("2013/02/06/KLSX/KLSX20130206_175044_V06.gz");
  assert.equal(gz?.prefix, "KLSX20130206_175044_V06");
  const compressed = parseLevel2Key("1999/05/03/KTLX/KTLX19990503_235621.Z");
  assert.equal(compressed?.prefix, "KTLX19990503_235621_V00");
  const old = parseLevel2Key("2005/01/01/KABR/KABR20050101_000745.gz");
  assert.equal(old?.prefix, "KABR20050101_000745_V00");
  assert.equal(old?.time.toISOString(), "2005-01-01T00:07:45.000Z");
});

Deno.test("parseLevel2Key() accepts TDWR sites", () => {
  const parsed = parseLevel2Key("2019/10/21/TDAL/TDAL20191021_021543_V08");
  assert.equal(parsed?.siteId, "TDAL");
  assert.equal(parsed?.prefix, "TDAL20191021_021543_V08");
});

Deno.test("parseLevel2Key() rejects MDM objects and other names", () => {
  const rejected = [
    "2022/03/17/KLOT/KLOT20220317_000842_V06_MDM",
    "2022/03/17/KLOT/KLOT20220317_000842_V06.tmp",
    "2022/03/17/KLOT/KTLX20220317_000842_V06", // site differs from folder
    "2022/02/30/KLOT/KLOT20220230_000842_V06", // 30 February
    "2022/03/17/KLOT/",
    "KLOT20220317_000842_V06",
  ];
  for (const key of rejected) assert.equal(parseLevel2Key(key), null, key);
});

Deno.test("parseLevel2Key() marks .001 copies", () => {
  const parsed = parseLevel2Key(
    "2013/05/20/KTLX/KTLX20130520_201643_V06.gz.001",
  );
  assert.equal(parsed?.prefix, "KTLX20130520_201643_V06");
  assert.equal(parsed?.copy, true);
});

Deno.test("level2DayPrefixes() covers the days across midnight", () => {
  const prefixes = level2DayPrefixes(
    "KPDT",
    new Date("2025-03-20T22:30:00Z"),
    new Date("2025-03-21T01:30:00Z"),
  );
  assert.deepEqual(prefixes, ["2025/03/20/KPDT/", "2025/03/21/KPDT/"]);
});

Deno.test("level2DayPrefixes() lists one day for a window inside it", () => {
  const prefixes = level2DayPrefixes(
    "KTLX",
    new Date("2013-05-20T19:00:00Z"),
    new Date("2013-05-20T21:00:00Z"),
  );
  assert.deepEqual(prefixes, ["2013/05/20/KTLX/"]);
});

Deno.test("selectLevel2Keys() keeps the window and drops duplicates", () => {
  const keys = [
    "2025/03/20/KPDT/KPDT20250320_222001_V06", // before the window
    "2025/03/20/KPDT/KPDT20250320_223512_V06",
    "2025/03/20/KPDT/KPDT20250320_223512_V06_MDM",
    "2025/03/20/KPDT/KPDT20250320_235958_V06.001",
    "2025/03/20/KPDT/KPDT20250320_235958_V06",
    "2025/03/21/KPDT/KPDT20250321_000640_V06.gz",
    "2025/03/21/KPDT/KPDT20250321_011530_V06.001", // only a copy exists
    "2025/03/21/KPDT/KPDT20250321_013001_V06", // after the window
  ];
  const selected = selectLevel2Keys(
    keys,
    new Date("2025-03-20T22:30:00Z"),
    new Date("2025-03-21T01:30:00Z"),
  );
  assert.deepEqual(selected.map((s) => s.key), [
    "2025/03/20/KPDT/KPDT20250320_223512_V06",
    "2025/03/20/KPDT/KPDT20250320_235958_V06",
    "2025/03/21/KPDT/KPDT20250321_000640_V06.gz",
    "2025/03/21/KPDT/KPDT20250321_011530_V06.001",
  ]);
});
