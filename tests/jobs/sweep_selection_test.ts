import assert from "node:assert/strict";
import type { Moment, MomentCode } from "../../core/radar/moment.ts";
import type { Sweep, SweepRole } from "../../core/radar/sweep.ts";
import { decodeVolume } from "../../core/level2/decode.ts";
import { selectSweeps } from "../../jobs/sweep_selection.ts";

// Hand-built sweeps shaped like VCP 212 with SAILS: a split cut at 0.5
// degrees (surveillance REF to 460 km, Doppler REF and VEL to 300 km), a
// SAILS repeat of both halves, then single cuts at 0.9 and 1.3 degrees.

function moment(
  code: MomentCode,
  gateCount: number,
  gateIntervalKm: number,
): Moment {
  return {
    code,
    gateCount,
    firstGateRangeKm: gateIntervalKm,
    gateIntervalKm,
    wordSizeBits: 8,
    scale: 2,
    offset: 66,
    raw: new Uint8Array(gateCount * 2),
    radialGateCounts: new Uint16Array([gateCount, gateCount]),
  };
}

function sweep(
  index: number,
  elevationAngleDeg: number,
  role: SweepRole,
  moments: Moment[],
): Sweep {
  return {
    index,
    elevationNumber: index + 1,
    fixedAngleDeg: elevationAngleDeg,
    elevationMeanDeg: elevationAngleDeg,
    elevationAngleDeg,
    role,
    azimuthsDeg: new Float32Array([0.25, 0.75]),
    elevationsDeg: new Float32Array([elevationAngleDeg, elevationAngleDeg]),
    azimuthSpacingsDeg: new Float32Array([0.5, 0.5]),
    timesMs: new Float64Array([0, 1]),
    radialStatus: new Uint8Array([0, 2]),
    nyquistVelocityMps: null,
    unambiguousRangeKm: null,
    moments: Object.fromEntries(moments.map((m) => [m.code, m])),
    complete: true,
  };
}

const surveillance =
  () => [moment("REF", 1832, 0.25), moment("ZDR", 1192, 0.25)];
const doppler = () => [moment("REF", 1192, 0.25), moment("VEL", 1192, 0.25)];
const single = () => [moment("REF", 1192, 0.25), moment("VEL", 1192, 0.25)];

const VOLUME: Sweep[] = [
  sweep(0, 0.4834, "surveillance", surveillance()),
  sweep(1, 0.4834, "doppler", doppler()),
  sweep(2, 0.8789, null, single()),
  sweep(3, 0.4834, "repeat", surveillance()),
  sweep(4, 0.4834, "repeat", doppler()),
  sweep(5, 1.3184, null, single()),
];

Deno.test("selectSweeps() takes one reflectivity sweep per elevation", () => {
  const selected = selectSweeps(VOLUME, "REF");
  // 0.48: the first surveillance sweep (460 km beats 300 km, file order
  // beats the SAILS repeat); then 0.88 and 1.32.
  assert.deepEqual(selected.map((s) => s.index), [0, 2, 5]);
});

Deno.test("selectSweeps() takes velocity from the Doppler sweep", () => {
  assert.deepEqual(selectSweeps(VOLUME, "VEL").map((s) => s.index), [1, 2, 5]);
});

Deno.test("selectSweeps() skips sweeps without the moment", () => {
  assert.deepEqual(selectSweeps(VOLUME, "ZDR").map((s) => s.index), [0]);
  assert.deepEqual(selectSweeps(VOLUME, "RHO"), []);
});

Deno.test("selectSweeps() merges measured angles of one cut", () => {
  // Without a VCP the angle is the measured mean, which differs slightly
  // between the halves of a split cut (values typical of message 1 data).
  const volume = [
    sweep(0, 0.48, "surveillance", surveillance()),
    sweep(1, 0.53, "doppler", doppler()),
    sweep(2, 1.45, null, single()),
  ];
  assert.deepEqual(selectSweeps(volume, "REF").map((s) => s.index), [0, 2]);
  assert.deepEqual(selectSweeps(volume, "VEL").map((s) => s.index), [1, 2]);
});

Deno.test("selectSweeps() ignores a moment with no gates", () => {
  const empty = moment("VEL", 1192, 0.25);
  empty.radialGateCounts.fill(0);
  const volume = [sweep(0, 0.5, null, [moment("REF", 1832, 0.25), empty])];
  assert.deepEqual(selectSweeps(volume, "VEL"), []);
});

Deno.test("selectSweeps() picks VCP 32 split cuts of a real volume", async () => {
  const path = new URL(
    "../../../shared/data/nexrad/level2/KTLX20170101_030027_V06",
    import.meta.url,
  );
  const volume = await decodeVolume(await Deno.readFile(path), {
    source: "KTLX20170101_030027_V06",
  });
  // Expected from expected/level2/KTLX20170101_030027_V06.json: fixed
  // angles 0.48, 0.48, 1.49, 1.49, 2.50, 3.52, 4.48 degrees; sweeps 0 and 2
  // carry REF to 1832 and 1652 gates (surveillance), sweeps 1 and 3 REF to
  // 1192 gates with VEL (Doppler); sweeps 4 to 6 carry every moment.
  assert.deepEqual(selectSweeps(volume.sweeps, "REF").map((s) => s.index), [
    0,
    2,
    4,
    5,
    6,
  ]);
  assert.deepEqual(selectSweeps(volume.sweeps, "VEL").map((s) => s.index), [
    1,
    3,
    4,
    5,
    6,
  ]);
});
