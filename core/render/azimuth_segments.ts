/**
 * Azimuth segments: which part of the circle each radial of a sweep fills.
 *
 * @module
 */

import { SEGMENT_STRIDE } from "../../assembly/render/grid_layout.ts";

/**
 * Neighbours whose centres are at most this many nominal spacings apart
 * share the boundary between them, so azimuth jitter leaves no slivers.
 * Farther apart (a missing radial is 2 spacings), each radial keeps half its
 * own spacing on that side and the rest stays a transparent gap.
 */
const MAX_JOINED_SPACINGS = 1.5;
/** Widest segment passed to the resampler, degrees. */
const MAX_SEGMENT_DEG = 90;

/**
 * Returns the azimuth segments of a sweep as `[startDeg, endDeg, radial]`
 * triples, sorted by start, within 0 to 360 and without overlap.
 *
 * Each radial's azimuth is the centre of its beam. Its segment reaches to
 * the boundary with each neighbour in azimuth order, placed in proportion to
 * the two spacings (the midpoint for equal spacings); a segment that
 * crosses north is split in two.
 *
 * @param azimuthsDeg Azimuth of each radial, degrees clockwise from north.
 * @param spacingsDeg Azimuthal spacing of each radial, degrees; where
 * missing or not positive, the median step between sorted azimuths.
 */
export function azimuthSegments(
  azimuthsDeg: ArrayLike<number>,
  spacingsDeg?: ArrayLike<number>,
): Float64Array {
  const order = Array.from(azimuthsDeg, (_, k) => k)
    .filter((k) => Number.isFinite(azimuthsDeg[k]))
    .sort((i, j) => normalise(azimuthsDeg[i]) - normalise(azimuthsDeg[j]));
  const count = order.length;
  if (count === 0) return new Float64Array(0);
  const centres = order.map((k) => normalise(azimuthsDeg[k]));
  const fallback = medianStep(centres);
  const widths = order.map((k) => {
    const spacing = spacingsDeg?.[k];
    return spacing !== undefined && spacing > 0 ? spacing : fallback;
  });

  const segments: number[][] = [];
  for (let n = 0; n < count; n++) {
    const previous = (n + count - 1) % count;
    const next = (n + 1) % count;
    const start = count === 1
      ? centres[n] - widths[n] / 2
      : centres[n] - sideWidth(n, previous, centres, widths, false);
    const end = count === 1
      ? centres[n] + widths[n] / 2
      : centres[n] + sideWidth(n, next, centres, widths, true);
    pushWrapped(segments, start, end, order[n]);
  }
  segments.sort((p, q) => p[0] - q[0]);
  return Float64Array.from(segments.flat());
}

/** Returns the part of radial `n`'s segment on the side of `neighbour`. */
function sideWidth(
  n: number,
  neighbour: number,
  centres: number[],
  widths: number[],
  clockwise: boolean,
): number {
  const gap = clockwise
    ? normalise(centres[neighbour] - centres[n])
    : normalise(centres[n] - centres[neighbour]);
  const total = widths[n] + widths[neighbour];
  if (gap > (MAX_JOINED_SPACINGS * total) / 2) return widths[n] / 2;
  return (gap * widths[n]) / total;
}

/**
 * Adds `start` to `end` as segments within 0 to 360 of at most
 * {@linkcode MAX_SEGMENT_DEG} each: the resampler's edge tests need
 * segments narrower than 180 degrees.
 */
function pushWrapped(
  segments: number[][],
  start: number,
  end: number,
  radial: number,
): void {
  if (!(end > start)) return;
  if (end - start > MAX_SEGMENT_DEG) {
    const middle = (start + end) / 2;
    pushWrapped(segments, start, middle, radial);
    pushWrapped(segments, middle, end, radial);
  } else if (start < 0) {
    segments.push([start + 360, 360, radial]);
    if (end > 0) segments.push([0, end, radial]);
  } else if (end > 360) {
    segments.push([start, 360, radial]);
    if (end - 360 > 0) segments.push([0, end - 360, radial]);
  } else {
    segments.push([start, end, radial]);
  }
}

function normalise(azimuthDeg: number): number {
  const wrapped = azimuthDeg % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped;
}

function medianStep(sortedCentres: number[]): number {
  const count = sortedCentres.length;
  if (count < 2) return 1;
  const steps = sortedCentres.map((centre, n) =>
    normalise(sortedCentres[(n + 1) % count] - centre)
  ).filter((step) => step > 0).sort((p, q) => p - q);
  return steps.length === 0 ? 1 : steps[steps.length >> 1];
}

/** Number of segments in a buffer from {@linkcode azimuthSegments}. */
export function segmentCount(segments: Float64Array): number {
  return segments.length / SEGMENT_STRIDE;
}
