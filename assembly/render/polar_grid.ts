// Polar-to-grid resampling of one radar sweep onto a Web Mercator image.
//
// The image's edges form a longitude/latitude rectangle, and its columns and
// rows are evenly spaced in Web Mercator (EPSG:3857) x and y, so a map that
// stretches it between its four corners puts every pixel where it belongs.
// For the centre of each pixel the resampler finds the gate that covers it:
//
//   pixel centre -> longitude (per column), latitude (per row)
//     -> chord from the radar, and its direction at the radar (WGS84)
//     -> radial whose azimuth segment contains that direction
//     -> gate whose range edges, converted to chords, enclose the chord
//     -> raw code -> palette index (0 = transparent)
//
// Geodesy. Radar and pixel lie on the WGS84 ellipsoid, so the ECEF chord c
// between them is exact, and per-row and per-column terms reduce c^2 and
// the chord's east and north components to a few multiply-adds a pixel.
// The horizontal direction of the chord at the radar is the azimuth of the
// normal section through the pixel, which differs from the geodesic azimuth
// by far less than a pixel at radar ranges. The arc length of that section
// is s = 2 R asin(c / 2R); this code takes R as the Gaussian mean radius
// sqrt(M N) at the radar for every direction. Against Vincenty's inverse
// solution on WGS84 (tests/core/render/polar_grid_test.ts: radar latitudes
// 13 to 65 N, 16 azimuths, every 5 km to 500 km) the ground range is off
// by at most 0.9 m and the azimuth by at most 1.7 m across the beam, inside
// the 20 m budget and far below a 340 m pixel.
//
// Beam model. With effective radius Re = 4/3 x 6371 km, a beam leaving the
// antenna at elevation el reaches slant range r over ground distance
//   s = Re asin(r cos(el) / (Re + h)),  h = sqrt(r^2 + Re^2 + 2 r Re sin(el)) - Re.
// Each gate's range edges go through this and through c = 2R sin(s / 2R)
// once per elevation, so a pixel needs no trigonometry: its chord, compared
// with a table of gate edges, decides its gate. Elevations are grouped by
// 0.01 degree (coarser only for noisy data, see elevationQuantumDeg), which
// moves a gate by at most ~2 m at 460 km.
//
// Per pixel. Per-row and per-column terms give the squared chord and the
// chord's north and east components in a few float32 multiply-adds (the
// half-angle form in renderPolarGrid keeps them free of cancellation). A
// square root gives the chord, a bucket table over chords names the gate
// whose near edge starts the bucket, and one comparison settles the
// bucket's only possible edge. A pseudo-angle (one division, no atan2)
// indexes a table of 16384 bins that names the first segment that can
// contain it; a step or two of exact comparisons finds the segment or the
// gap. float32 rounding moves a decision by under 0.1 m at 460 km. Inside
// a block, the chords and pseudo-angles of four pixels come from one set
// of 128-bit SIMD operations, the same float32 operations lane by lane.
//
// Blocks. On each side of the radar's meridian, chord and azimuth change
// monotonically along a row, so the ends of a block of 32 pixels bound the
// gates and segments of the pixels between. When the ends and a run table
// of the codes prove the block one colour (as in empty sky, most of an
// image), it is filled without evaluating the pixels between; see
// sameBetween. A test checks that the image equals a pixel-by-pixel one.

import {
  LOCATE_STRIDE,
  PARAM_COUNT,
  PARAM_EVERY_PIXEL,
  PARAM_FIRST_GATE_RANGE_M,
  PARAM_GATE_COUNT,
  PARAM_GATE_INTERVAL_M,
  PARAM_HEIGHT,
  PARAM_NORTH_Y_M,
  PARAM_PIXEL_SIZE_M,
  PARAM_RADAR_LATITUDE_DEG,
  PARAM_RADAR_LONGITUDE_DEG,
  PARAM_RADIAL_COUNT,
  PARAM_ROW_PREFIX,
  PARAM_SEGMENT_COUNT,
  PARAM_WEST_X_M,
  PARAM_WIDTH,
  PARAM_WORD_SIZE_BITS,
  SEGMENT_STRIDE,
} from "./grid_layout";
import {
  DEG,
  MERCATOR_RADIUS,
  primeVerticalRadius,
  RadarFrame,
  WGS84_E2,
} from "./earth";

/** 4/3 of the 6371 km mean earth radius: standard refraction. */
const EFFECTIVE_RADIUS_M: f64 = (4.0 / 3.0) * 6371000.0;
/** Largest image side accepted, in pixels. */
const MAX_SIDE: i32 = 16384;
/** Most gate edge tables built for one sweep; see elevationQuantumDeg. */
const MAX_ELEVATION_TABLES: i32 = 64;
/**
 * Maximum number of entries in the bucket tables of one sweep (4 bytes
 * each). A sweep of 250 m gates needs about 2,000 per elevation group.
 * Gates far finer than any radar's (a corrupt interval, or an elevation
 * near the zenith) are rejected, so that they do not take the memory.
 */
const MAX_BUCKET_ENTRIES: i32 = 1 << 24;

const AZIMUTH_BINS: i32 = 16384;
const BINS_PER_QUADRANT: f32 = <f32> AZIMUTH_BINS / 4.0;

// A segment record is 32 bytes:
const PSEUDO_START = 0; // f32: start azimuth as a pseudo-angle
const PSEUDO_END = 4; // f32: end azimuth as a pseudo-angle
const EDGES = 8; // u32: address of the radial's gate edge chords (f32)
const BUCKETS = 12; // u32: address of the radial's bucket table (i32)
const GATE_LIMIT = 16; // i32: gates the radial carried
const CODE_ROW = 20; // i32: index of the radial's first code
const RADIAL = 24; // i32: radial index
const GAP_NARROW = 28; // i32: 1 when the gap before the segment is < 180 deg
const RECORD_BYTES: usize = 32;

/**
 * Maps a horizontal direction (east, north) to [0, 4): quadrant number q
 * plus a fraction, increasing clockwise from north like the azimuth. With
 * t = |east| / (|east| + |north|), the fraction is t in quadrants 0 and 2
 * and 1 - t in quadrants 1 and 3, so every pixel costs one division.
 */
function pseudoAngle(east: f32, north: f32): f32 {
  const sum = Mathf.abs(east) + Mathf.abs(north);
  if (sum == 0.0) return 0.0;
  const t = Mathf.abs(east) / sum;
  let angle: f32;
  if (east >= 0.0) angle = north > 0.0 ? t : <f32> 2.0 - t;
  else angle = north < 0.0 ? <f32> 2.0 + t : <f32> 4.0 - t;
  // In float32, a direction just west of north can round up to 4.0,
  // which is north again: wrap it, or the pixel falls past every segment.
  return angle < 4.0 ? angle : 0.0;
}

/**
 * Returns the pseudo-angles of four directions. Each lane goes through
 * pseudoAngle's float32 operations, so it equals pseudoAngle's result.
 */
function pseudoAngles(east: v128, north: v128): v128 {
  const zero = f32x4.splat(0.0);
  const two = f32x4.splat(2.0);
  const four = f32x4.splat(4.0);
  const absEast = f32x4.abs(east);
  const sum = f32x4.add(absEast, f32x4.abs(north));
  // A lane whose sum is 0 divides 0 by 0 here, and is set to 0 at the end.
  const t = f32x4.div(absEast, sum);
  const angle = v128.bitselect(
    v128.bitselect(t, f32x4.sub(two, t), f32x4.gt(north, zero)),
    v128.bitselect(
      f32x4.add(two, t),
      f32x4.sub(four, t),
      f32x4.lt(north, zero),
    ),
    f32x4.ge(east, zero),
  );
  const wrapped = v128.and(angle, f32x4.lt(angle, four));
  return v128.andnot(wrapped, f32x4.eq(sum, zero));
}

function pseudoAngleOfAzimuth(azimuthDeg: f64): f32 {
  if (azimuthDeg <= 0.0) return 0.0;
  if (azimuthDeg >= 360.0) return 4.0;
  const radians = azimuthDeg * DEG;
  return pseudoAngle(<f32> Math.sin(radians), <f32> Math.cos(radians));
}

/** Returns the ground distance of a beam, Doviak and Zrnic eq. 2.28b. */
function beamGroundRange(slantRangeM: f64, cosEl: f64, sinEl: f64): f64 {
  const re = EFFECTIVE_RADIUS_M;
  const r = slantRangeM;
  const height = Math.sqrt(r * r + re * re + 2.0 * r * re * sinEl) - re;
  return re * Math.asin((r * cosEl) / (re + height));
}

/**
 * Returns the elevation grouping step: 0.01 degree, doubled until the
 * radials' elevations fall into at most MAX_ELEVATION_TABLES groups.
 */
function elevationQuantumDeg(elevationsDeg: Float64Array): f64 {
  let quantum: f64 = 0.01;
  const keys = new Set<i64>();
  let fits = false;
  while (!fits) {
    keys.clear();
    fits = true;
    for (let k = 0; k < elevationsDeg.length && fits; k++) {
      keys.add(<i64> Math.round(elevationsDeg[k] / quantum));
      fits = keys.size <= MAX_ELEVATION_TABLES;
    }
    if (!fits) quantum *= 2.0;
  }
  return quantum;
}

/** Everything a call needs: the radar's frame, segments and gate edges. */
class PolarSetup extends RadarFrame {
  longitude0: f64 = 0.0;
  gateCount: i32 = 0;
  segmentCount: i32 = 0;
  /** Maximum chord of any gate edge, metres. */
  maxChord: f32 = 0.0;
  /**
   * Gates by which two elevation groups may disagree on one chord, plus
   * one: the slack of a gate range taken from one group for another.
   */
  gateMargin: i32 = 1;
  /** Chord width of a bucket: narrower than any gate, so it contains one edge at most. */
  bucketChord: f32 = 0.0;
  bucketCount: i32 = 0;
  /**
   * False when the bucket tables would pass MAX_BUCKET_ENTRIES. The setup
   * is then unusable, and its callers reject the input.
   */
  fits: bool = false;
  records: StaticArray<u8> = new StaticArray<u8>(0);
  /** Chords of gate edges, gateCount + 1 per elevation group. */
  edgeChords: StaticArray<f32> = new StaticArray<f32>(0);
  /** Per elevation group and bucket, the gate whose near edge precedes it. */
  bucketGates: StaticArray<i32> = new StaticArray<i32>(0);
  /** First record whose segment ends after each pseudo-angle bin starts. */
  firstRecordOfBin: StaticArray<i32> = new StaticArray<i32>(0);

  constructor(
    params: Float64Array,
    segments: Float64Array,
    elevationsDeg: Float64Array,
    gateCounts: Uint16Array,
  ) {
    super(params[PARAM_RADAR_LATITUDE_DEG]);
    this.longitude0 = params[PARAM_RADAR_LONGITUDE_DEG] * DEG;
    this.gateCount = <i32> params[PARAM_GATE_COUNT];

    const tableOfRadial = this.buildEdgeTables(params, elevationsDeg);
    this.fits = this.buildBuckets();
    if (this.fits) this.buildRecords(segments, gateCounts, tableOfRadial);
  }

  /**
   * Fills edgeChords, one table per elevation group, and returns the table
   * index of each radial.
   */
  buildEdgeTables(
    params: Float64Array,
    elevationsDeg: Float64Array,
  ): Int32Array {
    const quantum = elevationQuantumDeg(elevationsDeg);
    const groups = new Map<i64, i32>();
    const tableOfRadial = new Int32Array(elevationsDeg.length);
    const groupElevations = new Array<f64>();
    for (let k = 0; k < elevationsDeg.length; k++) {
      const key = <i64> Math.round(elevationsDeg[k] / quantum);
      if (!groups.has(key)) {
        groups.set(key, groupElevations.length);
        groupElevations.push(<f64> key * quantum);
      }
      tableOfRadial[k] = groups.get(key);
    }

    const gateCount = this.gateCount;
    const firstGate = params[PARAM_FIRST_GATE_RANGE_M];
    const interval = params[PARAM_GATE_INTERVAL_M];
    const twiceRadius = 2.0 * this.meanRadius;
    const chords = new StaticArray<f32>(
      groupElevations.length * (gateCount + 1),
    );
    let maxChord: f32 = 0.0;
    let bucketChord: f32 = <f32> interval;
    for (let t = 0; t < groupElevations.length; t++) {
      const cosEl = Math.cos(groupElevations[t] * DEG);
      const sinEl = Math.sin(groupElevations[t] * DEG);
      const base = t * (gateCount + 1);
      for (let g = 0; g <= gateCount; g++) {
        const edge = firstGate + (<f64> g - 0.5) * interval;
        // An edge at or behind the antenna: every chord is past it.
        let chord: f32 = -1.0;
        if (edge > 0.0) {
          const ground = beamGroundRange(edge, cosEl, sinEl);
          chord = <f32> (twiceRadius * Math.sin(ground / twiceRadius));
          if (g > 0 && chords[base + g - 1] >= 0.0) {
            bucketChord = min(bucketChord, chord - chords[base + g - 1]);
          }
        }
        chords[base + g] = chord;
      }
      maxChord = max(maxChord, chords[base + gateCount]);
    }
    // The farthest any group's edge lies from group 0's, in bucket widths
    // (each narrower than a gate).
    let shift: f32 = 0.0;
    for (let t = 1; t < groupElevations.length; t++) {
      for (let g = 0; g <= gateCount; g++) {
        shift = max(
          shift,
          Mathf.abs(chords[t * (gateCount + 1) + g] - chords[g]),
        );
      }
    }
    this.gateMargin = 1 + <i32> Mathf.ceil(shift / (bucketChord * <f32> 0.99));
    this.edgeChords = chords;
    this.maxChord = maxChord;
    this.bucketChord = bucketChord * <f32> 0.99;
    return tableOfRadial;
  }

  /**
   * Fills bucketGates from edgeChords. Returns false, and builds nothing,
   * when the tables would pass MAX_BUCKET_ENTRIES.
   */
  buildBuckets(): bool {
    const gateCount = this.gateCount;
    const tables = this.edgeChords.length / (gateCount + 1);
    const count = Math.ceil(this.maxChord / this.bucketChord) + 1.0;
    if (!(count * <f64> tables <= <f64> MAX_BUCKET_ENTRIES)) return false;
    const buckets = <i32> count;
    this.bucketCount = buckets;
    const gates = new StaticArray<i32>(tables * buckets);
    for (let t = 0; t < tables; t++) {
      const edges = t * (gateCount + 1);
      let gate = 0;
      for (let b = 0; b < buckets; b++) {
        const chord = <f32> b * this.bucketChord;
        while (
          gate + 1 < gateCount && this.edgeChords[edges + gate + 1] <= chord
        ) gate++;
        gates[t * buckets + b] = gate;
      }
    }
    this.bucketGates = gates;
    return true;
  }

  /** Fills records from the segments, and the bin table over them. */
  buildRecords(
    segments: Float64Array,
    gateCounts: Uint16Array,
    tableOfRadial: Int32Array,
  ): void {
    const count = segments.length / SEGMENT_STRIDE;
    this.segmentCount = count;
    this.records = new StaticArray<u8>((count + 1) * <i32> RECORD_BYTES);
    const base = changetype<usize>(this.records);
    const chords = changetype<usize>(this.edgeChords);
    const gates = changetype<usize>(this.bucketGates);
    for (let n = 0; n < count; n++) {
      const k = <i32> segments[n * SEGMENT_STRIDE + 2];
      const table = tableOfRadial[k];
      const record = base + <usize> n * RECORD_BYTES;
      const start = pseudoAngleOfAzimuth(segments[n * SEGMENT_STRIDE]);
      const end = pseudoAngleOfAzimuth(segments[n * SEGMENT_STRIDE + 1]);
      store<f32>(record, start, PSEUDO_START);
      store<f32>(record, end, PSEUDO_END);
      const edgeOffset = <usize> (table * (this.gateCount + 1)) << 2;
      store<u32>(record, <u32> (chords + edgeOffset), EDGES);
      const bucketOffset = <usize> (table * this.bucketCount) << 2;
      store<u32>(record, <u32> (gates + bucketOffset), BUCKETS);
      store<i32>(record, min(<i32> gateCounts[k], this.gateCount), GATE_LIMIT);
      store<i32>(record, k * this.gateCount, CODE_ROW);
      store<i32>(record, k, RADIAL);
    }
    // The sentinel's infinite end stops every scan; it covers no azimuth.
    const sentinel = base + <usize> count * RECORD_BYTES;
    store<f32>(sentinel, Infinity, PSEUDO_START);
    store<f32>(sentinel, Infinity, PSEUDO_END);

    // Gaps narrower than 180 degrees (2 in pseudo-angle) are convex. The
    // gap before segment 0 wraps through north, as does the sentinel's.
    for (let n = 0; n <= count; n++) {
      const record = base + <usize> n * RECORD_BYTES;
      let gap: f32 = 0.0;
      if (count > 0) {
        const previousEnd = n == 0 || n == count
          ? load<f32>(base + <usize> (count - 1) * RECORD_BYTES, PSEUDO_END) -
            4.0
          : load<f32>(record - RECORD_BYTES, PSEUDO_END);
        const start = n == count
          ? load<f32>(base, PSEUDO_START)
          : load<f32>(record, PSEUDO_START);
        gap = start - previousEnd;
      }
      store<i32>(record, gap < 2.0 ? 1 : 0, GAP_NARROW);
    }

    this.firstRecordOfBin = new StaticArray<i32>(AZIMUTH_BINS);
    let n = 0;
    for (let bin = 0; bin < AZIMUTH_BINS; bin++) {
      const binStart = <f32> bin / BINS_PER_QUADRANT;
      while (
        n < count &&
        load<f32>(base + <usize> n * RECORD_BYTES, PSEUDO_END) <= binStart
      ) n++;
      this.firstRecordOfBin[bin] = n;
    }
  }
}

/**
 * Returns the record whose segment contains the pseudo-angle. In a gap,
 * it returns the record after the gap (or the sentinel) with its lowest
 * bit set, which names the gap. The bin table names the first segment that
 * ends after the bin starts, so the scan rarely takes a step. The
 * sentinel's infinite end stops the scan, and its infinite start reads as
 * a gap.
 */
function recordAt(angle: f32, binTable: usize, records: usize): usize {
  return recordInBin(angle, binOf(angle), binTable, records);
}

/** Returns the bin of a pseudo-angle in the bin table. */
function binOf(angle: f32): i32 {
  return min(<i32> (angle * BINS_PER_QUADRANT), AZIMUTH_BINS - 1);
}

/** Returns the record that recordAt returns, given the bin of the angle. */
function recordInBin(
  angle: f32,
  bin: i32,
  binTable: usize,
  records: usize,
): usize {
  let record = records +
    <usize> load<i32>(binTable + (<usize> bin << 2)) * RECORD_BYTES;
  while (load<f32>(record, PSEUDO_END) <= angle) record += RECORD_BYTES;
  return load<f32>(record, PSEUDO_START) <= angle ? record : record | 1;
}

/**
 * Returns the gate whose edges enclose the chord, or -1 before the first
 * gate; the caller compares it with the radial's gate count. The bucket
 * that contains the chord starts inside gate `g` and contains at most the
 * far edge of `g`, so one comparison decides between `g` and `g + 1`.
 */
function gateAt(chord: f32, record: usize, inverseBucket: f32): i32 {
  return gateInBucket(chord, <i32> (chord * inverseBucket), record);
}

/** Returns the gate that gateAt returns, given the bucket of the chord. */
function gateInBucket(chord: f32, bucket: i32, record: usize): i32 {
  const edges = <usize> load<u32>(record, EDGES);
  let gate = load<i32>(
    <usize> load<u32>(record, BUCKETS) + (<usize> bucket << 2),
  );
  const farEdge = load<f32>(edges + (<usize> gate << 2), 4);
  gate += select<i32>(1, 0, chord >= farEdge);
  return chord < load<f32>(edges + (<usize> gate << 2)) ? -1 : gate;
}

function float64View(buffer: ArrayBuffer): Float64Array {
  return Float64Array.wrap(buffer, 0, buffer.byteLength >>> 3);
}

/** Checks the buffers against the parameters; false means a caller bug. */
function buffersAgree(
  params: Float64Array,
  segments: ArrayBuffer,
  elevations: ArrayBuffer,
  gateCounts: ArrayBuffer,
): bool {
  if (params.length < PARAM_COUNT) return false;
  const radialCount = params[PARAM_RADIAL_COUNT];
  const segmentCount = params[PARAM_SEGMENT_COUNT];
  const gateCount = params[PARAM_GATE_COUNT];
  if (!(radialCount >= 1.0 && radialCount <= 65535.0)) return false;
  if (!(segmentCount >= 0.0 && segmentCount <= 8.0 * radialCount)) {
    return false;
  }
  if (!(gateCount >= 1.0 && gateCount <= 65535.0)) return false;
  if (!(params[PARAM_GATE_INTERVAL_M] > 0.0)) return false;
  if (!isFinite(params[PARAM_FIRST_GATE_RANGE_M])) return false;
  const radials = <i32> radialCount;
  if (elevations.byteLength != radials * 8) return false;
  if (gateCounts.byteLength != radials * 2) return false;
  if (segments.byteLength != <i32> segmentCount * SEGMENT_STRIDE * 8) {
    return false;
  }
  const view = float64View(segments);
  for (let i = 0; i < view.length; i += SEGMENT_STRIDE) {
    const start = view[i];
    const end = view[i + 1];
    const radial = view[i + 2];
    if (!(start >= 0.0 && end <= 360.0 && end > start && end - start < 180.0)) {
      return false;
    }
    if (!(radial >= 0.0 && radial < radialCount)) return false;
  }
  return true;
}

/** Columns per block whose inside may be filled from its two ends. */
const BLOCK = 32;
/**
 * Flag in the record of a cell (whose addresses are multiples of 32): the
 * pixel lies within a row's bend of an edge of its segment or gap.
 */
const NEAR_EDGE: usize = 2;
/** Most segments sameBetween inspects before evaluating pixels instead. */
const MAX_SEGMENTS_CHECKED = 64;

// RowTerms and PixelTables are unmanaged: the collector does not track
// them, so the hot functions that take them keep no shadow-stack copies of
// their addresses. renderPolarGrid frees them itself.

/** A row's chord^2, north and east as linear functions of column terms. */
@unmanaged
class RowTerms {
  chordBase: f32 = 0.0;
  chordSlope: f32 = 0.0;
  northBase: f32 = 0.0;
  northSlope: f32 = 0.0;
  p: f32 = 0.0;
  /**
   * Maximum distance in metres by which the row strays from the straight
   * line between the two ends of a block (see sameBetween).
   */
  bendM: f32 = 0.0;
}

/** The tables every pixel reads, as addresses. */
@unmanaged
class PixelTables {
  binTable: usize;
  records: usize;
  recordCount: i32;
  inverseBucket: f32;
  maxChord: f32;
  gateMargin: i32;

  constructor(
    setup: PolarSetup,
    public sinColumns: usize,
    public halfColumns: usize,
    public colours: usize,
    public runs: usize,
  ) {
    this.binTable = changetype<usize>(setup.firstRecordOfBin);
    this.records = changetype<usize>(setup.records);
    this.recordCount = setup.segmentCount;
    this.inverseBucket = <f32> 1.0 / setup.bucketChord;
    this.maxChord = setup.maxChord;
    this.gateMargin = setup.gateMargin;
  }
}

/**
 * Returns, for each gate of each radial, the last gate of the run of gates
 * from it that share its palette index: gates g0 to g1 of one radial show
 * one colour when runs[g0] >= g1.
 */
function buildColourRuns(
  setup: PolarSetup,
  codes: ArrayBuffer,
  wordBytes: i32,
  colourIndex: ArrayBuffer,
  colours: StaticArray<u8>,
): StaticArray<u16> {
  const gateCount = setup.gateCount;
  const radialCount = codes.byteLength / wordBytes / gateCount;
  const runs = new StaticArray<u16>(radialCount * gateCount);
  const colourBase = changetype<usize>(colours);
  const runBase = changetype<usize>(runs);
  const codeBase = changetype<usize>(codes);
  const lookupBase = changetype<usize>(colourIndex);
  for (let k = 0; k < radialCount; k++) {
    let next: u32 = 0xffffffff;
    let runEnd = gateCount - 1;
    for (let g = gateCount - 1; g >= 0; g--) {
      const at = <usize> (k * gateCount + g);
      const code = wordBytes == 1
        ? <u32> load<u8>(codeBase + at)
        : <u32> load<u16>(codeBase + (at << 1));
      const colour = <u32> load<u8>(lookupBase + <usize> code);
      store<u8>(colourBase + at, <u8> colour);
      if (colour != next) runEnd = g;
      next = colour;
      store<u16>(runBase + (at << 1), <u16> runEnd);
    }
  }
  return runs;
}

/**
 * Returns the cell of column `j` as (record << 32) | gate. The record is 0
 * beyond the maximum range and has its lowest bit set in a gap. The gate is
 * -1 before the first gate and may pass the radial's gate count.
 */
function cellAt(tables: PixelTables, row: RowTerms, j: i32): u64 {
  const column = <usize> j << 2;
  const half = load<f32>(tables.halfColumns + column);
  const chord = Mathf.sqrt(row.chordBase + row.chordSlope * half);
  if (chord >= tables.maxChord) return 0;
  const east = row.p * load<f32>(tables.sinColumns + column);
  const north = row.northBase + row.northSlope * half;
  const angle = pseudoAngle(east, north);
  let record = recordAt(angle, tables.binTable, tables.records);
  // In a gap, the gate comes from a neighbouring segment's table, for
  // sameBetween's gate range.
  let table = record & ~(<usize> 1);
  if (table == tables.records + <usize> tables.recordCount * RECORD_BYTES) {
    table -= RECORD_BYTES;
  }
  const gate = gateAt(chord, table, tables.inverseBucket);
  // A pseudo-angle difference is at most the angle's in radians, so times
  // the chord it is a lower bound of the distance to the edge in metres.
  if (edgeDistance(tables, record, angle) * chord < row.bendM) {
    record |= NEAR_EDGE;
  }
  return (<u64> record << 32) | <u64> <u32> gate;
}

/**
 * Returns the pseudo-angle from `angle` to the nearer edge of the segment
 * or gap that recordAt returned for it.
 */
function edgeDistance(tables: PixelTables, record: usize, angle: f32): f32 {
  const at = record & ~(<usize> 1);
  if ((record & 1) == 0) {
    return min(
      angle - load<f32>(at, PSEUDO_START),
      load<f32>(at, PSEUDO_END) - angle,
    );
  }
  // A gap runs from the end of the segment before `at` to the start of
  // `at`. The gap before the first segment (or the sentinel) wraps through
  // north, where the pseudo-angle goes from 4 back to 0.
  const first = tables.records;
  const sentinel = first + <usize> tables.recordCount * RECORD_BYTES;
  const last = sentinel - RECORD_BYTES;
  const low = at == first || at == sentinel
    ? load<f32>(last, PSEUDO_END) - <f32> 4.0
    : load<f32>(at - RECORD_BYTES, PSEUDO_END);
  const high = at == sentinel
    ? load<f32>(first, PSEUDO_START) + <f32> 4.0
    : load<f32>(at, PSEUDO_START);
  let inside = angle;
  if (inside < low) inside += 4.0;
  if (inside > high) inside -= 4.0;
  return min(inside - low, high - inside);
}

/** Returns the palette index of a cell from {@link cellAt}. */
function colourOfCell(tables: PixelTables, cell: u64): u8 {
  const record = <usize> (cell >>> 32);
  if (record == 0 || (record & 1) != 0) return 0;
  return colourOfGate(tables, record & ~NEAR_EDGE, <i32> <u32> cell);
}

/** Returns the palette index of a gate of a segment's radial, or 0 for no gate. */
function colourOfGate(tables: PixelTables, record: usize, gate: i32): u8 {
  if (<u32> gate >= <u32> load<i32>(record, GATE_LIMIT)) return 0;
  const at = <usize> (load<i32>(record, CODE_ROW) + gate);
  return load<u8>(tables.colours + at);
}

/**
 * Returns true when every pixel between two cells of one span shows the
 * colour of both.
 *
 * Within a span the chord grows monotonically, so the gates between lie
 * between the two gates (give or take gateMargin where elevation groups
 * differ). The azimuth is monotonic too, up to the bend of the row, so the
 * segments between are those between in azimuth order. Segments, and the
 * gaps marked narrow, are wedges narrower than 180 degrees, hence convex.
 * So two ends in one segment or gap have every pixel between in it, and
 * two transparent ends have transparent pixels between when every segment
 * between them is transparent over those gates.
 *
 * A row of constant latitude is not straight, though: between two ends it
 * strays from their chord by up to RowTerms.bendM. Where a row runs almost
 * along a radial, pixels between two ends in one segment can cross its
 * edge and back. cellAt flags an end that lies closer than that to an edge
 * (NEAR_EDGE), and such a block is drawn pixel by pixel.
 */
function sameBetween(
  tables: PixelTables,
  cell0: u64,
  cell1: u64,
  colour: u8,
  endColour: u8,
): bool {
  const record = <usize> (cell0 >>> 32);
  const endRecord = <usize> (cell1 >>> 32);
  if (((record | endRecord) & NEAR_EDGE) != 0) return false;
  const gate0 = <i32> <u32> cell0;
  const gate1 = <i32> <u32> cell1;
  if (record == endRecord) {
    if (record == 0) return true;
    if ((record & 1) != 0) {
      return load<i32>(record & ~(<usize> 1), GAP_NARROW) != 0;
    }
    const limit = load<i32>(record, GATE_LIMIT);
    if (gate0 < 0 && gate1 < 0) return true;
    if (gate0 >= limit && gate1 >= limit) return true;
    if (min(gate0, gate1) < 0 || max(gate0, gate1) >= limit) return false;
    const at = <usize> (load<i32>(record, CODE_ROW) + min(gate0, gate1));
    return <i32> load<u16>(tables.runs + (at << 1)) >= max(gate0, gate1);
  }
  if (colour != 0 || endColour != 0 || record == 0 || endRecord == 0) {
    return false;
  }

  // Positions in azimuth order: 2i + 1 for segment i, 2i for the gap
  // before it.
  const position0 = <i32> (((record & ~(<usize> 1)) - tables.records) >>> 4) +
    1 - <i32> (record & 1);
  const position1 =
    <i32> (((endRecord & ~(<usize> 1)) - tables.records) >>> 4) +
    1 - <i32> (endRecord & 1);
  const firstSegment = min(position0, position1) >> 1;
  const lastSegment = (max(position0, position1) - 1) >> 1;
  if (lastSegment - firstSegment > MAX_SEGMENTS_CHECKED) return false;
  const lowGate = max(min(gate0, gate1) - tables.gateMargin, 0);
  const highGate = max(gate0, gate1) + tables.gateMargin;
  for (let n = firstSegment; n <= lastSegment; n++) {
    const segment = tables.records + <usize> n * RECORD_BYTES;
    const limit = load<i32>(segment, GATE_LIMIT);
    if (lowGate >= limit) continue;
    const at = <usize> (load<i32>(segment, CODE_ROW) + lowGate);
    if (load<u8>(tables.colours + at) != 0) return false;
    if (<i32> load<u16>(tables.runs + (at << 1)) < min(highGate, limit - 1)) {
      return false;
    }
  }
  return true;
}

// Scratch memory of drawPixels: four chords, their buckets, four
// pseudo-angles and their bins.
const LANES = memory.data(64, 16);
const LANE_BUCKET = 16;
const LANE_ANGLE = 32;
const LANE_BIN = 48;

/**
 * Draws columns `first` to `end - 1` of a row, each in the colour that
 * colourOfCell(cellAt()) gives it. The chords and pseudo-angles of four
 * columns come from one set of SIMD operations (the column tables have room
 * for three columns past the last). They are cellAt's float32 operations,
 * so the pixels are the same.
 */
function drawPixels(
  tables: PixelTables,
  row: RowTerms,
  first: i32,
  end: i32,
  rowBase: usize,
): void {
  const chordBase = f32x4.splat(row.chordBase);
  const chordSlope = f32x4.splat(row.chordSlope);
  const northBase = f32x4.splat(row.northBase);
  const northSlope = f32x4.splat(row.northSlope);
  const p = f32x4.splat(row.p);

  const inverseBucket = f32x4.splat(tables.inverseBucket);
  const binScale = f32x4.splat(BINS_PER_QUADRANT);
  const lastBin = i32x4.splat(AZIMUTH_BINS - 1);
  const maxChord = tables.maxChord;
  const binTable = tables.binTable;
  const records = tables.records;

  for (let j = first; j < end; j += 4) {
    const column = <usize> j << 2;
    const half = v128.load(tables.halfColumns + column);
    const chords = f32x4.sqrt(
      f32x4.add(chordBase, f32x4.mul(chordSlope, half)),
    );
    const east = f32x4.mul(p, v128.load(tables.sinColumns + column));
    const north = f32x4.add(northBase, f32x4.mul(northSlope, half));
    const angles = pseudoAngles(east, north);
    // Buckets and bins as gateAt and binOf compute them, lane by lane.
    const buckets = i32x4.trunc_sat_f32x4_s(f32x4.mul(chords, inverseBucket));
    const bins = i32x4.min_s(
      i32x4.trunc_sat_f32x4_s(f32x4.mul(angles, binScale)),
      lastBin,
    );
    v128.store(LANES, chords);
    v128.store(LANES, buckets, LANE_BUCKET);
    v128.store(LANES, angles, LANE_ANGLE);
    v128.store(LANES, bins, LANE_BIN);

    const count = min(4, end - j);
    for (let lane = 0; lane < count; lane++) {
      const at = LANES + (<usize> lane << 2);
      const chord = load<f32>(at);
      let colour: u8 = 0;
      if (chord < maxChord) {
        const record = recordInBin(
          load<f32>(at, LANE_ANGLE),
          load<i32>(at, LANE_BIN),
          binTable,
          records,
        );
        if ((record & 1) == 0) {
          const gate = gateInBucket(chord, load<i32>(at, LANE_BUCKET), record);
          colour = colourOfGate(tables, record, gate);
        }
      }
      store<u8>(rowBase + <usize> (j + lane), colour);
    }
  }
}

/**
 * Draws columns `first` to `last` of a row, all on one side of the radar's
 * meridian. A block of `block` columns whose two ends prove the inside
 * uniform is filled without evaluating it. Most blocks are, because most
 * of a radar image is empty sky.
 */
function renderSpan(
  tables: PixelTables,
  row: RowTerms,
  first: i32,
  last: i32,
  rowBase: usize,
  block: i32,
): void {
  if (first > last) return;
  let cell = cellAt(tables, row, first);
  let colour = colourOfCell(tables, cell);
  store<u8>(rowBase + <usize> first, colour);
  for (let start = first; start < last;) {
    const end = min(start + block, last);
    const endCell = cellAt(tables, row, end);
    const endColour = colourOfCell(tables, endCell);
    store<u8>(rowBase + <usize> end, endColour);
    if (sameBetween(tables, cell, endCell, colour, endColour)) {
      if (colour != 0) {
        memory.fill(rowBase + <usize> (start + 1), colour, end - start - 1);
      }
    } else {
      drawPixels(tables, row, start + 1, end, rowBase);
    }
    start = end;
    cell = endCell;
    colour = endColour;
  }
}

/**
 * Resamples a sweep onto a Web Mercator image of palette indices.
 *
 * `codes` holds `radialCount * gateCount` raw codes of 8 or 16 bits,
 * radial-major; `colourIndex` maps every raw code to a palette index
 * (256 or 65536 bytes). Returns `width * height` indices, row by row from
 * the top, 0 where no gate covers the pixel, each row after a zero byte
 * when PARAM_ROW_PREFIX is 1. Returns null when the buffers do not match
 * the parameters.
 */
export function renderPolarGrid(
  paramBuffer: ArrayBuffer,
  segments: ArrayBuffer,
  elevations: ArrayBuffer,
  gateCounts: ArrayBuffer,
  codes: ArrayBuffer,
  colourIndex: ArrayBuffer,
): ArrayBuffer | null {
  const params = float64View(paramBuffer);
  if (!buffersAgree(params, segments, elevations, gateCounts)) return null;
  const wordBytes = <i32> params[PARAM_WORD_SIZE_BITS] >>> 3;
  if (wordBytes != 1 && wordBytes != 2) return null;
  const gateCount = <i32> params[PARAM_GATE_COUNT];
  const radialCount = <i32> params[PARAM_RADIAL_COUNT];
  if (codes.byteLength != radialCount * gateCount * wordBytes) return null;
  if (colourIndex.byteLength != 1 << (wordBytes * 8)) return null;
  const widthF = params[PARAM_WIDTH];
  const heightF = params[PARAM_HEIGHT];
  if (!(widthF >= 1.0 && widthF <= <f64> MAX_SIDE)) return null;
  if (!(heightF >= 1.0 && heightF <= <f64> MAX_SIDE)) return null;
  const pixelSize = params[PARAM_PIXEL_SIZE_M];
  if (!(pixelSize > 0.0)) return null;

  const setup = new PolarSetup(
    params,
    float64View(segments),
    float64View(elevations),
    Uint16Array.wrap(gateCounts),
  );
  if (!setup.fits) return null;
  const width = <i32> widthF;
  const height = <i32> heightF;
  const prefix = params[PARAM_ROW_PREFIX] == 1.0 ? 1 : 0;
  const stride = width + prefix;
  const image = new ArrayBuffer(stride * height);
  if (setup.segmentCount == 0) return image;

  // Per column: the longitude difference d from the radar as sin(d) and
  // sin^2(d / 2). Written with the half angle, the chord and its north
  // component are sums of terms of one sign (see the row loop), so float32
  // keeps them to a few centimetres.
  const longitudeStep = pixelSize / MERCATOR_RADIUS;
  const firstLongitude = (params[PARAM_WEST_X_M] + 0.5 * pixelSize) /
      MERCATOR_RADIUS -
    setup.longitude0;
  // Four columns more than the image, read by drawPixels' last group.
  const columnTerms = new StaticArray<f32>(2 * (width + 4));
  const sinColumns = changetype<usize>(columnTerms);
  const halfColumns = sinColumns + (<usize> (width + 4) << 2);
  for (let j = 0; j < width; j++) {
    const delta = firstLongitude + <f64> j * longitudeStep;
    const half = Math.sin(delta / 2.0);
    store<f32>(sinColumns + (<usize> j << 2), <f32> Math.sin(delta));
    store<f32>(halfColumns + (<usize> j << 2), <f32> (half * half));
  }

  const imageBase = changetype<usize>(image);
  const maxChord2 = <f64> setup.maxChord * <f64> setup.maxChord;
  const colours = new StaticArray<u8>(codes.byteLength / wordBytes);
  const colourRuns = buildColourRuns(
    setup,
    codes,
    wordBytes,
    colourIndex,
    colours,
  );
  const pixels = new PixelTables(
    setup,
    sinColumns,
    halfColumns,
    changetype<usize>(colours),
    changetype<usize>(colourRuns),
  );

  const row = new RowTerms();
  const block = params[PARAM_EVERY_PIXEL] == 1.0 ? 1 : BLOCK;
  const northY = params[PARAM_NORTH_Y_M];
  for (let i = 0; i < height; i++) {
    const y = northY - (<f64> i + 0.5) * pixelSize;
    const latitude = Math.PI / 2.0 -
      2.0 * Math.atan(Math.exp(-y / MERCATOR_RADIUS));
    const sinLat = Math.sin(latitude);
    const cosLat = Math.cos(latitude);
    const primeVertical = primeVerticalRadius(sinLat);
    const p = primeVertical * cosLat;
    const dz = primeVertical * (1.0 - WGS84_E2) * sinLat - setup.z0;
    const dp = p - setup.x0;
    // With h = sin^2(d / 2), so that cos(d) = 1 - 2h, in the radar's east,
    // north, up frame:
    //   chord^2 = (p - x0)^2 + dz^2 + 4 p x0 h
    //   north   = cos(lat0) dz - sin(lat0) (p - x0) + 2 sin(lat0) p h
    //   east    = p sin(d)
    const chordBase = dp * dp + dz * dz;
    const chordSlope = 4.0 * p * setup.x0;
    const northBase = setup.cosLat0 * dz - setup.sinLat0 * dp;
    const northSlope = 2.0 * setup.sinLat0 * p;
    if (!(chordSlope > 0.0)) continue;

    // Visit only the columns whose chord can be short enough.
    const halfLimit = (maxChord2 - chordBase) / chordSlope;
    if (halfLimit < 0.0) continue;
    const halfSpan = 2.0 * Math.asin(Math.sqrt(min(halfLimit, 1.0)));
    const firstColumn = max(
      0,
      <i32> Math.floor((-halfSpan - firstLongitude) / longitudeStep) - 1,
    );
    const lastColumn = min(
      width - 1,
      <i32> Math.ceil((halfSpan - firstLongitude) / longitudeStep) + 1,
    );

    const rowBase = imageBase + <usize> (i * stride + prefix);
    // West and east of the radar's meridian the chord grows monotonically
    // away from it, which renderSpan relies on.
    const meridian = <i32> Math.floor(-firstLongitude / longitudeStep);
    row.chordBase = <f32> chordBase;
    row.chordSlope = <f32> chordSlope;
    row.northBase = <f32> northBase;
    row.northSlope = <f32> northSlope;
    row.p = <f32> p;
    // A row of constant latitude has geodesic curvature tan(latitude) / N,
    // so over a block of ground length L it strays up to L^2 tan / 8N from
    // the chord between the block's ends. With p = N cos(latitude), that
    // doubled is L^2 |sin| / 4p, plus a metre for float32 rounding.
    const blockM = <f64> block * pixelSize * cosLat;
    row.bendM = <f32> ((blockM * blockM * Math.abs(sinLat)) / (4.0 * p) +
      1.0);
    const west = min(meridian, lastColumn);
    const east = max(meridian + 1, firstColumn);
    renderSpan(pixels, row, firstColumn, west, rowBase, block);
    renderSpan(pixels, row, east, lastColumn, rowBase, block);
  }
  heap.free(changetype<usize>(row));
  heap.free(changetype<usize>(pixels));
  return image;
}

/**
 * Finds, for each longitude/latitude pair of `points` (degrees), the
 * radial and gate that `renderPolarGrid` picks for a pixel centred there,
 * by the same functions. Returns LOCATE_STRIDE values per point: azimuth
 * (degrees), ground and slant range (metres), radial index and gate index
 * (-1 where none). Returns null when the buffers do not match the
 * parameters.
 */
export function locatePolarPoints(
  paramBuffer: ArrayBuffer,
  segments: ArrayBuffer,
  elevations: ArrayBuffer,
  gateCounts: ArrayBuffer,
  points: ArrayBuffer,
): ArrayBuffer | null {
  const params = float64View(paramBuffer);
  if (!buffersAgree(params, segments, elevations, gateCounts)) return null;
  if (points.byteLength % 16 != 0) return null;
  const elevationsDeg = float64View(elevations);
  const setup = new PolarSetup(
    params,
    float64View(segments),
    elevationsDeg,
    Uint16Array.wrap(gateCounts),
  );
  if (!setup.fits) return null;
  const binTable = changetype<usize>(setup.firstRecordOfBin);
  const records = changetype<usize>(setup.records);
  const inverseBucket: f32 = <f32> 1.0 / setup.bucketChord;
  const lonLat = float64View(points);
  const count = lonLat.length >>> 1;
  const result = new Float64Array(count * LOCATE_STRIDE);
  const twiceRadius = 2.0 * setup.meanRadius;
  for (let i = 0; i < count; i++) {
    const delta = lonLat[2 * i] * DEG - setup.longitude0;
    const latitude = lonLat[2 * i + 1] * DEG;
    const sinLat = Math.sin(latitude);
    const primeVertical = primeVerticalRadius(sinLat);
    const p = primeVertical * Math.cos(latitude);
    const dx = p * Math.cos(delta) - setup.x0;
    const dz = primeVertical * (1.0 - WGS84_E2) * sinLat - setup.z0;
    const east = p * Math.sin(delta);
    const north = -setup.sinLat0 * dx + setup.cosLat0 * dz;
    const up = setup.cosLat0 * dx + setup.sinLat0 * dz;
    const chord = Math.sqrt(east * east + north * north + up * up);

    let azimuth = Math.atan2(east, north) / DEG;
    if (azimuth < 0.0) azimuth += 360.0;
    const groundRange = twiceRadius * Math.asin(chord / twiceRadius);
    const base = i * LOCATE_STRIDE;
    result[base] = azimuth;
    result[base + 1] = groundRange;
    result[base + 2] = NaN;
    result[base + 3] = -1.0;
    result[base + 4] = -1.0;
    if (setup.segmentCount == 0) continue;
    const record = recordAt(
      pseudoAngle(<f32> east, <f32> north),
      binTable,
      records,
    );
    if ((record & 1) != 0) continue;

    // The slant range is reported for diagnosis; the gate comes from the
    // same tables as in renderPolarGrid.
    const radial = load<i32>(record, RADIAL);
    const elevation = elevationsDeg[radial] * DEG;
    const theta = groundRange / EFFECTIVE_RADIUS_M;
    result[base + 2] = (EFFECTIVE_RADIUS_M * Math.sin(theta)) /
      Math.cos(theta + elevation);
    result[base + 3] = <f64> radial;
    if (<f32> chord < setup.maxChord) {
      const gate = gateAt(<f32> chord, record, inverseBucket);
      if (gate < load<i32>(record, GATE_LIMIT)) result[base + 4] = <f64> gate;
    }
  }
  return result.buffer;
}
