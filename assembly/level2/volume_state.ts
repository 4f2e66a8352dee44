// Volume-wide facts gathered while walking the messages: the volume
// header, the pattern from message 5, and what the first radial says about
// the site.

import { GrowableBuffer } from "./bytes";

export class VolumeState {
  hasVolumeHeader: bool = false;
  wholeFileBzip2: bool = false;
  julianDate: i32 = 0;
  msAfterMidnight: i32 = 0;
  /** Tape name, e.g. "AR2V0006." (9 bytes), then the 4-byte ICAO. */
  tapeName: StaticArray<u8> = new StaticArray<u8>(9);
  icaoVolumeHeader: StaticArray<u8> = new StaticArray<u8>(4);
  icaoRadial: StaticArray<u8> = new StaticArray<u8>(4);
  hasIcaoRadial: bool = false;

  vcpNumber: i32 = -1;
  /** Message 5 cuts as (angle degrees, waveform) f64 pairs. */
  cuts: GrowableBuffer = new GrowableBuffer();
  cutCount: i32 = 0;

  radialVcpNumber: i32 = -1;
  hasLocation: bool = false;
  latitude: f64 = NaN;
  longitude: f64 = NaN;
  siteHeightM: f64 = NaN;
  feedhornHeightM: f64 = NaN;

  messageType: i32 = 0;
  lastStatus: i32 = -1;

  /** Notes a radial's message type and status; `body` is its data header. */
  noteRadial(messageType: i32, status: i32, body: usize): void {
    if (this.messageType == 0) this.messageType = messageType;
    this.lastStatus = status;
    if (messageType == 31 && !this.hasIcaoRadial) {
      for (let i = 0; i < 4; i++) {
        this.icaoRadial[i] = load<u8>(body + <usize> i);
      }
      this.hasIcaoRadial = true;
    }
  }

  release(): void {
    this.cuts.release();
  }
}
