/**
 * Worker that decodes damaged copies of small corpus inputs and reports,
 * after each case, whether decoding ended with a volume or a DecodeError.
 * Any other outcome is posted as a failure. Run by malformed_input_test.ts,
 * which stops the worker if a case never finishes.
 *
 * @module
 */

import { ChunkedVolume } from "../../../core/level2/chunks.ts";
import { decodeVolume } from "../../../core/level2/decode.ts";
import { gunzip, joinParts } from "../../../core/level2/wrappers.ts";
import { DecodeError } from "../../../core/errors.ts";
import { CORPUS } from "./expected_volume.ts";

/** Message posted after each case. */
export interface CaseReport {
  index: number;
  label: string;
  /** "volume", "decode-error", or the unexpected error's text. */
  outcome: string;
  done: boolean;
}

/** Fixed-seed generator (mulberry32), so every run tests the same cases. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function read(path: string): Uint8Array {
  return Deno.readFileSync(new URL(`level2/${path}`, CORPUS));
}

async function inflate(path: string): Promise<Uint8Array> {
  return joinParts((await gunzip(read(path))).parts);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return joined;
}

/** Offsets of the messages of an uncompressed stream after the header. */
function messageStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  let at = 24;
  while (at + 28 <= bytes.length) {
    starts.push(at);
    const size = view.getUint16(at + 12);
    const type = view.getUint8(at + 15);
    at += type === 31 ? 12 + size * 2 : 2432;
  }
  return starts;
}

/**
 * Builds a small uncompressed message 31 volume: the volume header, message 5 and
 * the first 150 kB of radials of KLSX20130206_175044_V06.gz.
 */
async function smallMessage31Stream(): Promise<Uint8Array> {
  const bytes = await inflate("KLSX20130206_175044_V06.gz");
  const starts = messageStarts(bytes.subarray(0, 400_000));
  const typeAt = (at: number) => bytes[at + 15];
  const vcp = starts.find((at) => typeAt(at) === 5)!;
  const radials = starts.find((at) => typeAt(at) === 31)!;
  return concat(
    bytes.subarray(0, 24),
    bytes.subarray(vcp, vcp + 2432),
    bytes.subarray(radials, radials + 150_000),
  );
}

/** Cuts a 1991 volume to its header and first 60 message 1 slots. */
async function smallMessage1Stream(): Promise<Uint8Array> {
  const bytes = await inflate("KTLX19910605_162126.gz");
  return bytes.slice(0, 24 + 60 * 2432);
}

/** Copies `bytes` and overwrites 1 to 8 bytes, half of them in headers. */
function flip(
  bytes: Uint8Array,
  next: () => number,
  headers: number[],
): Uint8Array {
  const copy = bytes.slice();
  const count = 1 + Math.floor(next() * 8);
  for (let i = 0; i < count; i++) {
    let at: number;
    if (headers.length > 0 && next() < 0.5) {
      const start = headers[Math.floor(next() * headers.length)];
      at = start + Math.floor(next() * 140);
    } else {
      at = Math.floor(next() * copy.length);
    }
    if (at < copy.length) copy[at] = Math.floor(next() * 256);
  }
  return copy;
}

interface Case {
  label: string;
  run: () => Promise<unknown>;
}

async function buildCases(): Promise<Case[]> {
  const next = random(20260811);
  const cases: Case[] = [];
  const decode = (label: string, bytes: Uint8Array) =>
    cases.push({ label, run: () => decodeVolume(bytes, { source: label }) });

  const stream31 = await smallMessage31Stream();
  const starts31 = messageStarts(stream31);
  for (let i = 0; i < 1200; i++) {
    decode(`message 31 stream, flips #${i}`, flip(stream31, next, starts31));
  }
  for (let i = 0; i < 200; i++) {
    const end = Math.floor(next() * stream31.length);
    decode(`message 31 stream cut at ${end}`, stream31.subarray(0, end));
  }

  const stream1 = await smallMessage1Stream();
  const starts1 = messageStarts(stream1);
  for (let i = 0; i < 800; i++) {
    decode(`message 1 stream, flips #${i}`, flip(stream1, next, starts1));
  }

  // Two bzip2 LDM records: the metadata record and 120 radials.
  const records = read("Level2_KATX_20130717_1950_truncated.ar2v");
  for (let i = 0; i < 300; i++) {
    const end = i < 40 ? i : Math.floor(next() * records.length);
    decode(`KATX records cut at ${end}`, records.subarray(0, end));
  }
  for (let i = 0; i < 150; i++) {
    decode(`KATX records, flips #${i}`, flip(records, next, [0, 24]));
  }

  const chunk = read("chunks/TORD_20260811_225858_V08/20260811-225858-002-I");
  for (let i = 0; i < 200; i++) {
    decode(`I chunk, flips #${i}`, flip(chunk, next, [0]));
  }

  const gzipped = read("KABR20050101_000745.gz");
  for (let i = 0; i < 60; i++) {
    const end = Math.floor(next() * gzipped.length);
    decode(`KABR gzip cut at ${end}`, gzipped.subarray(0, end));
  }

  for (let i = 0; i < 200; i++) {
    const garbage = new Uint8Array(Math.floor(next() * 4000));
    for (let j = 0; j < garbage.length; j++) {
      garbage[j] = Math.floor(next() * 256);
    }
    const prefixes = ["AR2V0006.001", "ARCHIVE2.", "BZh9", "", "\x1f\x8b"];
    const prefix = new TextEncoder().encode(prefixes[i % prefixes.length]);
    garbage.set(prefix.subarray(0, garbage.length));
    decode(`random bytes #${i}`, garbage);
  }

  // Chunks of one volume in a damaged order: an I chunk with flipped bytes
  // between real ones.
  const set = "chunks/KLOT_20190617_181704_V06/20190617-181704-";
  for (let i = 0; i < 20; i++) {
    cases.push({
      label: `chunk set with damaged chunk #${i}`,
      run: async () => {
        const volume = new ChunkedVolume("damaged chunk set");
        await volume.add("20190617-181704-001-S", read(`${set}001-S`));
        const damaged = flip(read(`${set}002-I`), next, [0]);
        await volume.add("20190617-181704-002-I", damaged);
        await volume.add("20190617-181704-003-I", read(`${set}003-I`));
        return volume.volume();
      },
    });
  }
  return cases;
}

const cases = await buildCases();
for (const [index, testCase] of cases.entries()) {
  let outcome = "volume";
  try {
    await testCase.run();
  } catch (error) {
    outcome = error instanceof DecodeError
      ? "decode-error"
      : `${error instanceof Error ? error.name : "thrown"}: ${error}`;
  }
  const report: CaseReport = {
    index,
    label: testCase.label,
    outcome,
    done: index === cases.length - 1,
  };
  (self as unknown as Worker).postMessage(report);
}
