/** Shared memories for the tests of locked heaps, and where a heap's lock word is in them. */
import { LOCK_OFFSET } from "../../src/allocator/heap-header.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";

/** A shared memory of one page that may grow to `maximumPages`. */
export function sharedMemory(maximumPages: number): LinearMemory {
  return LinearMemory.create({ initialPages: 1, maximumPages, shared: true });
}

/** The index, in the memory's 32-bit words, of the lock word of the heap at `heapBase`. */
export function lockIndex(heapBase: number): number {
  return (heapBase + LOCK_OFFSET) >>> 2;
}
