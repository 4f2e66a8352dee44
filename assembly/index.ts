// Exports of build/nexrad.wasm. Each decoder lives in its own folder; this
// file only re-exports the functions the TypeScript side calls.
export { locatePolarPoints, renderPolarGrid } from "./render/polar_grid";
