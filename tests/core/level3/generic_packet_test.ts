// Builds a product with a generic data packet (packet 28) by hand, from
// the XDR layout that ICD 2620001 gives, to cover what the corpus does
// not: several components in one packet and codes outside 16 bits.

import assert from "node:assert/strict";
import { decodeProduct } from "../../../core/level3/decode.ts";

/** Writes big-endian XDR items: 4-byte words and padded strings. */
class XdrWriter {
  #bytes: number[] = [];

  int(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setInt32(0, value);
    this.#bytes.push(...new Uint8Array(view.buffer));
    return this;
  }

  float(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value);
    this.#bytes.push(...new Uint8Array(view.buffer));
    return this;
  }

  string(text: string): this {
    this.int(text.length);
    const padded = Math.ceil(text.length / 4) * 4;
    for (let i = 0; i < padded; i++) {
      this.#bytes.push(i < text.length ? text.charCodeAt(i) : 0);
    }
    return this;
  }

  get length(): number {
    return this.#bytes.length;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.#bytes);
  }
}

/** Byte offset of the radial component's type word in `xdrProduct()`. */
let radialTypeOffset = 0;

/** Builds an XDR product: header, no parameters, text and radial components. */
function xdrProduct(): Uint8Array {
  const xdr = new XdrWriter()
    .string("DPR").string("Test product").int(176).int(1).int(0)
    .string("KLSX").float(38.7).float(-90.68).float(220)
    .int(0).int(0).float(0).int(3).int(2).int(12).int(0).int(0).int(0)
    .int(0).int(0) // no parameters: count, pointer word
    .int(2).int(2) // two components: count, pointer word
    .int(4).int(0).int(0).string("a text component") // type 4, no params
    .int(1); // pointer word between components
  radialTypeOffset = xdr.length;
  xdr.int(1).string("radials").float(250).float(125).int(0).int(0).int(2);
  for (const azimuth of [0.5, 1.5]) {
    xdr.float(azimuth).float(0.5).float(1).int(3).string("");
    xdr.int(3).int(0).int(5).int(70000);
  }
  return xdr.bytes();
}

/** Wraps a symbology payload in a message header and description block. */
function productMessage(packet: Uint8Array): Uint8Array {
  const symbologyLength = 16 + packet.length;
  const bytes = new Uint8Array(120 + symbologyLength);
  const view = new DataView(bytes.buffer);
  view.setInt16(0, 176); // message code
  view.setUint16(2, 18972); // 2021-12-11
  view.setUint32(8, bytes.length);
  view.setInt16(16, 3); // blocks
  view.setInt16(18, -1); // description divider
  view.setInt32(20, 38699); // latitude x 1000
  view.setInt32(24, -90683); // longitude x 1000
  view.setInt16(28, 721); // height, ft
  view.setInt16(30, 176); // product code
  view.setUint16(21 * 2 - 2, 18972); // halfword 21, volume scan date
  view.setUint16(24 * 2 - 2, 18972); // halfword 24, generation date
  view.setUint16(60, 0x447a); // halfwords 31-32: scale 1000.0
  view.setUint16(70, 0xffff); // halfword 36: maximum code
  view.setUint32(108, 60); // symbology offset, halfwords
  view.setInt16(120, -1);
  view.setInt16(122, 1);
  view.setInt32(124, symbologyLength);
  view.setInt16(128, 1); // layers
  view.setInt16(130, -1);
  view.setInt32(132, packet.length);
  bytes.set(packet, 136);
  return bytes;
}

function genericPacket(xdr: Uint8Array): Uint8Array {
  const packet = new Uint8Array(8 + xdr.length);
  const view = new DataView(packet.buffer);
  view.setInt16(0, 28);
  view.setInt32(4, xdr.length);
  packet.set(xdr, 8);
  return packet;
}

Deno.test("decodeProduct() finds the radials after a text component", async () => {
  const product = await decodeProduct(
    productMessage(genericPacket(xdrProduct())),
  );
  const data = product.data;
  assert.ok(data !== null && data.kind === "polar");
  assert.equal(data.packetCode, 28);
  assert.equal(data.radialCount, 2);
  assert.equal(data.gateCount, 3);
  assert.deepEqual([...data.azimuthsDeg], [0.5, 1.5]);
  assert.equal(data.firstGateRangeKm, 0.125);
  assert.equal(data.gateIntervalKm, 0.25);
  // 70000 does not fit the 16-bit codes: clamped, with a warning.
  assert.deepEqual([...data.raw], [0, 5, 65535, 0, 5, 65535]);
  assert.equal(product.warnings.length, 1);
  assert.match(product.warnings[0].message, /clamped/);
  // DPR: code / 1000 in/h, code 0 a rate of 0.
  assert.ok(Math.abs(product.dataLevels!.values[5] - 0.005) < 1e-7);
  assert.equal(product.dataLevels!.values[0], 0);
});

Deno.test("decodeProduct() warns when no component is radial", async () => {
  const xdr = xdrProduct();
  // Turn the radial component's type (1) into an event component (6).
  const view = new DataView(xdr.buffer);
  assert.equal(view.getInt32(radialTypeOffset), 1);
  view.setInt32(radialTypeOffset, 6);
  const product = await decodeProduct(productMessage(genericPacket(xdr)));
  assert.equal(product.data, null);
  assert.match(product.warnings[0].message, /no radial component/);
});
