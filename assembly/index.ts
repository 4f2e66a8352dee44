// Exports of build/nexrad.wasm. Each decoder lives in its own folder; this
// file only re-exports the functions the TypeScript side calls.

export { decodeLevel3Product } from "./level3/decode";
