/**
 * Decoding and rendering of one job input, as the render workers (and the
 * benchmark, in-process) run it: a Level 2 volume becomes one image per
 * elevation of each requested product (see `sweep_selection.ts`), a
 * Level 3 product one image.
 *
 * @module
 */

import type { DecodeWarning } from "../core/errors.ts";
import { decodeVolume } from "../core/level2/decode.ts";
import type { SweepFragment } from "../core/level2/layout.ts";
import { decodePiece } from "../core/level2/pieces.ts";
import type { MomentCode } from "../core/radar/moment.ts";
import type { Volume } from "../core/radar/volume.ts";
import { productInfo } from "../core/level3/products.ts";
import {
  CodeKind,
  type Product as Level3Product,
} from "../core/radar/product.ts";
import { defaultColourTable } from "../core/render/palettes/default_tables.ts";
import { renderProductImage } from "../core/render/product_image.ts";
import {
  renderSweepImage,
  volumeLocation,
} from "../core/render/sweep_image.ts";
import type { Product } from "../core/storage/keys.ts";
import type {
  Level2Task,
  Level3Task,
  RenderedImage,
  RenderedInput,
  RenderTask,
  WorkerTask,
} from "./rendered.ts";
import { freeBuffers, volumeArrays } from "./buffers.ts";
import { LEVEL2_PRODUCT_MOMENTS, selectSweeps } from "./sweep_selection.ts";

/** Decodes and renders one task. */
export async function renderTask(task: RenderTask): Promise<RenderedInput> {
  const started = performance.now();
  const rendered = task.kind === "level2"
    ? await renderLevel2(task)
    : await renderLevel3(task);
  return { ...rendered, renderMs: performance.now() - started };
}

async function renderLevel2(
  task: Level2Task,
): Promise<Omit<RenderedInput, "renderMs">> {
  const volume = await decodeVolume(task.bytes, {
    source: task.source,
    moments: taskMoments(task),
  });
  const plan = planLevel2(volume, task);
  const products: Partial<Record<Product, RenderedImage[]>> = {};
  for (const [product, indices] of plan.images) {
    const code = LEVEL2_PRODUCT_MOMENTS[product]!;
    const images: RenderedImage[] = [];
    for (const [k, sweepIndex] of indices.entries()) {
      images.push(
        await renderLevel2Image(volume, sweepIndex, code, k, task.resolutionM),
      );
    }
    products[product] = images;
  }
  const result = level2Result(volume, products, plan.warnings);
  freeBuffers(volumeArrays(volume));
  return result;
}

/** Returns the moments that the products of a Level 2 task draw. */
export function taskMoments(task: Level2Task): MomentCode[] {
  return task.products.flatMap((product) =>
    LEVEL2_PRODUCT_MOMENTS[product] ?? []
  );
}

/** The images of a Level 2 task and what to warn about its volume. */
export interface Level2Plan {
  /** Per product, the sweep indices of its images `idx0..n-1`. */
  images: [Product, number[]][];
  warnings: DecodeWarning[];
}

/**
 * Chooses the sweeps of each product of `task` (see `sweep_selection.ts`)
 * and collects the volume's warnings, adding the missing radar location
 * and the missing parts of an incomplete volume.
 *
 * @throws {RangeError} The volume has no location and its site is not in
 * the radar site table.
 * @throws {TypeError} A product is not a Level 2 one.
 */
export function planLevel2(volume: Volume, task: Level2Task): Level2Plan {
  const warnings = [...volume.warnings];
  if (volume.location === null) {
    // Throws for a site missing from the table, before any rendering. The
    // warning goes first because the job logs only the first 10.
    volumeLocation(volume);
    warnings.unshift({
      source: task.source,
      offset: 0,
      messageType: 1,
      message: "The volume has no radar location (message 1 data), so its " +
        `images use the radar site table entry of ${volume.siteId}`,
    });
  }
  const missing = missingParts(volume);
  if (missing !== null) {
    warnings.push({
      source: task.source,
      offset: task.bytes.length,
      message:
        `Incomplete volume: ${missing}; only complete sweeps are published`,
    });
  }
  const complete = volume.sweeps.filter((sweep) => sweep.complete);
  // A product named twice makes its images once.
  const products = [...new Set(task.products)];
  const images: [Product, number[]][] = products.map((product) => {
    const code = LEVEL2_PRODUCT_MOMENTS[product];
    if (code === undefined) {
      throw new TypeError(`Invalid Level 2 product "${product}"`);
    }
    const sweeps = task.everySweep
      ? complete
        .filter((sweep) => sweep.moments[code] !== undefined)
        .sort((a, b) =>
          a.elevationAngleDeg - b.elevationAngleDeg || a.index - b.index
        )
      : selectSweeps(complete, code);
    return [product, sweeps.map((sweep) => sweep.index)];
  });
  return { images, warnings };
}

/**
 * Renders one sweep moment as image `imageIndex` of a product (stored as
 * `idx{imageIndex}`, with `elevation_index` one more in its metadata).
 */
export async function renderLevel2Image(
  volume: Volume,
  sweepIndex: number,
  code: MomentCode,
  imageIndex: number,
  resolutionM?: number,
): Promise<RenderedImage> {
  const image = await renderSweepImage(volume, sweepIndex, code, {
    resolutionM,
  });
  return {
    png: image.png,
    metadata: { ...image.metadata, elevation_index: imageIndex + 1 },
  };
}

/** Builds the result of a Level 2 task from its volume, images and warnings. */
export function level2Result(
  volume: Volume,
  products: Partial<Record<Product, RenderedImage[]>>,
  warnings: DecodeWarning[],
): Omit<RenderedInput, "renderMs"> {
  return {
    siteId: volume.siteId,
    collectedAt: volume.collectedAt.toISOString(),
    archiveVersion: volume.archiveVersion,
    products,
    warnings,
  };
}

/**
 * Says what an incomplete volume lacks: sweeps cut short, cuts of its
 * coverage pattern never reached, or the end-of-volume radial. Returns
 * null for a whole volume.
 */
function missingParts(volume: Volume): string | null {
  const missing: string[] = [];
  const short = volume.sweeps.filter((sweep) => !sweep.complete);
  if (short.length > 0) {
    const numbers = short.map((sweep) => sweep.elevationNumber).join(", ");
    missing.push(`elevation ${numbers} cut short`);
  }
  // The radar may end a volume before its pattern's last cut, as AVSET
  // does, so a volume with its end-of-volume radial lacks no cut.
  const cuts = volume.vcp?.cuts.length ?? 0;
  const reached = Math.max(0, ...volume.sweeps.map((s) => s.elevationNumber));
  if (!volume.complete && reached < cuts) {
    missing.push(
      `elevations ${reached + 1} to ${cuts} of VCP ${volume.vcpNumber} missing`,
    );
  }
  if (!volume.complete && missing.length === 0) {
    missing.push("no end-of-volume radial");
  }
  return missing.length === 0 ? null : missing.join(", ");
}

async function renderLevel3(
  task: Level3Task,
): Promise<Omit<RenderedInput, "renderMs">> {
  // Loaded on the first Level 3 task: the NOAAPORT framing imports
  // node:zlib, which costs each worker about 15 ms to start.
  const { decodeProduct } = await import("../core/level3/decode.ts");
  const product = await decodeProduct(task.bytes, { source: task.source });
  const drawn = product.nullProduct && product.data === null
    ? withEmptyRadials(product)
    : product;
  const image = await renderProductImage(drawn, {
    resolutionM: task.resolutionM,
    // Any table draws a null product: every code of it is transparent.
    colourTable: drawn === product
      ? undefined
      : defaultColourTable("precipitation"),
  });
  return {
    siteId: product.siteId ?? "",
    collectedAt: product.volumeScanTime.toISOString(),
    archiveVersion: null,
    products: {
      [task.product]: [{ png: image.png, metadata: image.metadata }],
    },
    warnings: product.warnings,
  };
}

/** Radials and range bins of the empty image of a null product. */
const EMPTY_RADIALS = 360;
const EMPTY_BIN_KM = 1;

/**
 * Gives a null product (a product flagged as having nothing to show, e.g.
 * no precipitation) radials of below-threshold codes out to its product's
 * maximum range, so it renders as a transparent image with the corners of
 * a real one. The frontend then shows "nothing" for that time rather than
 * a gap or the previous image.
 */
function withEmptyRadials(product: Level3Product): Level3Product {
  const rangeKm = productInfo(product.productCode).maxRangeKm ?? 230;
  const gateCount = Math.ceil(rangeKm / EMPTY_BIN_KM);
  const nothing = new Uint8Array(256).fill(CodeKind.NoData);
  return {
    ...product,
    dataLevels: product.dataLevels ?? {
      unit: "",
      values: new Float32Array(256).fill(NaN),
      kinds: nothing,
      labels: null,
    },
    data: {
      kind: "polar",
      packetCode: 16,
      azimuthsDeg: Float32Array.from({ length: EMPTY_RADIALS }, (_, k) => k),
      azimuthSpacingsDeg: new Float32Array(EMPTY_RADIALS).fill(1),
      radialCount: EMPTY_RADIALS,
      gateCount,
      radialGateCounts: new Uint16Array(EMPTY_RADIALS).fill(gateCount),
      firstGateRangeKm: EMPTY_BIN_KM / 2,
      gateIntervalKm: EMPTY_BIN_KM,
      firstBinIndex: 0,
      rangeScaleFactorRaw: 0,
      raw: new Uint8Array(EMPTY_RADIALS * gateCount),
    },
  };
}

/**
 * Runs any task of a render worker. `transfer` lists the buffers of the
 * result, each once, for the worker to move rather than copy.
 */
export async function runWorkerTask(
  task: WorkerTask,
): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  switch (task.kind) {
    case "level2Piece": {
      const decoded = await decodePiece(task, task.source, task.moments);
      return { result: decoded, transfer: fragmentBuffers(decoded.fragments) };
    }
    case "level2Image": {
      const image = await renderLevel2Image(
        task.volume,
        task.sweepIndex,
        task.code,
        task.imageIndex,
        task.resolutionM,
      );
      return { result: image, transfer: pngBuffers([image]) };
    }
    default: {
      const result = await renderTask(task);
      const images = Object.values(result.products).flat();
      return { result, transfer: pngBuffers(images) };
    }
  }
}

// A buffer listed twice cannot be moved, hence the sets.

function pngBuffers(images: RenderedImage[]): ArrayBuffer[] {
  return [...new Set(images.map((image) => image.png.buffer as ArrayBuffer))];
}

function fragmentBuffers(fragments: SweepFragment[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const fragment of fragments) {
    const arrays = [
      fragment.timesMs,
      fragment.azimuthsDeg,
      fragment.elevationsDeg,
      fragment.azimuthSpacingsDeg,
      fragment.radialStatus,
      ...Object.values(fragment.moments).flatMap((moment) => [
        moment.raw,
        moment.radialGateCounts,
      ]),
    ];
    for (const array of arrays) buffers.add(array.buffer as ArrayBuffer);
  }
  return [...buffers];
}
