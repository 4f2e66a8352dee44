/**
 * The radar site table against antenna locations found independently of
 * it: the VOL blocks of the message 31 files of the corpus, and Py-ART's
 * site table, which `expected/georef/` uses for message 1 files.
 */

import assert from "node:assert/strict";
import { RADAR_SITES, siteLocation } from "../../../core/radar/sites.ts";

const GEOREF = new URL(
  "../../../../shared/data/nexrad/expected/georef/",
  import.meta.url,
);

/**
 * Largest accepted distance between two listed positions of one antenna.
 * Py-ART lists whole arc seconds (up to 15 m of rounding), the VOL block
 * float32 degrees, and either may predate a resurvey in the NCEI list. The
 * corpus files differ from the table by at most about 40 m. 100 m is under
 * half the finest gate interval (250 m), so an image placed either way
 * shows every gate in the same place to within half a gate.
 */
const POSITION_TOLERANCE_M = 100;

/**
 * Largest accepted difference of antenna heights. The VOL block gives
 * whole metres and the NCEI list whole feet, and a height can change over
 * the years: the KTLX VOL block gives 384 m in 2010 and 389 m from 2017.
 * A ground elevation without tower (Py-ART's KTLX: 370 m) stays outside.
 */
const HEIGHT_TOLERANCE_M = 10;

const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance between two points, metres (haversine). */
function distanceM(
  latitudeA: number,
  longitudeA: number,
  latitudeB: number,
  longitudeB: number,
): number {
  const radians = Math.PI / 180;
  const dLatitude = (latitudeB - latitudeA) * radians;
  const dLongitude = (longitudeB - longitudeA) * radians;
  const h = Math.sin(dLatitude / 2) ** 2 +
    Math.cos(latitudeA * radians) * Math.cos(latitudeB * radians) *
      Math.sin(dLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

interface ExpectedRadar {
  file: string;
  icao: string;
  lat: number;
  lon: number;
  antenna_height_m: number;
  source: string;
}

/** The `radar` entries of the georef files, with the ICAO id of the file. */
const expectedRadars: ExpectedRadar[] = [...Deno.readDirSync(GEOREF)]
  .map((entry) => entry.name)
  .sort()
  .map((file) => {
    const georef = JSON.parse(Deno.readTextFileSync(new URL(file, GEOREF)));
    // File names start with the ICAO id, after "Level2_" for some.
    const icao = file.replace(/^Level2_/, "").slice(0, 4);
    return { file, icao, ...georef.radar };
  });

const fromPyArt = expectedRadars.filter((radar) =>
  radar.source.includes("Py-ART")
);
const fromVolBlock = expectedRadars.filter((radar) =>
  radar.source.startsWith("message 31 VOL block")
);

Deno.test("siteLocation() matches Py-ART for message 1 files", () => {
  // The five message 1 files: KABR, KLIX, KLOT and two of KTLX.
  assert.equal(fromPyArt.length, 5);
  for (const radar of fromPyArt) {
    const location = siteLocation(radar.icao);
    assert.ok(location !== null, `${radar.icao} is in the table`);
    const offM = distanceM(
      location.latitudeDeg,
      location.longitudeDeg,
      radar.lat,
      radar.lon,
    );
    assert.ok(
      offM < POSITION_TOLERANCE_M,
      `${radar.file}: table position is ${offM.toFixed(0)} m from Py-ART's`,
    );
  }
});

Deno.test("siteLocation() matches the VOL blocks of the corpus", () => {
  assert.ok(fromVolBlock.length >= 10, "most georef files are message 31");
  for (const radar of fromVolBlock) {
    const location = siteLocation(radar.icao);
    assert.ok(location !== null, `${radar.icao} is in the table`);
    const offM = distanceM(
      location.latitudeDeg,
      location.longitudeDeg,
      radar.lat,
      radar.lon,
    );
    assert.ok(
      offM < POSITION_TOLERANCE_M,
      `${radar.file}: table position is ${
        offM.toFixed(0)
      } m from the VOL block`,
    );
    // NOTE: the VOL blocks of the TDWR files give about twice the height
    // of the NCEI list (TSTL 394 m against 646 ft), so only WSR-88D
    // heights are compared. The renderer uses no height.
    if (radar.icao.startsWith("T")) continue;
    const heightM = location.siteHeightM + location.feedhornHeightM;
    assert.ok(
      Math.abs(heightM - radar.antenna_height_m) <= HEIGHT_TOLERANCE_M,
      `${radar.file}: table antenna height ${heightM.toFixed(1)} m, ` +
        `VOL block ${radar.antenna_height_m} m`,
    );
  }
});

Deno.test("siteLocation() converts the listed feet to metres", () => {
  // NCEI list, KTLX: 35.333361 N, 97.277761 W, 1278 ft = 389.5344 m.
  const location = siteLocation("KTLX");
  assert.ok(location !== null);
  assert.equal(location.latitudeDeg, 35.333361);
  assert.equal(location.longitudeDeg, -97.277761);
  assert.ok(Math.abs(location.siteHeightM - 389.5344) < 1e-9);
  assert.equal(location.feedhornHeightM, 0);
});

Deno.test("siteLocation() returns null for an unknown site", () => {
  assert.equal(siteLocation("KZZZ"), null);
  assert.equal(siteLocation("ktlx"), null);
});

Deno.test("RADAR_SITES lists valid ids and positions", () => {
  // 159 WSR-88D sites, their test and research radars, and 45+ TDWRs.
  assert.ok(RADAR_SITES.size >= 200, `${RADAR_SITES.size} sites`);
  for (const [icao, site] of RADAR_SITES) {
    assert.match(icao, /^[A-Z]{4}$/);
    assert.equal(site.icao, icao);
    assert.ok(Math.abs(site.latitudeDeg) <= 90, `latitude of ${icao}`);
    assert.ok(Math.abs(site.longitudeDeg) <= 180, `longitude of ${icao}`);
    // From sea level (Nome, 90 ft) to the Rockies (KICX, 10757 ft).
    assert.ok(site.antennaHeightM > 0, `height of ${icao}`);
    assert.ok(site.antennaHeightM < 3500, `height of ${icao}`);
  }
});

Deno.test("RADAR_SITES has no 3-letter id twice", () => {
  // Level 3 file names carry the last 3 letters of the ICAO id only.
  const byTail = new Map<string, string>();
  for (const icao of RADAR_SITES.keys()) {
    const tail = icao.slice(1);
    assert.equal(
      byTail.get(tail),
      undefined,
      `${icao} and ${byTail.get(tail)}`,
    );
    byTail.set(tail, icao);
  }
});
