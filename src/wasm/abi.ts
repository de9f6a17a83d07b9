/**
 * The ABI of linmem's allocator modules, as a JavaScript host sees an instance's exports. docs/linking.md describes it
 * for programs in any language.
 *
 * Each module imports its memory as `env.memory` and nothing else. Pointers and sizes are i32 values meaning u32, so a
 * pointer at or above 2^31 reaches JavaScript as a negative number until it is read with `>>> 0`.
 */
import type { WebAssemblyGlobal, WebAssemblyInstance } from "../webassembly-types.js";

/** A type rather than an interface, so that it passes as is for a module's imports (`{ allocator: heap.exports }`). */
export type AllocatorExports = {
  /** Lays out an empty heap at `heapBase`, a multiple of 8, and works on it from now on. */
  init(heapBase: number): void;
  /** Works on the heap already at `heapBase` from now on, changing nothing. */
  attach(heapBase: number): void;
  allocate_memory(size: number): number;
  free_memory(ptr: number): void;
  reset_memory(): void;
  /**
   * Why the last refused call trapped: one of TRAP_CODE_NUMBERS, stored just before `unreachable`; 0 until a call is
   * refused. A host may set it back to 0 after reading it.
   */
  trap_code: WebAssemblyGlobal;
  /** Where a module has it: `allocate_memory` aligned to `align` as well, a power of two from 8 to 65536. */
  allocate_memory_aligned?: (size: number, align: number) => number;
  /** Where a module has it: resizes a block, keeping its bytes up to the smaller size. */
  reallocate_memory?: (ptr: number, size: number) => number;
};

const REQUIRED_FUNCTIONS = ["init", "attach", "allocate_memory", "free_memory", "reset_memory"] as const;

/** The exports of an instance, after checking that it is an allocator module. */
export function allocatorExports(instance: WebAssemblyInstance, name: string): AllocatorExports {
  const exports = instance.exports;
  for (const exportName of REQUIRED_FUNCTIONS) {
    if (typeof exports[exportName] !== "function") {
      throw new TypeError(`the ${name} module does not export the function ${exportName}`);
    }
  }
  if (!(exports.trap_code instanceof WebAssembly.Global)) {
    throw new TypeError(`the ${name} module does not export the global trap_code`);
  }
  return exports as unknown as AllocatorExports;
}
