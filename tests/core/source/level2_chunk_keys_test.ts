import assert from "node:assert/strict";
import {
  newestVolumeCandidates,
  nextVolumeNumber,
  previousVolumeNumber,
  volumeNumberOf,
} from "../../../core/source/level2_chunk_keys.ts";

// Folder shapes of the unidata-nexrad-level2-chunks bucket: `SITE/NNN/`,
// NNN from 1 to 999, e.g. `KDFX/602/`.

Deno.test("volumeNumberOf() reads a site's folders only", () => {
  assert.equal(volumeNumberOf("KDFX", "KDFX/602/"), 602);
  assert.equal(volumeNumberOf("KDFX", "KDFX/1/"), 1);
  assert.equal(volumeNumberOf("KDFX", "KDFX/999/"), 999);
  assert.equal(volumeNumberOf("KDFX", "KLOT/602/"), null);
  assert.equal(volumeNumberOf("KDFX", "KDFX/0/"), null);
  assert.equal(volumeNumberOf("KDFX", "KDFX/1000/"), null);
  assert.equal(volumeNumberOf("KDFX", "KDFX/602"), null);
  assert.equal(volumeNumberOf("KDFX", "KDFX/60a/"), null);
});

Deno.test("nextVolumeNumber() wraps from 999 to 1", () => {
  assert.equal(nextVolumeNumber(1), 2);
  assert.equal(nextVolumeNumber(998), 999);
  assert.equal(nextVolumeNumber(999), 1);
  assert.equal(previousVolumeNumber(2), 1);
  assert.equal(previousVolumeNumber(1), 999);
  assert.equal(previousVolumeNumber(999), 998);
});

Deno.test("newestVolumeCandidates() finds the end of the cycle", () => {
  assert.deepEqual(newestVolumeCandidates([5, 6, 7]), [7]);
  assert.deepEqual(newestVolumeCandidates([7, 5, 6]), [7]);
  // A day of volumes across the wrap: 990 to 999, then 1 to 3.
  const wrapped = [1, 2, 3, 990, 991, 992, 993, 994, 995, 996, 997, 998, 999];
  assert.deepEqual(newestVolumeCandidates(wrapped), [3]);
  // Volume 6 never uploaded: 5 and 9 both end a run.
  assert.deepEqual(newestVolumeCandidates([3, 4, 5, 7, 8, 9]), [5, 9]);
  assert.deepEqual(newestVolumeCandidates([]), []);
});
