import assert from "node:assert/strict";
import { loadJobSettings } from "../../jobs/settings.ts";

Deno.test("loadJobSettings() keeps a repeated product once", () => {
  const settings = loadJobSettings({
    L2_PRODUCTS: "reflectivity, velocity,reflectivity",
  });
  assert.deepEqual(settings.level2Products, ["reflectivity", "velocity"]);
});

Deno.test("loadJobSettings() rejects an unknown product", () => {
  assert.throws(
    () => loadJobSettings({ L2_PRODUCTS: "reflectivity,hail" }),
    /Invalid L2_PRODUCTS: unknown product "hail"/,
  );
});

Deno.test("loadJobSettings() names L3_PRODUCTS in its errors", () => {
  assert.throws(
    () => loadJobSettings({ L3_PRODUCTS: "hydrometeor:N0X" }),
    /^TypeError: L3_PRODUCTS: Invalid code "N0X" for Level 3 type "hydrometeor"/,
  );
  assert.throws(
    () => loadJobSettings({ L3_PRODUCTS: " , " }),
    /Invalid L3_PRODUCTS: expected at least one type/,
  );
});

Deno.test("loadJobSettings() reads L2_SOURCE", () => {
  assert.equal(loadJobSettings({}).level2Source, "archive");
  assert.equal(loadJobSettings({ L2_SOURCE: "both" }).level2Source, "both");
  assert.throws(
    () => loadJobSettings({ L2_SOURCE: "realtime" }),
    /Invalid L2_SOURCE: expected archive, chunks, both, found "realtime"/,
  );
});
