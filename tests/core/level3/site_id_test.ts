// Expected identifiers are the ICAO identifiers of the radars as the NWS
// lists them: KLSX (St. Louis WSR-88D), PABC (Bethel, Alaska), TJUA (San
// Juan, Puerto Rico), TDEN and TMCI (Denver and Kansas City TDWRs).

import assert from "node:assert/strict";
import { siteIdFromAwips } from "../../../core/level3/site_id.ts";

Deno.test("siteIdFromAwips() prefixes K to a CONUS WSR-88D", () => {
  assert.equal(siteIdFromAwips("N0QLSX", 94, 12), "KLSX");
});

Deno.test("siteIdFromAwips() knows the non-K WSR-88D sites", () => {
  assert.equal(siteIdFromAwips("N0VABC", 27, 21), "PABC");
  assert.equal(siteIdFromAwips("N0QJUA", 94, 212), "TJUA");
  assert.equal(siteIdFromAwips("N0QHKI", 94, 212), "PHKI");
});

Deno.test("siteIdFromAwips() finds TDWR sites", () => {
  assert.equal(siteIdFromAwips("TZ0DEN", 180, 90), "TDEN");
  assert.equal(siteIdFromAwips("DHRMCI", 32, 80), "TMCI");
});

Deno.test("siteIdFromAwips() prefixes T to unlisted TDWR sites", () => {
  // "XYZ" is no site; TDWR product code 180 or VCP 90 marks a TDWR.
  assert.equal(siteIdFromAwips("TZ0XYZ", 180, 90), "TXYZ");
  assert.equal(siteIdFromAwips("DHRXYZ", 32, 90), "TXYZ");
  assert.equal(siteIdFromAwips("DHRXYZ", 32, 12), "KXYZ");
});

Deno.test("siteIdFromAwips() returns null without a site", () => {
  assert.equal(siteIdFromAwips(null, 94, 12), null);
  assert.equal(siteIdFromAwips("N0", 94, 12), null);
});
