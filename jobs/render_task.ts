/**
 * Decoding and rendering of one job input, as the render workers (and the
 * benchmark, in-process) run it: a Level 2 volume becomes one image per
 * elevation of each requested product (see `sweep_selection.ts`), a
 * Level 3 product one image.
 *
 * @module
 */

import { decodeVolume } from "../core/level2/decode.ts";
import type { Volume } from "../core/radar/volume.ts";
import { decodeProduct } from "../core/level3/decode.ts";
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
} from "./rendered.ts";
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
  const volume = await decodeVolume(task.bytes, { source: task.source });
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
  const products: Partial<Record<Product, RenderedImage[]>> = {};
  for (const product of task.products) {
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
    const images: RenderedImage[] = [];
    for (const [k, sweep] of sweeps.entries()) {
      const image = await renderSweepImage(volume, sweep.index, code, {
        resolutionM: task.resolutionM,
      });
      images.push({
        png: image.png,
        metadata: { ...image.metadata, elevation_index: k + 1 },
      });
    }
    products[product] = images;
  }
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
  const cuts = volume.vcp?.cuts.length ?? 0;
  const reached = Math.max(0, ...volume.sweeps.map((s) => s.elevationNumber));
  if (reached < cuts) {
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
