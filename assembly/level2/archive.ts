// Archive II framing (ICD 2620010J, section 7.3): the volume header record,
// the LDM compressed records (7.3.4), the metadata record (7.3.5), and the
// messages inside them (message header: ICD 2620002, Table II).
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
//   one bzip2 stream. The last record of a volume has a negative length,
//   whose magnitude is the length. Files trimmed by hand may mark other
//   records negative too, so the walk continues while bytes remain. The first
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
  STATUS_WHOLE_INPUT_NEEDED,
  W_BAD_BZIP2_FILE,
  W_BAD_MESSAGE_SIZE,
  W_BAD_RECORD,
  W_EMPTY_VCP,
  W_TRAILING_BYTES,
  W_TRUNCATED_INPUT,
  W_TRUNCATED_MESSAGE,
  W_TRUNCATED_RECORD,
  W_VOLUME_TOO_LARGE,
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
/** Ceiling of one decompressed whole-file stream; volumes reach about 100 MB. */
const MAX_DECOMPRESSED_BYTES: i32 = 512 << 20;
/**
 * Ceiling of one decompressed LDM record, twenty times the largest in the
 * corpus (1,417,440 bytes). WebAssembly memory never shrinks, so a record
 * allowed 512 MiB kept that much memory in the process for good.
 */
const MAX_RECORD_BYTES: i32 = 32 << 20;
/**
 * Ceiling of all records of one volume together, ten times the 100 MB of
 * the largest volumes: a few KB of records that each inflate to 500 MB of
 * zeros would otherwise keep the decoder busy for minutes.
 */
const MAX_VOLUME_BYTES: f64 = <f64> (1 << 30);
/** Maximum output storage of the decompressor that finish(true) keeps. */
const KEPT_BZIP2_BYTES: i32 = 16 << 20;

// Made when the module starts, like the PNG writer, so that its arrays do
// not split the memory a decode frees.
const bzip2 = new Bzip2Decoder();

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

/**
 * Walks one Archive II input and fills the builder and state, a step at a
 * time: `start()` reads the wrappers and the volume header, then each
 * `step()` walks on until the builder has handed over a sweep fragment or
 * the input runs out.
 */
export class ArchiveWalker {
  sweeps: SweepBuilder;
  volume: VolumeState;
  warnings: Warnings;

  // LDM records still to decompress.
  private records: usize = 0;
  private recordsLength: i32 = 0;
  private recordsBase: f64 = 0;
  private recordPosition: i32 = 0;
  // Messages being walked: uncompressed input or a decompressed record.
  private messages: usize = 0;
  private messagesLength: i32 = 0;
  private messagesBase: f64 = 0;
  private messagePosition: i32 = 0;
  private exactOffsets: bool = false;
  // Bytes inflated from LDM records so far, against MAX_VOLUME_BYTES.
  private inflatedBytes: f64 = 0;
  // Uncompressed messages may arrive in windows (see `feed`): while more
  // follow, a message cut by the window's end waits for the next one.
  private moreInput: bool = false;
  // Set for a feed of chunks (see `keepStorage`).
  private keepsStorage: bool = false;
  /** True when the walk stopped at the end of a window, not of the input. */
  needsInput: bool = false;

  constructor(sweeps: SweepBuilder, volume: VolumeState, warnings: Warnings) {
    this.sweeps = sweeps;
    this.volume = volume;
    this.warnings = warnings;
  }

  /** Recognises the input; returns a STATUS_* code of layout.ts. */
  start(input: usize, length: i32): i32 {
    if (length == 0) return STATUS_EMPTY;
    const first = <u32> load<u8>(input);
    const second = length > 1 ? <u32> load<u8>(input, 1) : 0;
    if (first == 0x1f && second == 0x9d) return STATUS_UNIX_COMPRESS;
    if (first == 0x1f && second == 0x8b) return STATUS_GZIP;

    if (isBzip2Stream(input, length)) {
      if (this.moreInput) return STATUS_WHOLE_INPUT_NEEDED;
      return this.startWholeFileBzip2(input, length);
    }
    if (isVolumeHeader(input, length)) {
      return this.startVolume(input, length);
    }
    // A real-time chunk after the first: LDM records without a header.
    if (length >= 8 && isBzip2Stream(input + 4, length - 4)) {
      if (this.moreInput) return STATUS_WHOLE_INPUT_NEEDED;
      this.setRecords(input, length, 0);
      return STATUS_OK;
    }
    return STATUS_UNKNOWN_FORMAT;
  }

  /**
   * Walks on until the builder finishes a sweep fragment or the input
   * ends. Returns false once nothing is left to walk.
   */
  step(): bool {
    const finished = this.sweeps.finishedCount;
    while (this.sweeps.finishedCount == finished && !this.needsInput) {
      if (this.messagePosition < this.messagesLength) {
        this.walkMessages(finished);
      } else if (this.moreInput) {
        this.needsInput = true;
      } else if (!this.nextRecord()) {
        return false;
      }
    }
    return !this.needsInput;
  }

  /**
   * Input offset where the next window must start, after `step()` stopped
   * with `needsInput`.
   */
  wantedOffset(): f64 {
    return this.messagesBase + <f64> this.messagePosition;
  }

  /**
   * Walks on in the next window of uncompressed messages: `length` bytes
   * at `input` that start at input offset `wantedOffset()`. `last` marks
   * that the window runs to the end of the input.
   */
  feed(input: usize, length: i32, last: bool): void {
    this.setMessages(input, length, this.wantedOffset(), true);
    this.moreInput = !last;
    this.needsInput = false;
  }

  /**
   * Tells `start()` that its input is only the first window. Only
   * uncompressed messages are read in windows: for other inputs `start()`
   * returns STATUS_WHOLE_INPUT_NEEDED.
   */
  expectMoreInput(): void {
    this.moreInput = true;
  }

  /**
   * Keeps the decompressor's storage for the next decode, as between the
   * chunks of a feed: its tables after the last record, and up to
   * KEPT_BZIP2_BYTES of output storage in `finish`.
   */
  keepStorage(): void {
    this.keepsStorage = true;
  }

  /**
   * Frees the decompressor's storage, so that what runs next in this
   * instance (the images of the volume, in a render worker) reuses that
   * memory instead of growing it, unless `keepStorage` was called.
   */
  finish(): void {
    if (this.keepsStorage) bzip2.releaseOutput(KEPT_BZIP2_BYTES);
    else bzip2.release();
  }

  private startWholeFileBzip2(input: usize, length: i32): i32 {
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
      return STATUS_OK;
    }
    this.volume.wholeFileBzip2 = true;
    const output = bzip2.outputPointer();
    const outputLength = bzip2.outputLength();
    if (!isVolumeHeader(output, outputLength)) return STATUS_UNKNOWN_FORMAT;
    // Offsets in warnings then count within the decompressed file.
    const result = this.startVolume(output, outputLength);
    if (this.recordsLength > 0) {
      // Records inside a bzip2 file would be decompressed into the very
      // buffer being read; no archive is known to nest them.
      this.recordsLength = 0;
      return STATUS_UNKNOWN_FORMAT;
    }
    return result;
  }

  private startVolume(input: usize, length: i32): i32 {
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

    const body = input + VOLUME_HEADER_BYTES;
    const remaining = length - VOLUME_HEADER_BYTES;
    if (remaining >= 8 && isBzip2Stream(body + 4, remaining - 4)) {
      if (this.moreInput) return STATUS_WHOLE_INPUT_NEEDED;
      this.setRecords(body, remaining, VOLUME_HEADER_BYTES);
    } else {
      this.setMessages(body, remaining, VOLUME_HEADER_BYTES, true);
    }
    return STATUS_OK;
  }

  private setRecords(input: usize, length: i32, base: f64): void {
    this.records = input;
    this.recordsLength = length;
    this.recordsBase = base;
    this.recordPosition = 0;
  }

  /**
   * Points the message walk at `length` bytes at `input`. With
   * `exactOffsets` warnings name each message's own offset (`base` +
   * position); otherwise they name `base`, where the compressed record
   * starts.
   */
  private setMessages(
    input: usize,
    length: i32,
    base: f64,
    exactOffsets: bool,
  ): void {
    this.messages = input;
    this.messagesLength = length;
    this.messagesBase = base;
    this.messagePosition = 0;
    this.exactOffsets = exactOffsets;
  }

  /** Decompresses the next LDM record; false when none is left. */
  private nextRecord(): bool {
    const length = this.recordsLength;
    while (this.recordPosition < length) {
      const position = this.recordPosition;
      const at = this.recordsBase + <f64> position;
      if (length - position < 4) {
        this.warnings.add(W_TRAILING_BYTES, at, 0, <f64> (length - position));
        break;
      }
      const declared = i32be(this.records + <usize> position);
      const size = declared == i32.MIN_VALUE ? i32.MAX_VALUE : abs(declared);
      const start = position + 4;
      if (size > length - start) {
        this.warnings.add(W_TRUNCATED_RECORD, at, 0, <f64> size);
        break;
      }
      this.recordPosition = start + size;
      const status = bzip2.decompress(
        this.records + <usize> start,
        size,
        MAX_RECORD_BYTES,
      );
      if (status == BZIP2_OK) {
        // After the last record, the sweeps staged from its messages can
        // take the tables' memory.
        if (this.recordPosition >= length && !this.keepsStorage) {
          bzip2.releaseTables();
        }
        this.inflatedBytes += <f64> bzip2.outputLength();
        if (this.inflatedBytes > MAX_VOLUME_BYTES) {
          this.warnings.add(W_VOLUME_TOO_LARGE, at, 0, this.inflatedBytes);
          break;
        }
        this.setMessages(
          bzip2.outputPointer(),
          bzip2.outputLength(),
          at,
          false,
        );
        return true;
      }
      this.warnings.add(W_BAD_RECORD, at, 0, <f64> status);
    }
    this.recordPosition = length;
    return false;
  }

  /**
   * Walks messages until one finishes a sweep fragment (the builder's
   * finishedCount then differs from `finished`) or the messages end.
   */
  private walkMessages(finished: i32): void {
    const input = this.messages;
    const length = this.messagesLength;
    while (this.messagePosition < length) {
      const position = this.messagePosition;
      const at = this.exactOffsets
        ? this.messagesBase + <f64> position
        : this.messagesBase;
      const remaining = length - position;
      if (
        this.moreInput && this.cutByWindow(input + <usize> position, remaining)
      ) {
        this.needsInput = true;
        return;
      }
      // Every exit below that stops the walk sets the position to the end.
      this.messagePosition = length;
      if (remaining < CTM_BYTES + MESSAGE_HEADER_BYTES) {
        if (this.exactOffsets) {
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
        this.messagePosition = position + SLOT_BYTES;
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
      this.messagePosition = position + messageBytes;
      this.dispatch(type, header + MESSAGE_HEADER_BYTES, bodyLength, at);
      if (this.sweeps.finishedCount != finished) {
        return;
      }
    }
  }

  /**
   * True when the message at `at` does not end within the `remaining`
   * bytes of the window, so the next window must start with it.
   */
  private cutByWindow(at: usize, remaining: i32): bool {
    if (remaining < CTM_BYTES + MESSAGE_HEADER_BYTES) return true;
    const header = at + CTM_BYTES;
    const size = u16be(header);
    if (size == SIZE_IN_SEGMENT_FIELDS) {
      const bytes = CTM_BYTES +
        <i64> ((u16be(header + 12) << 16) | u16be(header + 14));
      return bytes > <i64> remaining;
    }
    const type = <i32> load<u8>(header, 3);
    const bytes = type == 31 || type == 29
      ? CTM_BYTES + <i32> size * 2
      : CTM_BYTES + MESSAGE_HEADER_BYTES + max(<i32> size * 2 - 16, 0);
    return bytes > remaining;
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
