/**
 * Rendering of one Level 2 volume split over several workers, for passes
 * with fewer volumes than workers. Each worker decodes the whole file and
 * renders a share of the images. The shares then merge into the result
 * one worker would have returned, image for image.
 *
 * @module
 */

import type { Product } from "../core/storage/keys.ts";
import type { Level2Task, RenderedImage, RenderedInput } from "./rendered.ts";

/**
 * Renders `task` as `parts` shares run at once by `run`, then merges them.
 * A share that fails rejects the whole volume, and the results of the
 * other shares are dropped.
 */
export async function renderInParts(
  run: (task: Level2Task) => Promise<RenderedInput>,
  task: Level2Task,
  parts: number,
): Promise<RenderedInput> {
  const shares = await Promise.all(
    Array.from(
      { length: parts },
      (_, index) => run({ ...task, share: { index, count: parts } }),
    ),
  );
  return mergeShares(task, shares);
}

/**
 * Puts the images of the shares back in volume order: image `k` of all
 * products in order comes from share `k % shares.length`, as
 * `render_task.ts` deals them out.
 */
function mergeShares(
  task: Level2Task,
  shares: readonly RenderedInput[],
): RenderedInput {
  const products: Partial<Record<Product, RenderedImage[]>> = {};
  let position = 0;
  for (const product of task.products) {
    const parts = shares.map((share) => share.products[product] ?? []);
    const used = parts.map(() => 0);
    const total = parts.reduce((sum, images) => sum + images.length, 0);
    const images: RenderedImage[] = [];
    for (let k = 0; k < total; k++) {
      const share = position++ % shares.length;
      const image = parts[share][used[share]++];
      if (image === undefined) {
        throw new Error(
          `Cannot merge the shares of ${task.source}: share ${share} has ` +
            `no ${product} image ${k}, so the workers decoded different sweeps`,
        );
      }
      images.push(image);
    }
    products[product] = images;
  }
  // Every share decoded the same bytes, so they agree on all but images.
  const [first] = shares;
  return {
    siteId: first.siteId,
    collectedAt: first.collectedAt,
    archiveVersion: first.archiveVersion,
    products,
    warnings: first.warnings,
    renderMs: Math.max(...shares.map((share) => share.renderMs)),
  };
}
