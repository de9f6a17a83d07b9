/**
 * The shared build of the buddy allocator: the module of ../buddy.ts for a memory shared between threads. Every entry
 * point takes the heap's lock (../shared/lock.ts) for the whole call, around the functions of ../buddy.ts, which call
 * one another freely and never take it; a trap in the middle of a call lets go of it first (trap.Trap.with). The same
 * ABI as the unshared build, and two exports more: lock_setup, by which the host sets the instance up, and lock_owner,
 * its tag. It imports its memory as a shared `env.memory`, and a clock in milliseconds as `env.now`.
 *
 * The three threads/*.ts differ in the allocator they import alone.
 */
import * as heap from "../buddy";
import { bindLock, HeapLock } from "../shared/lock";
import { orTrap } from "../shared/trap";

export { lock_owner, lock_setup } from "../shared/lock";
export { trap_code } from "../shared/trap";

export function init(base: u32): void {
  bindLock(base);
  heap.init(base);
}

export function attach(base: u32): void {
  bindLock(base);
  heap.attach(base);
}

export function malloc(size: u32): u32 {
  return HeapLock.acquire() ? HeapLock.releasing(heap.malloc(size)) : 0;
}

export function calloc(count: u32, size: u32): u32 {
  return HeapLock.acquire() ? HeapLock.releasing(heap.calloc(count, size)) : 0;
}

export function aligned_alloc(align: u32, size: u32): u32 {
  return HeapLock.acquire() ? HeapLock.releasing(heap.aligned_alloc(align, size)) : 0;
}

export function realloc(ptr: u32, size: u32): u32 {
  return HeapLock.acquire() ? HeapLock.releasing(heap.realloc(ptr, size)) : 0;
}

export function free(ptr: u32): void {
  HeapLock.acquireOrTrap();
  heap.free(ptr);
  HeapLock.release();
}

export function malloc_usable_size(ptr: u32): u32 {
  HeapLock.acquireOrTrap();
  return HeapLock.releasing(heap.malloc_usable_size(ptr));
}

// The original family traps once the lock is released.

export function allocate_memory(size: u32): u32 {
  return orTrap(malloc(size));
}

export function allocate_memory_aligned(size: u32, align: u32): u32 {
  return orTrap(aligned_alloc(align, size));
}

export function reallocate_memory(ptr: u32, size: u32): u32 {
  return orTrap(realloc(ptr, size));
}

export { free as free_memory };

export function reset_memory(): void {
  HeapLock.acquireOrTrap();
  heap.reset_memory();
  HeapLock.release();
}
