// Archive II framing (ICD 2620010, sections 7.3 and 7.3.4): the volume
// header record, the LDM records, and the messages inside them.
//
//   Volume header record, 24 bytes:
//   0                 9         12          16               20      24
//   +-----------------+---------+-----------+----------------+-------+
//   | tape name       | volume  | Julian    | ms after       | ICAO  |
//   | "AR2V00xx." or  | number  | date (1 = | midnight, UTC  |       |
//   | "ARCHIVE2."     | "001"   | 1970-01-01)                | "KTLX"|
//   +-----------------+---------+-----------+----------------+-------+
//
//   LDM record: a signed big-endian 32-bit length, then that many bytes of
//   one bzip2 stream. The last record of a volume has a negative length;
//   the magnitude is the length (files trimmed by hand may mark others
//   negative too, so the walk continues while bytes remain). The first
//   record is the metadata record (messages 15, 13, 18, 3, 5, 2), the
//   others hold radials and status messages. Real-time chunks carry one
//   record each; only the first chunk of a volume has the volume header.
//
//   Older archives and many re-packaged ones store the messages
//   uncompressed right after the volume header.
//
//   Message, inside a record:
//   0              12                                28
//   +--------------+--------------------------------+-----------------+
//   | 12 bytes     | message header (Table II):     | message body    |
//   | (CTM, unused)| size u16 in halfwords, channel | (size x 2 - 16  |
//   |              | u8, type u8, sequence, date,   |  bytes)         |
//   |              | ms, segment count, segment no. |                 |
//   +--------------+--------------------------------+-----------------+
//   Messages 31 and 29 take 12 + size x 2 bytes. Every other message
//   occupies a 2432-byte slot (12 + 2416 + 4 bytes of frame check),
//   whatever its size; a size of 0 marks an empty slot.

import { Bzip2Decoder } from "../bzip2/decoder";
import { BZIP2_OK } from "../bzip2/status";
import { i32be, u16be, u32be } from "./bytes";
import { decodeDigitalRadarData } from "./digital_radar_data";
import {
  STATUS_EMPTY,
  STATUS_GZIP,
  STATUS_OK,
  STATUS_TRUNCATED_HEADER,
  STATUS_UNIX_COMPRESS,
  STATUS_UNKNOWN_FORMAT,
  W_BAD_BZIP2_FILE,
  W_BAD_MESSAGE_SIZE,
  W_BAD_RECORD,
  W_EMPTY_VCP,
  W_TRAILING_BYTES,
  W_TRUNCATED_INPUT,
  W_TRUNCATED_MESSAGE,
  W_TRUNCATED_RECORD,
} from "./layout";
import { decodeLegacyDigitalRadarData } from "./legacy_digital_radar_data";
import { SweepBuilder } from "./sweep_builder";
import { decodeVolumeCoveragePattern } from "./volume_coverage_pattern";
import { VolumeState } from "./volume_state";
import { Warnings } from "./warnings";

const VOLUME_HEADER_BYTES = 24;
const CTM_BYTES = 12;
const MESSAGE_HEADER_BYTES = 16;
const SLOT_BYTES = 2432;
/** Size value meaning "segment fields hold the size in bytes" (2620002P). */
const SIZE_IN_SEGMENT_FIELDS: u32 = 65535;
/**
 * Ceiling of one decompressed record or whole-file stream. A record holds
 * at most a few MB (the metadata record 325,888 bytes); whole volumes
 * reach about 100 MB.
 */
const MAX_DECOMPRESSED_BYTES: i32 = 512 << 20;
/** Decompressor storage kept between calls; anything larger is freed. */
const KEPT_BZIP2_BYTES: i32 = 16 << 20;

let bzip2: Bzip2Decoder | null = null;

function decompressor(): Bzip2Decoder {
  if (bzip2 == null) bzip2 = new Bzip2Decoder();
  return bzip2!;
}

/** True when the bytes at `pointer` are "BZh" and a level digit 1-9. */
function isBzip2Stream(pointer: usize, available: i32): bool {
  if (available < 4) return false;
  const level = <i32> load<u8>(pointer, 3) - 0x30;
  return load<u8>(pointer) == 0x42 && load<u8>(pointer, 1) == 0x5a &&
    load<u8>(pointer, 2) == 0x68 && level >= 1 && level <= 9;
}

/** True when the bytes start with "AR2V" or "ARCHIVE2". */
function isVolumeHeader(pointer: usize, available: i32): bool {
  if (available < 8) return false;
  const head = u32be(pointer);
  if (head == 0x41523256) return true; // "AR2V"
  return head == 0x41524348 && u32be(pointer + 4) == 0x49564532; // "ARCHIVE2"
}

/** Walks one Archive II input and fills the builder and state. */
export class ArchiveWalker {
  sweeps: SweepBuilder;
  volume: VolumeState;
  warnings: Warnings;

  constructor(sweeps: SweepBuilder, volume: VolumeState, warnings: Warnings) {
    this.sweeps = sweeps;
    this.volume = volume;
    this.warnings = warnings;
  }

  /** Decodes the input; returns a STATUS_* code of layout.ts. */
  walk(input: usize, length: i32): i32 {
    if (length == 0) return STATUS_EMPTY;
    const first = <u32> load<u8>(input);
    const second = length > 1 ? <u32> load<u8>(input, 1) : 0;
    if (first == 0x1f && second == 0x9d) return STATUS_UNIX_COMPRESS;
    if (first == 0x1f && second == 0x8b) return STATUS_GZIP;

    if (isBzip2Stream(input, length)) {
      return this.walkWholeFileBzip2(input, length);
    }
    if (isVolumeHeader(input, length)) return this.walkVolume(input, length, 0);
    // A real-time chunk after the first: LDM records without a header.
    if (length >= 8 && isBzip2Stream(input + 4, length - 4)) {
      this.walkRecords(input, length, 0);
      return STATUS_OK;
    }
    return STATUS_UNKNOWN_FORMAT;
  }

  private walkWholeFileBzip2(input: usize, length: i32): i32 {
    const bzip2 = decompressor();
    const status = bzip2.decompress(input, length, MAX_DECOMPRESSED_BYTES);
    if (status != BZIP2_OK) {
      // NOTE: the decompressor keeps no partial output, so a damaged
      // whole-file stream yields nothing past this warning.
      this.warnings.add(
        W_BAD_BZIP2_FILE,
        <f64> bzip2.errorOffset,
        0,
        <f64> status,
      );
      bzip2.releaseOutput(KEPT_BZIP2_BYTES);
      return STATUS_OK;
    }
    this.volume.wholeFileBzip2 = true;
    const output = bzip2.outputPointer();
    const outputLength = bzip2.outputLength();
    let result = STATUS_UNKNOWN_FORMAT;
    if (isVolumeHeader(output, outputLength)) {
      // Offsets in warnings then count within the decompressed file.
      result = this.walkVolume(output, outputLength, 0);
    }
    bzip2.releaseOutput(KEPT_BZIP2_BYTES);
    return result;
  }

  private walkVolume(input: usize, length: i32, base: f64): i32 {
    if (length < VOLUME_HEADER_BYTES) return STATUS_TRUNCATED_HEADER;
    const volume = this.volume;
    volume.hasVolumeHeader = true;
    for (let i = 0; i < 9; i++) {
      volume.tapeName[i] = load<u8>(input + <usize> i);
    }
    volume.julianDate = <i32> u32be(input + 12);
    volume.msAfterMidnight = <i32> u32be(input + 16);
    for (let i = 0; i < 4; i++) {
      volume.icaoVolumeHeader[i] = load<u8>(input + <usize> (20 + i));
    }

    const records = input + VOLUME_HEADER_BYTES;
    const remaining = length - VOLUME_HEADER_BYTES;
    if (remaining >= 8 && isBzip2Stream(records + 4, remaining - 4)) {
      this.walkRecords(records, remaining, base + VOLUME_HEADER_BYTES);
    } else {
      this.walkMessages(records, remaining, base + VOLUME_HEADER_BYTES, true);
    }
    return STATUS_OK;
  }

  private walkRecords(input: usize, length: i32, base: f64): void {
    const bzip2 = decompressor();
    let position = 0;
    while (position < length) {
      const at = base + <f64> position;
      if (length - position < 4) {
        this.warnings.add(W_TRAILING_BYTES, at, 0, <f64> (length - position));
        break;
      }
      const declared = i32be(input + <usize> position);
      const size = declared == i32.MIN_VALUE ? i32.MAX_VALUE : abs(declared);
      const start = position + 4;
      if (size > length - start) {
        this.warnings.add(W_TRUNCATED_RECORD, at, 0, <f64> size);
        break;
      }
      const status = bzip2.decompress(
        input + <usize> start,
        size,
        MAX_DECOMPRESSED_BYTES,
      );
      if (status == BZIP2_OK) {
        // Offsets inside a record are reported as the record's offset.
        this.walkMessages(
          bzip2.outputPointer(),
          bzip2.outputLength(),
          at,
          false,
        );
      } else {
        this.warnings.add(W_BAD_RECORD, at, 0, <f64> status);
      }
      position = start + size;
    }
    bzip2.releaseOutput(KEPT_BZIP2_BYTES);
  }

  /**
   * Walks the messages of `length` bytes at `input`. With `exactOffsets`
   * the warnings name each message's own offset (`base` + position);
   * otherwise they name `base`, the offset of the compressed record.
   */
  private walkMessages(
    input: usize,
    length: i32,
    base: f64,
    exactOffsets: bool,
  ): void {
    let position = 0;
    while (position < length) {
      const at = exactOffsets ? base + <f64> position : base;
      const remaining = length - position;
      if (remaining < CTM_BYTES + MESSAGE_HEADER_BYTES) {
        if (exactOffsets) {
          this.warnings.add(W_TRUNCATED_INPUT, at, 0, <f64> remaining);
        }
        return;
      }
      const header = input + <usize> (position + CTM_BYTES);
      const size = u16be(header);
      const type = <i32> load<u8>(header, 3);

      let messageBytes = SLOT_BYTES;
      if (size == SIZE_IN_SEGMENT_FIELDS) {
        messageBytes = CTM_BYTES +
          <i32> ((u16be(header + 12) << 16) | u16be(header + 14));
      } else if (type == 31 || type == 29) {
        messageBytes = CTM_BYTES + <i32> size * 2;
      }
      if (size == 0) {
        if (type == 5) this.warnings.add(W_EMPTY_VCP, at, 5, 0);
        position += SLOT_BYTES;
        continue;
      }
      const bodyLength = (size == SIZE_IN_SEGMENT_FIELDS
        ? messageBytes - CTM_BYTES
        : <i32> size * 2) - MESSAGE_HEADER_BYTES;
      if (bodyLength < 0 || messageBytes <= CTM_BYTES) {
        // The size cannot be trusted, so neither can the next position.
        this.warnings.add(W_BAD_MESSAGE_SIZE, at, type, <f64> size);
        return;
      }
      const available = remaining - CTM_BYTES - MESSAGE_HEADER_BYTES;
      if (bodyLength > available) {
        this.warnings.add(
          W_TRUNCATED_MESSAGE,
          at,
          type,
          <f64> (bodyLength - available),
        );
        return;
      }
      this.dispatch(type, header + MESSAGE_HEADER_BYTES, bodyLength, at);
      position += messageBytes;
    }
  }

  private dispatch(type: i32, body: usize, length: i32, at: f64): void {
    if (type == 31) {
      decodeDigitalRadarData(
        body,
        length,
        at,
        this.sweeps,
        this.volume,
        this.warnings,
      );
    } else if (type == 1) {
      decodeLegacyDigitalRadarData(
        body,
        length,
        at,
        this.sweeps,
        this.volume,
        this.warnings,
      );
    } else if (type == 5) {
      decodeVolumeCoveragePattern(body, length, at, this.volume, this.warnings);
    }
    // Other messages (RDA status, clutter maps, adaptation data, ...) carry
    // nothing a volume needs and are skipped by their slot size.
  }
}
