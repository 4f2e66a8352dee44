// Exports of build/nexrad.wasm. Each decoder lives in its own folder; this
// file only re-exports the functions the TypeScript side calls.
export { level2Decode, level2Release, level2Sweep } from "./level2/exports";
