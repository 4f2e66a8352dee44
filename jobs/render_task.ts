/**
 * Decoding and rendering of one job input, as the render workers (and the
 * benchmark, in-process) run it: a Level 2 volume becomes one image per
 * elevation of each requested product (see `sweep_selection.ts`), a
 * Level 3 product one image.
 *
 * @module
 */

import { decodeVolume } from "../core/level2/decode.ts";
import { decodeProduct } from "../core/level3/decode.ts";
import { renderProductImage } from "../core/render/product_image.ts";
import { renderSweepImage } from "../core/render/sweep_image.ts";
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
  const products: Partial<Record<Product, RenderedImage[]>> = {};
  for (const product of task.products) {
    const code = LEVEL2_PRODUCT_MOMENTS[product];
    if (code === undefined) {
      throw new TypeError(`Invalid Level 2 product "${product}"`);
    }
    const sweeps = task.everySweep
      ? volume.sweeps
        .filter((sweep) => sweep.moments[code] !== undefined)
        .sort((a, b) =>
          a.elevationAngleDeg - b.elevationAngleDeg || a.index - b.index
        )
      : selectSweeps(volume.sweeps, code);
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
    warnings: volume.warnings,
  };
}

async function renderLevel3(
  task: Level3Task,
): Promise<Omit<RenderedInput, "renderMs">> {
  const product = await decodeProduct(task.bytes, { source: task.source });
  const image = await renderProductImage(product, {
    resolutionM: task.resolutionM,
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
