// Exports of build/nexrad.wasm. Each decoder lives in its own folder; this
// file only re-exports the functions the TypeScript side calls.

export {
  bzip2Decompress,
  bzip2LastComputedCrc,
  bzip2LastErrorOffset,
  bzip2LastExpectedCrc,
  bzip2LastVerifiedLength,
  bzip2OutputLength,
  bzip2OutputPointer,
  bzip2ReleaseOutput,
} from "./bzip2/exports";
export {
  level2Begin,
  level2Feed,
  level2Next,
  level2Release,
  level2Summary,
  level2WantedOffset,
} from "./level2/exports";
export { decodeLevel3Product } from "./level3/decode";
export { locatePolarPoints, renderPolarGrid } from "./render/polar_grid";
export { renderCartesianGrid } from "./render/cartesian_grid";
export { pngIdatChunk, pngIdatChunkOfRows } from "./deflate/png_data";
