/**
 * Freeing the buffers of a task as soon as the job is done with them.
 *
 * V8 frees a dead buffer only in a garbage collection, and starts one for
 * buffers only after tens of megabytes of them have died since the last
 * (66 MB of 1.3 MB buffers piled up in a test). A worker decodes volumes
 * of up to 20 MB of sweeps, and the main thread receives several MB of
 * images per volume, so each would hold the buffers of several volumes.
 * Detaching a buffer (`ArrayBuffer.prototype.transfer(0)`) frees its
 * memory at once.
 *
 * @module
 */

import type { Volume } from "../core/radar/volume.ts";

/**
 * Detaches the buffers under `arrays`, which frees their memory now. The
 * arrays, and any other view of those buffers, then have length 0.
 */
export function freeBuffers(arrays: Iterable<ArrayBufferView>): void {
  for (const array of arrays) {
    const buffer = array.buffer;
    if (buffer instanceof ArrayBuffer && !buffer.detached) buffer.transfer(0);
  }
}

/** Returns every typed array of the sweeps of `volume`. */
export function volumeArrays(volume: Volume): ArrayBufferView[] {
  return volume.sweeps.flatMap((sweep) => [
    sweep.timesMs,
    sweep.azimuthsDeg,
    sweep.elevationsDeg,
    sweep.azimuthSpacingsDeg,
    sweep.radialStatus,
    ...Object.values(sweep.moments).flatMap((moment) => [
      moment.raw,
      moment.radialGateCounts,
    ]),
  ]);
}
