/**
 * Keys of the real-time Level 2 bucket (`unidata-nexrad-level2-chunks`):
 * `SITE/VOLUME/YYYYMMDD-HHMMSS-NNN-T`, e.g.
 * `KDFX/602/20190510-143508-028-I`. VOLUME numbers the volumes of a site
 * from 1 to 999 and then starts again at 1.
 *
 * @module
 */

import type { ChunkName } from "../level2/chunks.ts";

/** Volume folders of a site before their numbers start again at 1. */
export const CHUNK_VOLUME_NUMBERS = 999;

/** A chunk name as the bucket writes it: three-digit sequence from 001. */
const CHUNK_NAME = /^(\d{8}-\d{6})-(\d{3})-([SIE])$/;

/**
 * Returns the volume number of a folder `SITE/NNN/` as the bucket names
 * them (no leading zero); null for other folders.
 */
export function volumeNumberOf(site: string, folder: string): number | null {
  const match = /^([A-Z0-9]{4})\/([1-9]\d{0,2})\/$/.exec(folder);
  return match === null || match[1] !== site ? null : Number(match[2]);
}

/**
 * Reads a key right inside `folder` (`SITE/NNN/`); null for keys deeper
 * down or with another name.
 */
export function parseChunkKey(folder: string, key: string): ChunkName | null {
  if (!key.startsWith(folder)) return null;
  const match = CHUNK_NAME.exec(key.slice(folder.length));
  if (match === null || match[2] === "000") return null;
  return {
    volumeId: match[1],
    sequence: Number(match[2]),
    type: match[3] as ChunkName["type"],
  };
}

/**
 * Finds the folder of the newest volume among `numbers`, the volume
 * folders of a site. `volumeOf` lists a folder and returns the start of
 * the volume in it (`YYYYMMDD-HHMMSS`), or null when it has none.
 *
 * In number order, folder times rise to the newest volume and drop after
 * it, to older volumes that the numbering has not reached again yet (or
 * that the bucket still keeps from the cycle before). So the newest is
 * found by halving, with a listing per step: about 9 for the 300 volumes
 * of a day, instead of one per folder. The halving alone can be misled by
 * a stale folder amid the day's, or by numbering that started again
 * elsewhere than at 1. So the folders that end a run of numbers (the next
 * number has no folder) are listed too, up to 16 from the halving's
 * result on, and the newest of all wins.
 *
 * NOTE: folder times in no order at all can still hide the newest; only a
 * listing of every folder would find it.
 *
 * @returns The folder's number and volume start, or null when no folder
 * contains a volume.
 */
export async function findNewestVolume(
  numbers: readonly number[],
  volumeOf: (number: number) => Promise<string | null>,
): Promise<{ number: number; volumeId: string } | null> {
  const folders = [...new Set(numbers)].sort((a, b) => a - b);
  const known = new Map<number, string | null>();
  const timeAt = async (index: number) => {
    const number = folders[index];
    if (!known.has(number)) known.set(number, await volumeOf(number));
    return known.get(number)!;
  };
  // Empty folders are taken out as they are met.
  const firstTime = async () => {
    while (folders.length > 0 && await timeAt(0) === null) folders.shift();
    return folders.length > 0 ? await timeAt(0) : null;
  };
  let low = 0;
  let lowTime = await firstTime();
  if (lowTime === null) return null;
  let high = folders.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    const time = await timeAt(middle);
    if (time === null) {
      folders.splice(middle, 1);
      high--;
    } else if (time >= lowTime!) {
      // Equal: one volume in two folders, both before the drop.
      low = middle;
      lowTime = time;
    } else {
      high = middle - 1;
    }
  }

  let newest = { number: folders[low], volumeId: lowTime! };
  const present = new Set(numbers);
  // The nearest after the halving's result first: a misled halving stops
  // short of the newest.
  const after = (number: number) =>
    (number - newest.number + CHUNK_VOLUME_NUMBERS) % CHUNK_VOLUME_NUMBERS;
  const runEnds = [...present].filter((number) =>
    !present.has(number % CHUNK_VOLUME_NUMBERS + 1)
  ).sort((a, b) => after(a) - after(b)).slice(0, MAX_RUN_ENDS);
  for (const number of runEnds) {
    const time = known.has(number)
      ? known.get(number)!
      : await volumeOf(number);
    known.set(number, time);
    if (time !== null && time > newest.volumeId) {
      newest = { number, volumeId: time };
    }
  }
  return newest;
}

/** Folders ending a run of numbers that a search lists at most. */
const MAX_RUN_ENDS = 16;

/**
 * Returns the folder before `number` in number order, around the cycle
 * (999 before 1); null when `numbers` has no other.
 */
export function previousFolderNumber(
  numbers: readonly number[],
  number: number,
): number | null {
  const others = numbers.filter((n) => n !== number);
  if (others.length === 0) return null;
  const before = others.filter((n) => n < number);
  return Math.max(...(before.length > 0 ? before : others));
}
