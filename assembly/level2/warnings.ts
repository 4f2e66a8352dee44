// Warnings collected during one decode, in the slot layout of layout.ts.

import { GrowableBuffer } from "./bytes";
import { MAX_WARNINGS, WARNING_SLOTS } from "./layout";

/** Recoverable problems found so far; the first MAX_WARNINGS are kept. */
export class Warnings {
  slots: GrowableBuffer = new GrowableBuffer();
  kept: i32 = 0;
  found: i32 = 0;

  add(code: i32, offset: f64, messageType: i32, detail: f64): void {
    this.found++;
    if (this.kept >= MAX_WARNINGS) return;
    const pointer = this.slots.reserve(WARNING_SLOTS * 8);
    store<f64>(pointer, <f64> code);
    store<f64>(pointer, offset, 8);
    store<f64>(pointer, <f64> messageType, 16);
    store<f64>(pointer, detail, 24);
    this.slots.length += WARNING_SLOTS * 8;
    this.kept++;
  }

  release(): void {
    this.slots.release();
    this.kept = 0;
    this.found = 0;
  }
}
