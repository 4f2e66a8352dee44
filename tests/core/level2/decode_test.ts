import assert from "node:assert/strict";
import { decodeVolume } from "../../../core/level2/decode.ts";
import { gunzip, joinParts } from "../../../core/level2/wrappers.ts";
import { DecodeError } from "../../../core/errors.ts";
import type { MomentCode } from "../../../core/radar/moment.ts";
import { WasmAbortError, withWasm } from "../../../core/wasm/loader.ts";
import { checkVolume, CORPUS, readExpected } from "./expected_volume.ts";

const LEVEL2 = new URL("level2/", CORPUS);

const files = [...Deno.readDirSync(LEVEL2)]
  .filter((entry) => entry.isFile)
  .map((entry) => entry.name)
  .sort();

// Every whole file of the corpus against the values of three independent
// decoders (expected/level2/<file>.json).
for (const name of files) {
  Deno.test(`decodeVolume() matches expected values of ${name}`, async () => {
    const bytes = Deno.readFileSync(new URL(name, LEVEL2));
    const volume = await decodeVolume(bytes, { source: name });
    checkVolume(volume, readExpected(name));
  });
}

Deno.test("decodeVolume() moments keep split-cut roles", async () => {
  // KTLX20190715_120037_V06 (VCP 212) opens with split cuts at 0.5 and 0.9
  // degrees: a surveillance sweep with reflectivity and no velocity, then a
  // Doppler sweep with both.
  const name = "KTLX20190715_120037_V06";
  const bytes = Deno.readFileSync(new URL(name, LEVEL2));
  const all = await decodeVolume(bytes, { source: name });
  assert.deepEqual(all.sweeps.slice(0, 4).map((sweep) => sweep.role), [
    "surveillance",
    "doppler",
    "surveillance",
    "doppler",
  ]);
  for (const codes of [["REF"], ["VEL"], []] as MomentCode[][]) {
    const filtered = await decodeVolume(bytes, {
      source: name,
      moments: codes,
    });
    assert.equal(filtered.sweeps.length, all.sweeps.length);
    for (const [i, sweep] of filtered.sweeps.entries()) {
      const whole = all.sweeps[i];
      assert.equal(sweep.role, whole.role, `sweep ${i + 1} with ${codes}`);
      const expected = codes.filter((code) =>
        whole.moments[code] !== undefined
      );
      assert.deepEqual(Object.keys(sweep.moments), expected);
      for (const code of expected) {
        assert.deepEqual(sweep.moments[code], whole.moments[code]);
      }
    }
  }
});

Deno.test("decodeVolume() keeps range-folded gates distinct", async () => {
  // KTLX19910605_162126.gz sweep 1 VEL: the expected file lists gate
  // [277, 679] as code 1 (range folded) and [164, 547] as code 0.
  const name = "KTLX19910605_162126.gz";
  const volume = await decodeVolume(
    Deno.readFileSync(new URL(name, LEVEL2)),
    { source: name },
  );
  const velocity = volume.sweeps[1].moments.VEL!;
  assert.equal(velocity.raw[277 * velocity.gateCount + 679], 1);
  assert.equal(velocity.raw[164 * velocity.gateCount + 547], 0);
});

Deno.test("decodeVolume() warns about a TDWR location in millidegrees", async () => {
  // The VOL block of this file stores 32926.0 / -96968.0 (expected file).
  const name = "TDAL20191021021543V08.raw.gz";
  const volume = await decodeVolume(
    Deno.readFileSync(new URL(name, LEVEL2)),
    { source: name },
  );
  assert.ok(
    volume.warnings.some((w) => w.message.includes("degrees x 1000")),
    "expected a warning naming the x 1000 storage",
  );
  assert.equal(volume.location?.latitudeDeg, 32.926);
});

Deno.test("decodeVolume() rejects Unix compress input", async () => {
  // 1f 9d is the magic number of compress(1) output.
  const bytes = new Uint8Array([0x1f, 0x9d, 0x90, 0x41, 0x52, 0x32]);
  await assert.rejects(
    decodeVolume(bytes, { source: "KTLX19950101_000000.Z" }),
    (error) =>
      error instanceof DecodeError && /Unix compress/.test(error.message),
  );
});

Deno.test("decodeVolume() rejects bytes that are not Level 2", async () => {
  const bytes = new TextEncoder().encode("<html>not found</html>");
  await assert.rejects(
    decodeVolume(bytes, { source: "page.html" }),
    DecodeError,
  );
});

Deno.test("decodeVolume() rejects empty input", async () => {
  await assert.rejects(decodeVolume(new Uint8Array(0)), DecodeError);
});

Deno.test("decodeVolume() names a gzip stream that yields nothing", async () => {
  // A gzip header (RFC 1952: 1f 8b, method 8, no flags) then bytes that
  // are no deflate block: type 3 is reserved (RFC 1951 section 3.2.3).
  const bytes = Uint8Array.of(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff);
  await assert.rejects(
    decodeVolume(bytes, { source: "bad.gz" }),
    (error: unknown) =>
      error instanceof DecodeError && error.offset === 0 &&
      /^bad\.gz at byte 0: Cannot inflate gzip layer 1: /.test(error.message),
  );
});

/** Decodes bzip2 made by Python's bz2 module, given in base64. */
function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** bzip2 (block size 9) of 30 MiB of zero bytes: 50 bytes. */
const ZEROS_30_MIB = fromBase64(
  "QlpoOTFBWSZTWWVGOZ8A8PDAAsAAAAIACCAAMMwFKaaCqCrYQqgq8XckU4UJBlRjmfA=",
);

/**
 * A 24-byte AR2V header for site KTLX, then `count` LDM records that are
 * each a 4-byte length and `record`.
 */
function archiveOf(record: Uint8Array, count: number): Uint8Array {
  const bytes = new Uint8Array(24 + count * (4 + record.length));
  const encoder = new TextEncoder();
  bytes.set(encoder.encode("AR2V0006.001"));
  bytes.set(encoder.encode("KTLX"), 20);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    const at = 24 + i * (4 + record.length);
    view.setInt32(at, record.length);
    bytes.set(record, at + 4);
  }
  return bytes;
}

Deno.test("decodeVolume() skips a record over 32 MiB", async () => {
  // Two 30 MiB streams in one record: 60 MiB, where records of real
  // volumes stay under 2 MB. Status 8 is the bzip2 decoder's "output over
  // the limit".
  const record = new Uint8Array(2 * ZEROS_30_MIB.length);
  record.set(ZEROS_30_MIB);
  record.set(ZEROS_30_MIB, ZEROS_30_MIB.length);
  const volume = await decodeVolume(archiveOf(record, 1), {
    source: "bomb.ar2v",
  });
  const warning = volume.warnings.find((w) => /bzip2/.test(w.message));
  assert.equal(warning?.offset, 24);
  assert.match(warning?.message ?? "", /bzip2 status 8/);
});

Deno.test("decodeVolume() stops records past 1 GiB in all", async () => {
  // 35 records of 30 MiB (31,457,280 bytes): the 35th passes 1 GiB at
  // byte 24 + 34 x (4 + 50) = 1860, having inflated 35 x 31457280 bytes.
  const volume = await decodeVolume(archiveOf(ZEROS_30_MIB, 35), {
    source: "bomb.ar2v",
  });
  const warning = volume.warnings.find((w) => /inflate to/.test(w.message));
  assert.equal(ZEROS_30_MIB.length, 50);
  assert.equal(warning?.offset, 1860);
  assert.match(warning?.message ?? "", /inflate to 1101004800 bytes/);
});

Deno.test("decodeVolume() works after a WebAssembly trap", async () => {
  // Asking for the next sweep with no decode started dereferences a null
  // state inside the module, which aborts it. The loader must then replace
  // the instance, so the next decode starts clean.
  assert.throws(
    () => withWasm((wasm) => (wasm.level2Next as () => number)()),
    WasmAbortError,
  );
  const name = "Level2_KATX_20130717_1950_truncated.ar2v";
  const volume = await decodeVolume(
    Deno.readFileSync(new URL(name, LEVEL2)),
    { source: name },
  );
  checkVolume(volume, readExpected(name));
});

Deno.test("decodeVolume() warns with the offset where a file is cut", async () => {
  // KTLX20170101_030027_V06 cut 1000 bytes into its fifth LDM record: the
  // records before it decode, the warning names where the cut record
  // starts (offset found by walking the record lengths here).
  const name = "KTLX20170101_030027_V06";
  const bytes = Deno.readFileSync(new URL(name, LEVEL2));
  const view = new DataView(bytes.buffer);
  let start = 24;
  for (let record = 0; record < 4; record++) {
    start += 4 + Math.abs(view.getInt32(start));
  }
  const volume = await decodeVolume(bytes.subarray(0, start + 1000), {
    source: name,
  });
  const cut = volume.warnings.find((w) => w.message.includes("truncated"));
  assert.equal(cut?.offset, start);
  assert.ok(volume.sweeps.length >= 1);
  assert.equal(volume.complete, false);
});

Deno.test("decodeVolume() skips a malformed VCP message", async () => {
  // KLSX20130206_175044_V06.gz contains uncompressed messages. Its message 5
  // is given 200 cuts, more than its 2432-byte slot can hold, so it must
  // be skipped with a warning while the radials still decode. The pattern
  // number then comes from the VOL block (32 in the expected file) and the
  // sweep angles from the measured elevations.
  const name = "KLSX20130206_175044_V06.gz";
  const inflated = await gunzip(Deno.readFileSync(new URL(name, LEVEL2)));
  const bytes = joinParts(inflated.parts);
  let slot = 24;
  while (bytes[slot + 15] !== 5) slot += 2432;
  const cutCount = slot + 12 + 16 + 6;
  bytes[cutCount] = 0;
  bytes[cutCount + 1] = 200;

  const volume = await decodeVolume(bytes, { source: name });
  const vcpWarnings = volume.warnings.filter((w) => w.messageType === 5);
  assert.equal(vcpWarnings.length, 1);
  assert.equal(vcpWarnings[0].offset, slot);
  assert.equal(volume.vcp, null);
  assert.equal(volume.vcpNumber, 32);
  const expected = readExpected(name);
  assert.equal(volume.sweeps.length, expected.volume.n_sweeps);
  for (const sweep of volume.sweeps) {
    assert.equal(sweep.fixedAngleDeg, null);
    assert.equal(sweep.elevationAngleDeg, sweep.elevationMeanDeg);
  }
});

Deno.test("decodeVolume() reads Nyquist velocity from the RAD block", async () => {
  // The expected values are read here straight from the bytes with a
  // DataView: the first message 31 radial of each elevation number, its
  // "RRAD" block found through the pointer table, Nyquist velocity at block
  // byte 16 (0.01 m/s) and unambiguous range at byte 6 (0.1 km).
  const name = "KLSX20130206_175044_V06.gz";
  const inflated = await gunzip(Deno.readFileSync(new URL(name, LEVEL2)));
  const bytes = joinParts(inflated.parts);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const limits = new Map<number, [number, number]>();
  for (let at = 24; at + 28 <= bytes.length;) {
    const size = view.getUint16(at + 12);
    const type = view.getUint8(at + 15);
    if (type === 31) {
      const body = at + 28;
      const elevation = view.getUint8(body + 22);
      for (let i = 0; i < view.getUint16(body + 30); i++) {
        const block = body + view.getUint32(body + 32 + 4 * i);
        const name = String.fromCharCode(...bytes.subarray(block, block + 4));
        if (name === "RRAD" && !limits.has(elevation)) {
          limits.set(elevation, [
            view.getInt16(block + 16) / 100,
            view.getUint16(block + 6) / 10,
          ]);
        }
      }
    }
    at += type === 31 ? 12 + size * 2 : 2432;
  }

  const volume = await decodeVolume(bytes, { source: name });
  for (const sweep of volume.sweeps) {
    const [nyquist, range] = limits.get(sweep.elevationNumber)!;
    assert.equal(sweep.nyquistVelocityMps, nyquist > 0 ? nyquist : null);
    assert.equal(sweep.unambiguousRangeKm, range > 0 ? range : null);
  }
  assert.ok(volume.sweeps.some((s) => s.nyquistVelocityMps !== null));
});

Deno.test("decodeVolume() reads long uncompressed input in windows", async () => {
  // KTLX19910605_162126.gz inflates to 9.8 MB of message 1 radials in
  // 2432-byte slots, read in 2 MB windows whose ends fall inside slots.
  // Cut 20 bytes into the first slot past 5 MB: every radial before it
  // decodes once (counted by walking the slots here), and the warning
  // names the slot where the input ends.
  const name = "KTLX19910605_162126.gz";
  const inflated = await gunzip(Deno.readFileSync(new URL(name, LEVEL2)));
  const bytes = joinParts(inflated.parts);
  let radials = 0;
  let slot = 24;
  for (; slot < 5_000_000; slot += 2432) {
    if (bytes[slot + 15] === 1) radials++;
  }

  const volume = await decodeVolume(bytes.subarray(0, slot + 20), {
    source: name,
  });
  const decoded = volume.sweeps.reduce((n, s) => n + s.timesMs.length, 0);
  assert.equal(decoded, radials);
  const cut = volume.warnings.find((w) => w.message.includes("truncated"));
  assert.equal(cut?.offset, slot);
  assert.ok(cut?.message.includes("ends 20 bytes into a message slot"));
});
