import assert from "node:assert/strict";
import { decompressBzip2 } from "../../core/bzip2.ts";
import { DecodeError } from "../../core/errors.ts";
import { copyIn, releaseBuffer, withWasm } from "../../core/wasm/loader.ts";
import { BZIP2_CRC_MISMATCH } from "../../assembly/bzip2/status.ts";
import {
  largeRunEdgeInputs,
  multiBlockText,
  runEdgeInputs,
  sampleBytes,
} from "../fixtures/bzip2/make_fixtures.ts";

const FIXTURES = new URL("../fixtures/bzip2/", import.meta.url);
const CORPUS = new URL("../../../shared/data/nexrad/", import.meta.url);

/** Size of a fixed-length Archive II message segment, in bytes. */
const SEGMENT_BYTES = 2432;
/** Message segments in the metadata record that opens a volume. */
const METADATA_SEGMENTS = 134;
/** Length of the Archive II volume header that precedes the records. */
const VOLUME_HEADER_BYTES = 24;

function fixture(name: string): Uint8Array {
  return Deno.readFileSync(new URL(name, FIXTURES));
}

function corpus(path: string): Uint8Array {
  return Deno.readFileSync(new URL(path, CORPUS));
}

/** Splits an Archive II file into its LDM records (signed length + bytes). */
function ldmRecords(file: Uint8Array): Uint8Array[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const records: Uint8Array[] = [];
  let offset = VOLUME_HEADER_BYTES;
  while (offset + 4 <= file.length) {
    const length = Math.abs(view.getInt32(offset));
    records.push(file.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return records;
}

/**
 * Walks a decompressed record message by message: message 31 gives its own
 * size in halfwords after the 12-byte channel terminal manager header, and
 * every other message fills one 2432-byte segment. Returns the count of
 * each message type, or null when the walk does not end on the last byte.
 */
function countMessages(record: Uint8Array): Map<number, number> | null {
  const view = new DataView(record.buffer, record.byteOffset);
  const counts = new Map<number, number>();
  let offset = 0;
  while (offset + 16 <= record.length) {
    const halfwords = view.getUint16(offset + 12);
    const type = record[offset + 15];
    counts.set(type, (counts.get(type) ?? 0) + 1);
    offset += type === 31 ? 12 + 2 * halfwords : SEGMENT_BYTES;
  }
  return offset === record.length ? counts : null;
}

function expectedRadials(name: string): number {
  const expected = JSON.parse(
    new TextDecoder().decode(corpus(`expected/level2/${name}.json`)),
  );
  return expected.sweeps.reduce(
    (sum: number, sweep: { nrays: number }) => sum + sweep.nrays,
    0,
  );
}

function assertDecodeError(
  bytes: Uint8Array,
  pattern: RegExp,
  offset: number,
  maxOutputBytes?: number,
): void {
  assert.throws(
    () => decompressBzip2(bytes, { source: "test.bz2", maxOutputBytes }),
    (error) => {
      assert.ok(error instanceof DecodeError, String(error));
      assert.match(error.message, pattern);
      assert.equal(error.source, "test.bz2");
      assert.equal(error.offset, offset);
      return true;
    },
  );
}

/**
 * Returns the length of bzip2's block for `input`: its first run-length
 * stage writes each run of 4 to 255 equal bytes as four bytes and a count.
 */
function blockLength(input: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < input.length;) {
    let run = 1;
    while (run < 255 && input[i + run] === input[i]) run++;
    length += run >= 4 ? 5 : run;
    i += run;
  }
  return length;
}

/** Deterministic pseudo-random numbers (mulberry32), so failures repeat. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fixtures made with Debian's bzip2 1.0.8; see tests/fixtures/bzip2/README.md.

Deno.test("decompressBzip2() matches bzip2's input for a single block", () => {
  const plain = fixture("sample.bin");
  assert.deepEqual(plain, sampleBytes());
  const output = decompressBzip2(fixture("sample.bin.bz2"), { source: "t" });
  assert.deepEqual(output, plain);
});

Deno.test("decompressBzip2() reads block size levels 1 to 9", () => {
  // The same 369,000 bytes: four blocks at level 1, two at levels 2 and 3.
  const plain = multiBlockText();
  for (let level = 1; level <= 9; level++) {
    const name = `multi_block_${level}.txt.bz2`;
    const output = decompressBzip2(fixture(name), { source: name });
    assert.deepEqual(output, plain, name);
  }
});

Deno.test("decompressBzip2() joins concatenated streams", () => {
  const output = decompressBzip2(fixture("concatenated.bz2"), {
    source: "concatenated.bz2",
  });
  const hello = new TextEncoder().encode("hello from the first stream\n");
  const sample = fixture("sample.bin");
  assert.equal(output.length, hello.length + sample.length);
  assert.deepEqual(output.subarray(0, hello.length), hello);
  assert.deepEqual(output.subarray(hello.length), sample);
});

Deno.test("decompressBzip2() reads blocks of odd and even length", () => {
  // Blocks of 1 to 9 bytes, walked one byte a step, with the run-length
  // count byte at odd and even offsets and last.
  const output = decompressBzip2(fixture("run_edges.bz2"), { source: "t" });
  let offset = 0;
  for (const input of runEdgeInputs()) {
    const text = new TextDecoder().decode(input);
    assert.deepEqual(
      output.subarray(offset, offset + input.length),
      input,
      text,
    );
    offset += input.length;
  }
  assert.equal(output.length, offset);
});

Deno.test("decompressBzip2() reads large blocks of odd and even length", () => {
  // MIN_PAIRED_ROWS in assembly/bzip2/bwt.ts: from this block length on,
  // the inverse transform walks a pair table.
  const pairedRows = 200_000;
  const output = decompressBzip2(fixture("run_edges_large.bz2"), {
    source: "run_edges_large.bz2",
  });
  const inputs = largeRunEdgeInputs();
  const parities = new Set(inputs.map((input) => blockLength(input) % 2));
  assert.deepEqual([...parities].sort(), [0, 1]);
  let offset = 0;
  for (const [k, input] of inputs.entries()) {
    assert.ok(blockLength(input) >= pairedRows, `input ${k} block length`);
    assert.deepEqual(
      output.subarray(offset, offset + input.length),
      input,
      `input ${k}`,
    );
    offset += input.length;
  }
  assert.equal(output.length, offset);
});

Deno.test("decompressBzip2() returns nothing for an empty stream", () => {
  const output = decompressBzip2(fixture("empty.bz2"), { source: "t" });
  assert.equal(output.length, 0);
});

Deno.test("decompressBzip2() undoes randomised blocks", () => {
  const output = decompressBzip2(fixture("randomised.bz2"), { source: "t" });
  assert.deepEqual(output, fixture("randomised.txt"));
});

Deno.test("decompressBzip2() reads every LDM record of a volume", () => {
  const name = "KLOT20220317_000842_V06";
  const records = ldmRecords(corpus(`level2/${name}`));
  // The corpus MANIFEST.md lists 55 LDM records for this volume.
  assert.equal(records.length, 55);

  let radials = 0;
  for (const [index, record] of records.entries()) {
    const output = decompressBzip2(record, { source: `${name} #${index}` });
    const counts = countMessages(output);
    assert.notEqual(counts, null, `record ${index} ends inside a message`);
    if (index === 0) {
      assert.equal(output.length, METADATA_SEGMENTS * SEGMENT_BYTES);
    }
    radials += counts?.get(31) ?? 0;
  }
  // The expected/level2 file of the volume: the sum of nrays over sweeps.
  assert.equal(radials, expectedRadials(name));
});

Deno.test("decompressBzip2() grows a 238-byte record to 325,888", () => {
  // The start chunk of a TDWR chunk set: volume header, then one record.
  const chunk = corpus(
    "level2/chunks/TORD_20260811_225858_V08/20260811-225858-001-S",
  );
  const [record] = ldmRecords(chunk);
  assert.equal(record.length, 238);
  const output = decompressBzip2(record, { source: "TORD S chunk" });
  assert.equal(output.length, METADATA_SEGMENTS * SEGMENT_BYTES);
  assert.notEqual(countMessages(output), null);
});

Deno.test("decompressBzip2() reads a Level 2 file compressed whole", () => {
  // Archive II volume of 2432-byte message 1 segments, compressed by
  // `bzip2 --best` (MANIFEST.md): several blocks of size level 9.
  const name = "KLOT20030101_000921.bz2";
  const output = decompressBzip2(corpus(`level2/${name}`), { source: name });
  assert.equal(
    new TextDecoder().decode(output.subarray(0, 9)),
    "ARCHIVE2.",
  );
  const segments = output.subarray(VOLUME_HEADER_BYTES);
  assert.equal(segments.length % SEGMENT_BYTES, 0);
  let radials = 0;
  for (let offset = 0; offset < segments.length; offset += SEGMENT_BYTES) {
    if (segments[offset + 15] === 1) radials++;
  }
  assert.equal(radials, expectedRadials(name));
});

Deno.test("decompressBzip2() reports a block CRC mismatch", () => {
  const stream = fixture("sample.bin.bz2");
  const view = new DataView(stream.buffer);
  // The first block's CRC follows "BZh9" and the 6-byte block magic.
  const stored = view.getUint32(10);
  const damaged = (stored ^ 0x00010000) >>> 0;
  view.setUint32(10, damaged);
  const expected = damaged.toString(16).padStart(8, "0");
  const computed = stored.toString(16).padStart(8, "0");
  assertDecodeError(
    stream,
    new RegExp(
      `block CRC mismatch, expected 0x${expected}, computed 0x${computed}`,
    ),
    4,
  );
});

Deno.test("Bzip2Decoder keeps the blocks before a damaged one", () => {
  // Streams 1 and 2 hold the 28-byte hello line and nothing; damaging the
  // block CRC of stream 3 leaves exactly those bytes verified.
  const stream = fixture("concatenated.bz2");
  // Only the third stream has block size level 5; its block CRC follows
  // "BZh5" and the 6-byte block magic.
  const third = new TextDecoder("latin1").decode(stream).indexOf("BZh5");
  assert.ok(third > 0);
  stream[third + 10] ^= 0xff;
  const verified = withWasm((wasm) => {
    const input = copyIn(wasm, stream);
    try {
      const exports = wasm as unknown as {
        bzip2Decompress(input: number, maxOutputBytes: number): number;
        bzip2LastVerifiedLength(): number;
      };
      const status = exports.bzip2Decompress(input, 2 ** 20);
      assert.equal(status, BZIP2_CRC_MISMATCH);
      return exports.bzip2LastVerifiedLength();
    } finally {
      releaseBuffer(wasm, input);
    }
  });
  assert.equal(verified, "hello from the first stream\n".length);
});

Deno.test("decompressBzip2() reports a stream CRC mismatch", () => {
  // An empty stream: "BZh9", end-of-stream magic, CRC 0 at bytes 10-13.
  const stream = fixture("empty.bz2");
  assert.deepEqual([...stream.subarray(10)], [0, 0, 0, 0]);
  stream[13] = 1;
  assertDecodeError(
    stream,
    /stream CRC mismatch, expected 0x00000001, computed 0x00000000/,
    4,
  );
});

Deno.test("decompressBzip2() reports truncated input", () => {
  const stream = fixture("sample.bin.bz2");
  for (const length of [0, 1, 3, 4, 10, 500, stream.length - 1]) {
    assertDecodeError(stream.subarray(0, length), /truncated/, length);
  }
});

Deno.test("decompressBzip2() rejects data that is not bzip2", () => {
  const text = new TextEncoder().encode("not a bzip2 stream at all");
  assertDecodeError(text, /expected a stream header/, 0);
  assertDecodeError(new TextEncoder().encode("BZh0"), /stream header/, 0);
  assertDecodeError(new Uint8Array(64), /stream header/, 0);

  // A valid stream, then bytes that start no second stream.
  const empty = fixture("empty.bz2");
  const trailing = new Uint8Array([...empty, 0x42, 0x5a, 0x68, 0x41]);
  assertDecodeError(trailing, /stream header/, empty.length);

  // The block magic damaged.
  const stream = fixture("sample.bin.bz2");
  stream[5] ^= 0xff;
  assertDecodeError(stream, /invalid block header/, 4);
});

Deno.test("decompressBzip2() stops at the output ceiling", () => {
  // 50 bytes that `bzip2 -9` made from 45,000,000 zero bytes.
  const bomb = fixture("zeros_45mb.bz2");
  assertDecodeError(
    bomb,
    /output exceeds the limit of 1048576 bytes/,
    4,
    2 ** 20,
  );
  assertDecodeError(bomb, /output exceeds the limit/, 4, 44_999_999);

  const output = decompressBzip2(bomb, {
    source: "zeros_45mb.bz2",
    maxOutputBytes: 45_000_000,
  });
  assert.equal(output.length, 45_000_000);
  assert.ok(output.every((byte) => byte === 0));
});

Deno.test("decompressBzip2() fills the ceiling exactly", () => {
  // An output over 16 MB frees the storage when the call ends, so the next
  // call starts from 64 KiB and grows to its 65,600 bytes on the way.
  decompressBzip2(fixture("zeros_45mb.bz2"), { source: "t" });
  const output = decompressBzip2(fixture("letters_65600.bz2"), {
    source: "t",
    maxOutputBytes: 65_600,
  });
  assert.equal(output.length, 65_600);
  assertDecodeError(
    fixture("letters_65600.bz2"),
    /output exceeds the limit of 65599 bytes/,
    4,
    65_599,
  );
});

Deno.test("decompressBzip2() rejects an invalid ceiling", () => {
  const stream = fixture("empty.bz2");
  for (const maxOutputBytes of [-1, 1.5, 2 ** 31, Number.NaN]) {
    assert.throws(
      () => decompressBzip2(stream, { source: "t", maxOutputBytes }),
      RangeError,
    );
  }
});

Deno.test("decompressBzip2() survives damaged LDM records", () => {
  // A mid-volume radial record: about 70 kB in, 1.2 MB out.
  const name = "KLOT20220317_000842_V06";
  const record = ldmRecords(corpus(`level2/${name}`))[30];
  const correct = decompressBzip2(record, { source: name });
  const next = random(20260317);
  let failures = 0;

  for (let trial = 0; trial < 300; trial++) {
    const damaged = record.slice();
    const flips = 1 + Math.floor(next() * 3);
    for (let i = 0; i < flips; i++) {
      const offset = Math.floor(next() * damaged.length);
      damaged[offset] ^= 1 + Math.floor(next() * 255);
    }
    const length = trial % 4 === 0
      ? Math.floor(next() * damaged.length)
      : damaged.length;
    const input = damaged.subarray(0, length);

    try {
      const output = decompressBzip2(input, { source: name });
      assert.deepEqual(output, correct, `trial ${trial} returned wrong bytes`);
    } catch (error) {
      assert.ok(
        error instanceof DecodeError,
        `trial ${trial} threw ${String(error)}`,
      );
      assert.ok(error.offset >= 0, `trial ${trial}: negative offset`);
      assert.ok(error.offset <= length, `trial ${trial}: offset past end`);
      failures++;
    }
  }
  // Nearly every damaged record must be detected, not decoded.
  assert.ok(failures > 250, `only ${failures} of 300 damaged records failed`);
});
