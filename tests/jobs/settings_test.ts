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
