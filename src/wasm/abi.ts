/**
 * The ABI of linmem's allocator modules, as a JavaScript host sees an instance's exports. docs/linking.md describes it
 * for programs in any language.
 *
 * Each module imports its memory as `env.memory` and nothing else. Pointers and sizes are i32 values meaning u32, so a
 * pointer at or above 2^31 reaches JavaScript as a negative number until it is read with `>>> 0`.
 *
 * The shared build of a module, for a memory shared between threads, imports a shared `env.memory` and a clock,
 * `env.now`, and exports `lock_setup`, by which the host sets up the instance's use of the heap's lock
 * (src/allocator/lock.ts), and `lock_owner`.
 */
import type { WebAssemblyGlobal, WebAssemblyInstance } from "../webassembly-types.js";

/** A type rather than an interface, so that it passes as is for a module's imports (`{ linmem: heap.exports }`). */
export type AllocatorExports = {
  /** Lays out an empty heap at `heapBase`, a multiple of 8, and works on it from now on. */
  init(heapBase: number): void;
  /** Works on the heap already at `heapBase` from now on, changing nothing. */
  attach(heapBase: number): void;

  // The C allocation family: a refused request returns 0, with the reason in `trap_code`.
  /** A block of `size` bytes aligned to 8, or 0. */
  malloc(size: number): number;
  /** A block of `count * size` bytes set to zero, or 0 (also when the product overflows 32 bits). */
  calloc(count: number, size: number): number;
  /** A block whose pointer is a multiple of `align`, a power of two up to 65536 (1, 2 and 4 act as 8), or 0. */
  aligned_alloc(align: number, size: number): number;
  /** The block resized, in place when it can be, else moved with its bytes; `realloc(0, n)` is `malloc(n)`. 0, the
   * block untouched, when refused. */
  realloc(ptr: number, size: number): number;
  /** Frees a block; `free(0)` does nothing. A pointer that is not a live block traps. */
  free(ptr: number): void;
  /** The bytes usable from `ptr`: at least what was asked for; 0 for 0. A pointer that is not a live block traps. */
  malloc_usable_size(ptr: number): number;

  // The original family: a refused request traps, with the reason in `trap_code`.
  allocate_memory(size: number): number;
  allocate_memory_aligned(size: number, align: number): number;
  reallocate_memory(ptr: number, size: number): number;
  free_memory(ptr: number): void;
  reset_memory(): void;

  /**
   * Why the last refused call was refused: one of TRAP_CODE_NUMBERS, stored before a trap or a return of 0; 0 until a
   * call is refused. A host may set it back to 0 after reading it.
   */
  trap_code: WebAssemblyGlobal;
};

/** What the shared build adds. */
export type SharedAllocatorExports = AllocatorExports & {
  /**
   * Sets the instance up, before its first call: its tag in the lock word, an even number other than 0, of its own
   * among the threads; the lock timeout in milliseconds; and 1 where its thread may wait for the lock
   * (`memory.atomic.wait32`), 0 where it must spin (a browser's main thread).
   */
  lock_setup(owner: number, timeoutMs: number, mayWait: number): void;
  /** The instance's tag, as set (2 until then). */
  lock_owner: WebAssemblyGlobal;
};

/** Every function an allocator module exports. */
export const ALLOCATOR_FUNCTIONS = [
  "init",
  "attach",
  "malloc",
  "calloc",
  "aligned_alloc",
  "realloc",
  "free",
  "malloc_usable_size",
  "allocate_memory",
  "allocate_memory_aligned",
  "reallocate_memory",
  "free_memory",
  "reset_memory",
] as const;

/** The exports of an instance, after checking that it is an allocator module. */
export function allocatorExports(instance: WebAssemblyInstance, name: string): AllocatorExports {
  const exports = instance.exports;
  for (const exportName of ALLOCATOR_FUNCTIONS) {
    if (typeof exports[exportName] !== "function") {
      throw new TypeError(`the ${name} module does not export the function ${exportName}`);
    }
  }
  requireGlobal(exports, "trap_code", name);
  return exports as unknown as AllocatorExports;
}

/** The exports of an instance of a shared build, after checking that it is one. */
export function sharedAllocatorExports(instance: WebAssemblyInstance, name: string): SharedAllocatorExports {
  const exports = allocatorExports(instance, name);
  if (typeof instance.exports.lock_setup !== "function") {
    throw new TypeError(`the ${name} shared module does not export the function lock_setup`);
  }
  requireGlobal(instance.exports, "lock_owner", `${name} shared`);
  return exports as SharedAllocatorExports;
}

function requireGlobal(exports: WebAssemblyInstance["exports"], global: string, name: string): void {
  if (!(exports[global] instanceof WebAssembly.Global)) {
    throw new TypeError(`the ${name} module does not export the global ${global}`);
  }
}
