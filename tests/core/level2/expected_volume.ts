/**
 * Compares a decoded volume with the values that three independent
 * decoders (Py-ART, MetPy, nexrad-level-2-data) agreed on, from
 * `expected/level2/<name>.json` of the shared corpus. Where they disagree
 * the file's `value` field (taken from the raw bytes) is used.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Moment, MomentCode } from "../../../core/radar/moment.ts";
import type { Volume } from "../../../core/radar/volume.ts";

/** The corpus folder beside the repository. */
export const CORPUS = new URL(
  "../../../../shared/data/nexrad/",
  import.meta.url,
);

/** Expected-value tolerances stated by the corpus: angles, lat/lon, values. */
const ANGLE_TOLERANCE = 0.001;
const LATLON_TOLERANCE = 1e-5;
const VALUE_ABSOLUTE_TOLERANCE = 1e-4;
const VALUE_RELATIVE_TOLERANCE = 1e-6;

// deno-lint-ignore no-explicit-any
type Json = any;

/** Reads `expected/level2/<name>.json`. */
export function readExpected(name: string): Json {
  return JSON.parse(
    Deno.readTextFileSync(new URL(`expected/level2/${name}.json`, CORPUS)),
  );
}

/** Returns the agreed value: bare, or the `value` of a disputed or partial entry. */
export function agreed(entry: Json): Json {
  if (entry !== null && typeof entry === "object" && "value" in entry) {
    return entry.value;
  }
  return entry;
}

function near(
  actual: number,
  expected: number,
  tolerance: number,
  what: string,
) {
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${what}: got ${actual}, expected ${expected} within ${tolerance}`,
  );
}

function nearValue(actual: number, expected: number, what: string) {
  const tolerance = Math.max(
    VALUE_ABSOLUTE_TOLERANCE,
    Math.abs(expected) * VALUE_RELATIVE_TOLERANCE,
  );
  near(actual, expected, tolerance, what);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** Raw code at radial `r`, gate `g`, or null where the radial has none. */
function codeAt(moment: Moment, r: number, g: number): number | null {
  if (g >= moment.radialGateCounts[r]) return null;
  return moment.raw[r * moment.gateCount + g];
}

function checkMoment(moment: Moment, expected: Json, what: string): void {
  assert.equal(moment.gateCount, expected.ngates, `${what} gate count`);
  near(
    moment.firstGateRangeKm * 1000,
    expected.first_gate_m,
    1e-6,
    `${what} first gate`,
  );
  near(
    moment.gateIntervalKm * 1000,
    expected.gate_spacing_m,
    1e-6,
    `${what} gate interval`,
  );
  nearValue(moment.scale, expected.scale, `${what} scale`);
  nearValue(moment.offset, expected.offset, `${what} offset`);
  assert.equal(
    moment.wordSizeBits,
    expected.word_size_bits,
    `${what} word size`,
  );

  for (const [r, g, code, value, flag] of expected.samples) {
    const at = `${what} sample [${r}, ${g}]`;
    const actual = codeAt(moment, r, g);
    assert.equal(actual, code, `${at} raw code`);
    if (flag === "BT") assert.equal(actual, 0, `${at} below threshold`);
    if (flag === "RF") assert.equal(actual, 1, `${at} range folded`);
    if (value !== null) {
      nearValue((code - moment.offset) / moment.scale, value, `${at} value`);
    }
  }

  // Counts over the whole sweep: [code 0, code 1, code >= 2, absent].
  const counts = [0, 0, 0, 0];
  const radials = moment.radialGateCounts.length;
  for (let r = 0; r < radials; r++) {
    const gates = moment.radialGateCounts[r];
    counts[3] += moment.gateCount - gates;
    for (let g = 0; g < gates; g++) {
      const code = moment.raw[r * moment.gateCount + g];
      counts[code < 2 ? code : 2]++;
    }
  }
  if (expected.code_counts !== undefined) {
    assert.deepEqual(counts, expected.code_counts, `${what} code counts`);
  }
}

/**
 * The site by the corpus rule: volume header, else first radial, else file
 * name. Two expected files record a volume header of four NUL bytes as the
 * site; their file names (KLOT..., KTLX...) carry it, as the corpus
 * manifest states.
 */
function expectedSite(expected: Json): string {
  const site: string = expected.volume.site;
  if (!site.includes("\0")) return site;
  return expected.file.match(/[KPT][A-Z]{3}/)[0];
}

/** Asserts every field of `expected` that the model carries. */
export function checkVolume(volume: Volume, expected: Json): void {
  const ev = expected.volume;
  assert.equal(volume.siteId, expectedSite(expected), "site");
  assert.equal(volume.archiveVersion, ev.archive_version, "archive version");
  assert.equal(volume.vcpNumber, agreed(ev.vcp), "VCP");
  assert.equal(volume.complete, ev.complete_volume, "complete volume");
  if (ev.archive_version !== null) {
    assert.equal(
      volume.collectedAt.toISOString(),
      ev.volume_start_time,
      "volume start time",
    );
  }
  const cutAngles = agreed(ev.vcp_cut_angles_deg);
  if (cutAngles !== undefined && cutAngles !== null) {
    const angles = volume.vcp?.cuts.map((c) => c.elevationAngleDeg) ?? [];
    assert.equal(angles.length, cutAngles.length, "VCP cut count");
    cutAngles.forEach((angle: number, i: number) =>
      near(angles[i], angle, ANGLE_TOLERANCE, `VCP cut ${i + 1} angle`)
    );
  }
  checkLocation(volume, ev.radar_location, expected.dispute_kinds ?? {});

  assert.equal(volume.sweeps.length, ev.n_sweeps, "sweep count");
  for (const es of expected.sweeps) {
    const sweep = volume.sweeps[es.index];
    const what = `sweep ${es.index}`;
    assert.equal(sweep.elevationNumber, es.elevation_number, `${what} number`);
    const fixed = agreed(es.fixed_angle_deg);
    if (fixed === null) {
      assert.equal(sweep.fixedAngleDeg, null, `${what} fixed angle`);
    } else {
      near(sweep.fixedAngleDeg!, fixed, ANGLE_TOLERANCE, `${what} fixed angle`);
    }
    near(
      sweep.elevationsDeg[0],
      agreed(es.elevation_first_deg),
      ANGLE_TOLERANCE,
      `${what} first elevation`,
    );
    near(
      sweep.elevationMeanDeg,
      agreed(es.elevation_mean_deg),
      ANGLE_TOLERANCE,
      `${what} mean elevation`,
    );
    const n = sweep.azimuthsDeg.length;
    assert.equal(n, agreed(es.nrays), `${what} radial count`);
    near(
      sweep.azimuthsDeg[0],
      agreed(es.az_first_deg),
      ANGLE_TOLERANCE,
      `${what} first azimuth`,
    );
    near(
      sweep.azimuthsDeg[n - 1],
      agreed(es.az_last_deg),
      ANGLE_TOLERANCE,
      `${what} last azimuth`,
    );
    assert.equal(
      isoTime(sweep.timesMs[0]),
      es.first_radial_time,
      `${what} first time`,
    );
    assert.deepEqual(
      [sweep.radialStatus[0], sweep.radialStatus[n - 1]],
      es.radial_status_first_last,
      `${what} first and last radial status`,
    );
    const present = Object.keys(sweep.moments).sort();
    assert.deepEqual(
      present,
      [...agreed(es.moments_present)].sort(),
      `${what} moments`,
    );
    for (
      const [code, em] of Object.entries(es.moments as Record<string, Json>)
    ) {
      checkMoment(sweep.moments[code as MomentCode]!, em, `${what} ${code}`);
    }
  }
}

function checkLocation(volume: Volume, expected: Json, disputes: Json): void {
  if (expected.lat_lon_height !== undefined || expected.lat_deg === undefined) {
    // Message 1 data: the file has no location.
    assert.equal(volume.location, null, "location of message 1 data");
    return;
  }
  const location = volume.location;
  assert.ok(location !== null, "location from the VOL block");
  // Stored as degrees x 1000 in some TDWR files: the decoder divides.
  const scale = "vol_latlon_millidegrees" in disputes ? 1000 : 1;
  near(
    location.latitudeDeg * scale,
    agreed(expected.lat_deg),
    LATLON_TOLERANCE * scale,
    "latitude",
  );
  near(
    location.longitudeDeg * scale,
    agreed(expected.lon_deg),
    LATLON_TOLERANCE * scale,
    "longitude",
  );
  assert.equal(location.siteHeightM, expected.site_height_m, "site height");
  assert.equal(
    location.feedhornHeightM,
    expected.feedhorn_height_m,
    "feedhorn height",
  );
}
