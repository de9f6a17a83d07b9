/**
 * A heap as a replay sees it: the three calls a program makes (allocate, free, resize), a view of a block's bytes so
 * that they can be verified, and the figures a footprint is measured with. Every linmem allocator becomes one through
 * `heapOf`; an allocator from elsewhere, or the garbage collector, is adapted to it the same way, so that one replay
 * and one benchmark serve them all.
 */
import type { Allocator, BlockAllocator } from "../allocator/contract.js";

export interface Heap {
  /** A pointer (or, for a heap outside linear memory, a handle) to a new block: never 0. */
  allocate(size: number, align?: number): number;
  free(ptr: number): void;
  /**
   * Resizes a block, keeping its bytes up to the smaller size, and returns its pointer, which may have changed.
   * `oldSize` is the size the block was asked with, for a heap that has to move blocks itself.
   */
  reallocate(ptr: number, size: number, oldSize: number): number;
  /** The bytes of a live block, to write and verify them; not called while a replay is being timed. */
  bytes(ptr: number, size: number): Uint8Array;
  /** Where the heap begins in its linear memory, for the footprint; null for a heap that has no linear memory. */
  readonly heapBase: number | null;
  /** The size of the heap's linear memory now, or null when it has none. */
  memorySize(): number | null;
  /** Verifies the heap's own invariants (`Allocator.check`), for heaps that have a way to. */
  readonly check?: () => void;
  /** Frees every block at once, leaving the heap as new but for the size its memory has grown to. */
  reset(): void;
}

/** A heap in linear memory: one whose footprint can be measured. */
export interface LinearHeap extends Heap {
  readonly heapBase: number;
  memorySize(): number;
}

/**
 * A linmem allocator as a heap. An allocator that cannot resize blocks (the arena) resizes by moving: a new block,
 * the bytes copied, the old block freed.
 */
export function heapOf(allocator: Allocator): LinearHeap & { readonly check: () => void } {
  const memory = allocator.memory;
  const resizing = allocator as Partial<BlockAllocator>;
  const reallocate =
    typeof resizing.reallocate === "function"
      ? (ptr: number, size: number) => (allocator as BlockAllocator).reallocate(ptr, size)
      : (ptr: number, size: number, oldSize: number) => moveBlock(allocator, ptr, oldSize, size);
  return {
    allocate: (size, align) => allocator.allocate(size, align),
    free: (ptr) => allocator.free(ptr),
    reallocate,
    bytes: (ptr, size) => memory.u8.subarray(ptr, ptr + size),
    heapBase: allocator.heapBase,
    memorySize: () => memory.byteLength,
    check: () => allocator.check(),
    reset: () => allocator.reset(),
  };
}

function moveBlock(allocator: Allocator, ptr: number, oldSize: number, size: number): number {
  const moved = allocator.allocate(size);
  allocator.memory.u8.copyWithin(moved, ptr, ptr + Math.min(oldSize, size));
  allocator.free(ptr);
  return moved;
}
