/**
 * Runs the WebAssembly Level 3 decoder on one product message and reads
 * its result buffer (layout in `assembly/level3/layout.ts`).
 *
 * @module
 */

import { DecodeError, type DecodeWarning } from "../errors.ts";
import { hasVolumeHeader } from "../level2/wrappers.ts";
import { copyIn, copyOut, releaseBuffer, withWasm } from "../wasm/loader.ts";
import * as layout from "../../assembly/level3/layout.ts";

/** The decoder's result, copied out of the module. */
export interface DecodedMessage {
  /** Reads an int32 slot of the result header (layout.ts `SLOT_`). */
  slot(index: number): number;
  /** Reads a slot that contains float32 bits. */
  float(index: number): number;
  /** Halfwords 31-46, unsigned. */
  thresholds: number[];
  /** Halfwords 27, 28, 30, 47-53, unsigned. */
  dependent: number[];
  /** Distinct packet codes of each symbology layer, first seen first. */
  layers: number[][];
  warnings: DecodeWarning[];
  azimuthsDeg: Float32Array;
  spacingsDeg: Float32Array;
  radialGateCounts: Uint16Array;
  codes: Uint8Array | Uint16Array;
}

/**
 * A well-formed message this decoder does not turn into a product: the
 * General Status Message (code 2) and free-text messages, which carry no
 * product description block.
 */
export class UnsupportedProductError extends DecodeError {
  constructor(message: string, source: string) {
    super(message, { source, offset: 0 });
    this.name = "UnsupportedProductError";
  }
}

type DecodeExport = (input: number) => number;

/** Warning message text by warning code. */
const WARNING_TEXT: Record<number, string> = {
  [layout.WARN_BAD_SYMBOLOGY]:
    "Symbology block or layer header is invalid; the rest of the block is skipped",
  [layout.WARN_TRUNCATED_PACKET]:
    "Packet or layer runs past the end of its block; the rest is skipped",
  [layout.WARN_UNKNOWN_PACKET]:
    "Unknown packet code; the rest of its layer is skipped",
  [layout.WARN_EXTRA_BINS]:
    "Radial or row carries more bins than its packet header; the extra bins are dropped",
  [layout.WARN_EXTRA_DATA_PACKET]:
    "Second data packet in the product; only the first is decoded",
  [layout.WARN_GENERIC_NOT_RADIAL]:
    "Generic data packet holds no radial component; it is not decoded",
  [layout.WARN_BAD_DIMENSIONS]:
    "Packet header gives an impossible radial, row or bin count; the packet is skipped",
  [layout.WARN_CLAMPED_CODES]:
    "Generic data packet codes outside 0-65535 were clamped to that range",
};

/**
 * Decodes a product message (starting at its message header).
 *
 * @throws {DecodeError} The message is truncated, is not a product, or its
 * compressed symbology block is corrupt.
 */
export function decodeMessage(
  message: Uint8Array,
  source: string,
): DecodedMessage {
  const buffer = withWasm((wasm) => {
    const decode = wasm.decodeLevel3Product as DecodeExport;
    const input = copyIn(wasm, message);
    try {
      return copyOut(wasm, decode(input));
    } finally {
      releaseBuffer(wasm, input);
    }
  });
  if (buffer === null) {
    throw new DecodeError("Decoder returned no result", { source, offset: 0 });
  }
  const view = new DataView(buffer.buffer);
  const slot = (index: number) => view.getInt32(index * 4, true);
  checkStatus(slot, message, source);

  const halfwords = (offset: number, count: number) =>
    Array.from(
      { length: count },
      (_, i) => view.getUint16(offset + i * 2, true),
    );
  const radials = slot(layout.SLOT_AZIMUTHS_OFFSET);
  const radialCount = slot(layout.SLOT_DATA_KIND) === layout.DATA_RADIAL
    ? slot(layout.SLOT_RADIAL_COUNT)
    : 0;
  const codesOffset = slot(layout.SLOT_CODES_OFFSET);
  const codes = slot(layout.SLOT_CODE_BYTES) === 2
    ? new Uint16Array(buffer.buffer.slice(codesOffset))
    : buffer.slice(codesOffset);

  return {
    slot,
    float: (index) => view.getFloat32(index * 4, true),
    thresholds: halfwords(layout.THRESHOLDS_OFFSET, 16),
    dependent: halfwords(layout.DEPENDENT_OFFSET, 10),
    layers: readLayers(view, slot),
    warnings: readWarnings(view, slot, source),
    azimuthsDeg: new Float32Array(
      buffer.buffer.slice(radials, radials + radialCount * 4),
    ),
    spacingsDeg: new Float32Array(
      buffer.buffer.slice(radials + radialCount * 4, radials + radialCount * 8),
    ),
    radialGateCounts: new Uint16Array(
      buffer.buffer.slice(
        radials + radialCount * 8,
        radials + radialCount * 10,
      ),
    ),
    codes,
  };
}

function checkStatus(
  slot: (index: number) => number,
  message: Uint8Array,
  source: string,
): void {
  const length = message.length;
  const status = slot(layout.SLOT_STATUS);
  const offset = slot(layout.SLOT_STATUS_OFFSET);
  const site = { source, offset, messageType: slot(layout.SLOT_MESSAGE_CODE) };
  switch (status) {
    case layout.STATUS_OK:
      return;
    case layout.STATUS_TRUNCATED:
      throw new DecodeError(
        `Product is truncated: ${length} bytes end inside the header, ` +
          "description block or before the symbology offset",
        site,
      );
    case layout.STATUS_BAD_DESCRIPTION:
      throw new DecodeError(
        "Product description block does not start with divider -1",
        site,
      );
    case layout.STATUS_BAD_COMPRESSION:
      throw new DecodeError(
        "Cannot decompress the bzip2 symbology block",
        site,
      );
    case layout.STATUS_GENERAL_STATUS:
      throw new UnsupportedProductError(
        "General Status Message (code 2) is not decoded: it has no product description block",
        source,
      );
    case layout.STATUS_NOT_A_PRODUCT:
      throw new DecodeError(
        `Message code ${site.messageType} is not a product code (16-211)` +
          (hasVolumeHeader(message)
            ? ": the input is a Level 2 volume (it starts with a volume header)"
            : ""),
        { source, offset },
      );
    default:
      throw new DecodeError(`Decoder returned unknown status ${status}`, site);
  }
}

function readLayers(
  view: DataView,
  slot: (index: number) => number,
): number[][] {
  const layers: number[][] = Array.from(
    { length: Math.max(0, slot(layout.SLOT_LAYER_COUNT)) },
    () => [],
  );
  const offset = slot(layout.SLOT_LAYERS_OFFSET);
  for (let i = 0; i < slot(layout.SLOT_PACKET_COUNT); i++) {
    const entry = view.getUint32(offset + i * 4, true);
    const layer = layers[entry >>> 16];
    const code = entry & 0xffff;
    if (layer !== undefined && !layer.includes(code)) layer.push(code);
  }
  return layers;
}

function readWarnings(
  view: DataView,
  slot: (index: number) => number,
  source: string,
): DecodeWarning[] {
  const offset = slot(layout.SLOT_WARNINGS_OFFSET);
  return Array.from({ length: slot(layout.SLOT_WARNING_COUNT) }, (_, i) => {
    const code = view.getInt32(offset + i * 12, true);
    const packet = view.getInt32(offset + i * 12 + 8, true);
    return {
      source,
      offset: view.getInt32(offset + i * 12 + 4, true),
      messageType: packet === 0 ? undefined : packet,
      message: WARNING_TEXT[code] ?? `Decoder warning ${code}`,
    };
  });
}
