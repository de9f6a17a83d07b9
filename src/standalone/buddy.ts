/**
 * `import { allocate_memory, free_memory, reset_memory } from "linmem/allocator/buddy"`: a buddy heap on a memory of
 * its own, ready on import, as `import "allocator/buddy"` gave a program in the original memory model. The memory
 * starts at one page and grows as the tree does; the heap begins right after the 8-byte null-pointer reserve.
 */
import { type BuddyAllocator, buddy } from "../allocator/buddy.js";
import { DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { LinearMemory } from "../memory/linear-memory.js";

/** The memory this module's heap lives in. */
export const memory: LinearMemory = LinearMemory.create();

/** Where the heap begins. */
export const HEAP_BASE = DEFAULT_HEAP_BASE;

/** The allocator behind the three functions, for `reallocate`, `usableSize`, `stats()` and `check()`. */
export const allocator: BuddyAllocator = buddy(memory, { heapBase: HEAP_BASE });

export function allocate_memory(size: number): number {
  return allocator.allocate(size);
}

export function free_memory(ptr: number): void {
  allocator.free(ptr);
}

export function reset_memory(): void {
  allocator.reset();
}
