import assert from "node:assert/strict";
import {
  level3DayPrefixes,
  parseLevel3Key,
  selectLevel3Keys,
} from "../../../core/source/level3_keys.ts";
import {
  icaoFromLevel3Id,
  level3IdOf,
  unknownSitesWarning,
} from "../../../core/source/sites.ts";

// Key shapes are those of the unidata-nexrad-level3 bucket:
// `SSS_PPP_YYYY_MM_DD_HH_MM_SS`, flat at the bucket root.

Deno.test("parseLevel3Key() normalises to ICAO prefixes", () => {
  const parsed = parseLevel3Key("PDT_N0H_2025_03_21_01_04_12");
  assert.ok(parsed);
  assert.equal(parsed.siteId, "KPDT");
  assert.equal(parsed.code, "N0H");
  assert.equal(parsed.time.toISOString(), "2025-03-21T01:04:12.000Z");
  assert.equal(parsed.prefix, "KPDT20250321_010412_N0H");
});

Deno.test("parseLevel3Key() keeps ids that are not K + 3 letters", () => {
  // Bethel (Alaska), Kauai (Hawaii), San Juan and the Denver TDWR.
  const cases = [
    ["ABC_N0B_2025_03_21_01_04_12", "PABC20250321_010412_N0B"],
    ["HKI_N0B_2025_03_21_01_04_12", "PHKI20250321_010412_N0B"],
    ["JUA_N0B_2025_03_21_01_04_12", "TJUA20250321_010412_N0B"],
    ["DEN_TZ0_2020_08_04_22_26_02", "TDEN20200804_222602_TZ0"],
  ];
  for (const [key, prefix] of cases) {
    assert.equal(parseLevel3Key(key)?.prefix, prefix, key);
  }
});

Deno.test("parseLevel3Key() rejects other names", () => {
  const rejected = [
    "PDT/N0H/2025/03/21/PDT_N0H_2025_03_21_010412",
    "PDT_N0H_2025_03_21_010412",
    "PDT_N0H_2025_13_21_01_04_12",
    "KPDT_N0H_2025_03_21_01_04_12",
  ];
  for (const key of rejected) assert.equal(parseLevel3Key(key), null, key);
});

Deno.test("level3DayPrefixes() lists one prefix per product-day", () => {
  const prefixes = level3DayPrefixes(
    "PDT",
    "N0H",
    new Date("2025-03-20T22:30:00Z"),
    new Date("2025-03-21T01:30:00Z"),
  );
  assert.deepEqual(prefixes, ["PDT_N0H_2025_03_20_", "PDT_N0H_2025_03_21_"]);
});

Deno.test("selectLevel3Keys() keeps the window in key order", () => {
  const selected = selectLevel3Keys(
    [
      "PDT_N0H_2025_03_21_01_04_12",
      "PDT_N0H_2025_03_20_22_29_59",
      "PDT_N0H_2025_03_20_23_10_00",
      "PDT_N0H_2025_03_21_01_30_01",
    ],
    new Date("2025-03-20T22:30:00Z"),
    new Date("2025-03-21T01:30:00Z"),
  );
  assert.deepEqual(selected.map((s) => s.key), [
    "PDT_N0H_2025_03_20_23_10_00",
    "PDT_N0H_2025_03_21_01_04_12",
  ]);
});

Deno.test("level3IdOf() accepts ICAO and 3-letter ids", () => {
  assert.equal(level3IdOf("KPDT"), "PDT");
  assert.equal(level3IdOf("PDT"), "PDT");
  assert.equal(level3IdOf("TJUA"), "JUA");
  assert.throws(() => level3IdOf("K1"), TypeError);
  // An id that another radar of the table has is rejected. So is a
  // radar the table lacks, but not by its 3-letter id.
  assert.throws(() => level3IdOf("TLOT"), /LOT is the radar KLOT/);
  assert.throws(
    () => level3IdOf("TXYZ"),
    /TXYZ is not in the radar site table, so expected its 3-letter id XYZ/,
  );
  assert.equal(level3IdOf("XYZ"), "XYZ");
  assert.equal(icaoFromLevel3Id("LOT"), "KLOT");
  // Non-K sites of the NCEI station list: TDWR, Alaska, the Azores.
  assert.equal(icaoFromLevel3Id("ORD"), "TORD");
  assert.equal(icaoFromLevel3Id("JBQ"), "TJBQ");
  assert.equal(icaoFromLevel3Id("ABC"), "PABC");
  assert.equal(icaoFromLevel3Id("PLA"), "LPLA");
});

Deno.test("unknownSitesWarning() names sites missing from the table", () => {
  // TSTL and its Level 3 id STL, PABC and ABC are in the NCEI list.
  assert.equal(
    unknownSitesWarning("RADAR_SITE_L3", ["STL", "ABC", "TLX"]),
    null,
  );
  assert.equal(unknownSitesWarning("RADAR_SITE_L2", ["TSTL", "PABC"]), null);
  const warning = unknownSitesWarning("--site", ["KTLX", "KXYZ", "QQQ"]);
  assert.ok(warning !== null);
  assert.match(warning, /^--site: KXYZ, QQQ not in the radar site table/);
});
