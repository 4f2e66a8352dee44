/**
 * Result of decoding and rendering one input for a job: images with
 * their metadata per product, ready to store. These values cross the
 * boundary of a Web Worker, so they are plain data.
 *
 * @module
 */

import type { DecodeWarning } from "../core/errors.ts";
import type { DecodedArchive } from "../core/level2/decode.ts";
import type { MomentCode } from "../core/radar/moment.ts";
import type { Volume } from "../core/radar/volume.ts";
import type { Product } from "../core/storage/keys.ts";

/** One stored image: PNG bytes and the metadata JSON beside it. */
export interface RenderedImage {
  png: Uint8Array;
  /** Stored as `{stem}.json`. It contains at least `bounding_box_lon_lat`. */
  metadata: Record<string, unknown>;
}

/** A decoded and rendered Level 2 volume or Level 3 product. */
export interface RenderedInput {
  /** ICAO radar identifier from the data, e.g. "KTLX". */
  siteId: string;
  /** Volume time from the data, ISO 8601 UTC. */
  collectedAt: string;
  /** Level 2 archive format from the volume header, e.g. "AR2V0006"; else null. */
  archiveVersion: string | null;
  /**
   * Images per product name; image `k` is stored as `idx{k}`. A product
   * the input does not carry maps to an empty array.
   */
  products: Partial<Record<Product, RenderedImage[]>>;
  /** Problems the decoder skipped. */
  warnings: DecodeWarning[];
  /**
   * Time spent decoding and rendering, milliseconds: in the worker, or for
   * a volume spread over workers from its first piece to its last image,
   * waits for free workers included.
   */
  renderMs: number;
}

/** Decodes and renders one Level 2 volume. */
export interface Level2Task {
  kind: "level2";
  bytes: Uint8Array;
  /** Object key or file name, for messages. */
  source: string;
  /** Products to render, e.g. ["reflectivity", "velocity"]. */
  products: Product[];
  /**
   * Renders every sweep carrying each product's moment, in elevation order,
   * as the replaced service did, instead of one sweep per elevation. The
   * benchmark uses it to compare the same work.
   */
  everySweep?: boolean;
  /** Ground size of a pixel, metres; the renderer's default when absent. */
  resolutionM?: number;
}

/** Decodes and renders one Level 3 product. */
export interface Level3Task {
  kind: "level3";
  bytes: Uint8Array;
  source: string;
  /** Product type the image is stored under, e.g. "hydrometeor". */
  product: Product;
  resolutionM?: number;
}

/** Work for the decode-and-render pool. */
export type RenderTask = Level2Task | Level3Task;

/**
 * Decodes one piece of a Level 2 file cut between LDM records (see
 * `core/level2/pieces.ts`): part of a volume spread over several workers.
 */
export interface Level2PieceTask {
  kind: "level2Piece";
  bytes: Uint8Array;
  /** Offset of the piece in the file. */
  offset: number;
  source: string;
  /** Moments whose codes to return, the only ones the images need. */
  moments: MomentCode[];
}

/** Renders one sweep moment of a decoded volume as an image of a product. */
export interface Level2ImageTask {
  kind: "level2Image";
  /** The volume, with the moments of other images left out. */
  volume: Volume;
  sweepIndex: number;
  code: MomentCode;
  /** Position of the image in its product, stored as `idx{imageIndex}`. */
  imageIndex: number;
  resolutionM?: number;
}

/** Any task a render worker runs. */
export type WorkerTask = RenderTask | Level2PieceTask | Level2ImageTask;

/** The result a render worker returns for a task of type `T`. */
export type WorkerResult<T extends WorkerTask> = T extends Level2PieceTask
  ? DecodedArchive
  : T extends Level2ImageTask ? RenderedImage
  : RenderedInput;

/** Runs one task, in a worker or in-process. */
export type Renderer = (
  task: RenderTask,
  options?: { signal?: AbortSignal },
) => Promise<RenderedInput>;
