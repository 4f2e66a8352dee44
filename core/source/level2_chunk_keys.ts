/**
 * Keys of the real-time Level 2 bucket (`unidata-nexrad-level2-chunks`):
 * `SITE/VOLUME/YYYYMMDD-HHMMSS-NNN-T`, e.g.
 * `KDFX/602/20190510-143508-028-I`. VOLUME numbers the volumes of a site
 * from 1 to 999 and then starts again at 1. The bucket keeps about a day
 * of chunks, far fewer than 999 volumes, so its folders run without a gap
 * from the oldest volume to the newest, around that cycle.
 *
 * @module
 */

/** Volume folders of a site before their numbers start again at 1. */
export const CHUNK_VOLUME_NUMBERS = 999;

/** Returns the volume number of a folder `SITE/NNN/`; null for others. */
export function volumeNumberOf(site: string, folder: string): number | null {
  const match = /^([A-Z0-9]{4})\/(\d{1,3})\/$/.exec(folder);
  if (match === null || match[1] !== site) return null;
  const number = Number(match[2]);
  return number >= 1 && number <= CHUNK_VOLUME_NUMBERS ? number : null;
}

/** Returns the volume number that follows `number` (999 is followed by 1). */
export function nextVolumeNumber(number: number): number {
  return number % CHUNK_VOLUME_NUMBERS + 1;
}

/** Returns the volume number before `number` (1 follows 999). */
export function previousVolumeNumber(number: number): number {
  return (number + CHUNK_VOLUME_NUMBERS - 2) % CHUNK_VOLUME_NUMBERS + 1;
}

/**
 * Returns the volume numbers that may be the newest, in ascending order:
 * those whose next number has no folder. As the folders run without a gap
 * up to the newest, that is one number unless a volume was never uploaded.
 * The caller tells several apart by the times of their chunks.
 */
export function newestVolumeCandidates(numbers: readonly number[]): number[] {
  const present = new Set(numbers);
  return [...present]
    .filter((number) => !present.has(nextVolumeNumber(number)))
    .sort((a, b) => a - b);
}
