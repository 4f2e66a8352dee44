/**
 * The one owner of the `build/nexrad.wasm` instance.
 *
 * Bytes go into the module by copy and come out by copy, so no view of
 * `memory.buffer` outlives a call (memory growth replaces the buffer).
 * AssemblyScript cannot catch exceptions: a failed bounds check or a bug
 * becomes a call to the imported `abort` followed by a trap. The loader turns
 * both into a {@linkcode WasmAbortError}, throws the instance away and makes a
 * new one on the next call, so one bad input cannot poison later calls.
 *
 * Recoverable problems in the data are not aborts: the decoders return them
 * as status codes and warnings.
 *
 * @module
 */

/** AssemblyScript's class id of `ArrayBuffer` (see its runtime's RTTI). */
const ARRAY_BUFFER_ID = 1;

/** Exports every build of `nexrad.wasm` carries, from `--exportRuntime`. */
export interface RuntimeExports {
  memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
  __pin(pointer: number): number;
  __unpin(pointer: number): void;
  __collect(): void;
}

/** The instance's exports: the runtime plus the decoders' functions. */
export type NexradExports =
  & RuntimeExports
  & Record<string, unknown>;

/** An abort or trap inside the WebAssembly module: a bug, not bad data. */
export class WasmAbortError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "WasmAbortError";
  }
}

/** Functions of the TypeScript side that the module calls back. */
export interface WasmCallbacks {
  /**
   * Takes a finished Level 2 sweep section (see
   * `assembly/level2/layout.ts`). It must copy out what it keeps.
   */
  level2Sweep(wasm: NexradExports, section: number): void;
}

const WASM_URL = new URL("../../build/nexrad.wasm", import.meta.url);

let compiled: WebAssembly.Module | undefined;
let current: NexradExports | undefined;
/** The callbacks of the {@linkcode withWasm} call under way. */
let callbacks: Partial<WasmCallbacks> = {};
/** withWasm calls under way, counting nested ones. */
let depth = 0;

function compileModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(Deno.readFileSync(WASM_URL));
  return compiled;
}

function readString(exports: RuntimeExports, pointer: number): string {
  if (pointer === 0) return "";
  const memory = exports.memory.buffer;
  const byteLength = new Uint32Array(memory, pointer - 4, 1)[0];
  return String.fromCharCode(
    ...new Uint16Array(memory, pointer, byteLength >>> 1),
  );
}

function instantiate(): NexradExports {
  // The abort import needs the exports to read its strings, and they exist
  // only once the instance does.
  const bound: { exports?: NexradExports } = {};
  const imports = {
    env: {
      abort(message: number, file: number, line: number, column: number) {
        const exports = bound.exports;
        const text = exports === undefined
          ? "abort during start-up"
          : `${readString(exports, message)} in ${
            readString(exports, file)
          }:${line}:${column}`;
        throw new WasmAbortError(`WebAssembly module aborted: ${text}`);
      },
    },
    // AssemblyScript names the import module of a declared function after
    // its file: assembly/level2/sweep_builder.ts.
    sweep_builder: {
      level2Sweep(section: number) {
        const take = callbacks.level2Sweep;
        if (take === undefined || bound.exports === undefined) {
          throw new WasmAbortError(
            "WebAssembly module handed over a sweep outside a Level 2 decode",
          );
        }
        try {
          // Pointers arrive as signed 32-bit integers.
          take(bound.exports, section >>> 0);
        } catch (error) {
          // The module stopped half-way through its own bookkeeping.
          throw new WasmAbortError(
            `Taking a sweep section failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
      },
    },
  };
  const instance = new WebAssembly.Instance(compileModule(), imports);
  bound.exports = instance.exports as unknown as NexradExports;
  return bound.exports;
}

/**
 * Runs `work` against the module instance, replacing the instance when the
 * call aborts or traps.
 *
 * @param work The calls to make; it must copy out everything it keeps.
 * @param during The callbacks the module may call while `work` runs.
 * @returns Whatever `work` returns.
 * @throws {WasmAbortError} The module aborted or trapped, or a callback
 * threw. The next call then gets a fresh instance.
 */
export function withWasm<T>(
  work: (wasm: NexradExports) => T,
  during: Partial<WasmCallbacks> = {},
): T {
  const wasm = current ??= instantiate();
  const outer = callbacks;
  callbacks = during;
  depth++;
  try {
    const result = work(wasm);
    // Frees what the call left for the collector, so that the next call
    // reuses that memory rather than growing it. Not inside another call,
    // whose pointers may not be pinned.
    if (depth === 1) wasm.__collect();
    return result;
  } catch (error) {
    if (error instanceof WasmAbortError) {
      current = undefined;
      throw error;
    }
    if (error instanceof WebAssembly.RuntimeError) {
      current = undefined;
      throw new WasmAbortError(
        `WebAssembly module trapped: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    depth--;
    callbacks = outer;
  }
}

/**
 * Copies `bytes` into a new pinned `ArrayBuffer` inside the module. An
 * array of parts is copied one after the other into one buffer, so input
 * that arrives in pieces (a stream) needs no joined copy on this side.
 *
 * The caller passes the returned pointer to an export and then releases it
 * with {@linkcode releaseBuffer}, in a `finally`.
 */
export function copyIn(
  wasm: RuntimeExports,
  bytes: Uint8Array | readonly Uint8Array[],
): number {
  const parts = bytes instanceof Uint8Array ? [bytes] : bytes;
  const pointer = wasm.__pin(wasm.__new(totalLength(parts), ARRAY_BUFFER_ID));
  writeParts(wasm, pointer, parts);
  return pointer;
}

/**
 * Copies `parts` over a buffer made by {@linkcode copyIn} and returns true
 * when their total length equals the buffer's. Otherwise copies nothing
 * and returns false.
 */
export function refill(
  wasm: RuntimeExports,
  pointer: number,
  parts: readonly Uint8Array[],
): boolean {
  if (pointer === 0 || bufferLength(wasm, pointer) !== totalLength(parts)) {
    return false;
  }
  writeParts(wasm, pointer, parts);
  return true;
}

/** Returns the sum of the lengths of `parts`. */
function totalLength(parts: readonly Uint8Array[]): number {
  return parts.reduce((sum, part) => sum + part.byteLength, 0);
}

/** Copies `parts` one after the other into module memory at `pointer`. */
function writeParts(
  wasm: RuntimeExports,
  pointer: number,
  parts: readonly Uint8Array[],
): void {
  const memory = new Uint8Array(wasm.memory.buffer);
  let at = pointer;
  for (const part of parts) {
    memory.set(part, at);
    at += part.byteLength;
  }
}

/** Reads the byte length of a module `ArrayBuffer` from its header. */
function bufferLength(wasm: RuntimeExports, pointer: number): number {
  return new Uint32Array(wasm.memory.buffer, (pointer >>> 0) - 4, 1)[0];
}

/** Unpins a buffer made by {@linkcode copyIn} so the collector may free it. */
export function releaseBuffer(wasm: RuntimeExports, pointer: number): void {
  if (pointer !== 0) wasm.__unpin(pointer);
}

/**
 * Copies an `ArrayBuffer` returned by an export out of the module.
 *
 * @param pointer The export's return value; 0 stands for null.
 * @returns A copy that stays valid after later calls, or null.
 */
export function copyOut(
  wasm: RuntimeExports,
  pointer: number,
): Uint8Array | null {
  if (pointer === 0) return null;
  // Exports return pointers as signed 32-bit integers.
  const at = pointer >>> 0;
  return new Uint8Array(wasm.memory.buffer, at, bufferLength(wasm, at))
    .slice();
}
