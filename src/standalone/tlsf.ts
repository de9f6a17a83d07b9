/**
 * `import { allocate_memory, free_memory, reset_memory } from "linmem/allocator/tlsf"`: a TLSF heap on a memory of its
 * own, ready on import, as `import "allocator/tlsf"` gave a program in the original memory model. The memory starts at
 * one page and grows as the heap needs; the heap begins right after the 8-byte null-pointer reserve.
 */
import { DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { type TlsfAllocator, tlsf } from "../allocator/tlsf.js";
import { LinearMemory } from "../memory/linear-memory.js";

/** The memory this module's heap lives in. */
export const memory: LinearMemory = LinearMemory.create();

/** Where the heap begins. */
export const HEAP_BASE = DEFAULT_HEAP_BASE;

/** The allocator behind the three functions, for `reallocate`, `usableSize`, `stats()` and `check()`. */
export const allocator: TlsfAllocator = tlsf(memory, { heapBase: HEAP_BASE });

export function allocate_memory(size: number): number {
  return allocator.allocate(size);
}

export function free_memory(ptr: number): void {
  allocator.free(ptr);
}

export function reset_memory(): void {
  allocator.reset();
}
