import assert from "node:assert/strict";
import { decodeVolume } from "../../../core/level2/decode.ts";
import { labelRoles } from "../../../core/level2/sweeps.ts";
import type { Moment, MomentCode } from "../../../core/radar/moment.ts";
import type { Sweep } from "../../../core/radar/sweep.ts";
import { CORPUS } from "./expected_volume.ts";

/** Builds a sweep with only the fields labelRoles() reads. */
function sweep(index: number, angle: number, codes: MomentCode[]): Sweep {
  const moments: Partial<Record<MomentCode, Moment>> = {};
  for (const code of codes) moments[code] = {} as Moment;
  return {
    index,
    elevationNumber: index + 1,
    fixedAngleDeg: angle,
    elevationMeanDeg: angle,
    elevationAngleDeg: angle,
    role: null,
    azimuthsDeg: new Float32Array(),
    elevationsDeg: new Float32Array(),
    azimuthSpacingsDeg: new Float32Array(),
    timesMs: new Float64Array(),
    radialStatus: new Uint8Array(),
    nyquistVelocityMps: null,
    unambiguousRangeKm: null,
    moments,
    complete: true,
  };
}

Deno.test("labelRoles() labels split cuts and SAILS repeats", () => {
  // VCP 212 with one SAILS cut: 0.5 split, 0.9 split, 1.3 batch, then the
  // 0.5 split cut again (the ICD's supplemental low cut).
  const sweeps = [
    sweep(0, 0.48, ["REF", "ZDR"]),
    sweep(1, 0.48, ["REF", "VEL", "SW"]),
    sweep(2, 0.88, ["REF", "ZDR"]),
    sweep(3, 0.88, ["REF", "VEL", "SW"]),
    sweep(4, 1.32, ["REF", "VEL", "SW"]),
    sweep(5, 0.48, ["REF", "ZDR"]),
    sweep(6, 0.48, ["REF", "VEL", "SW"]),
  ];
  labelRoles(sweeps);
  assert.deepEqual(sweeps.map((s) => s.role), [
    "surveillance",
    "doppler",
    "surveillance",
    "doppler",
    null,
    "repeat",
    "repeat",
  ]);
});

Deno.test("labelRoles() labels an MRLE repeat of a batch cut", () => {
  const sweeps = [
    sweep(0, 0.5, ["REF", "VEL"]),
    sweep(1, 1.5, ["REF", "VEL"]),
    sweep(2, 0.5, ["REF", "VEL"]),
  ];
  labelRoles(sweeps);
  assert.deepEqual(sweeps.map((s) => s.role), [null, null, "repeat"]);
});

Deno.test("decodeVolume() labels the split cuts that message 5 names", async () => {
  // In message 5 a split cut is a contiguous surveillance cut (waveform 1)
  // followed by a Doppler cut (waveform 2 or 3) at the same angle.
  const name = "KLOT20220317_000842_V06";
  const volume = await decodeVolume(
    Deno.readFileSync(new URL(`level2/${name}`, CORPUS)),
    { source: name },
  );
  const cuts = volume.vcp!.cuts;
  for (const sweep of volume.sweeps) {
    const cut = cuts[sweep.elevationNumber - 1];
    const next = cuts[sweep.elevationNumber];
    const previous = cuts[sweep.elevationNumber - 2];
    let role: string | null = null;
    if (
      cut.waveformType === 1 &&
      next?.elevationAngleDeg === cut.elevationAngleDeg
    ) role = "surveillance";
    if (
      cut.waveformType !== 1 && previous?.waveformType === 1 &&
      previous.elevationAngleDeg === cut.elevationAngleDeg
    ) role = "doppler";
    assert.equal(sweep.role, role, `sweep ${sweep.index} role`);
  }
});
