/**
 * Builds an allocator's factory from its class, adding what all of them share: any memory source is wrapped, the heap
 * base defaults to 8 and is validated, and on a shared memory the allocator is of the class's locked subclass
 * (locked-allocator.ts), so that every thread may use the heap at once. On an unshared memory the allocator is of the
 * class itself: nothing changes, and nothing is paid.
 */
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import { type AllocatorFactory, type AllocatorOptions, type BlockAllocator, DEFAULT_HEAP_BASE } from "./contract.js";
import { expectHeader, requireHeapBase } from "./heap-header.js";
import { HeapLock, type LockOptions, requireLockTimeout } from "./lock.js";
import { type AllocatorClass, type HeapExtent, lockedClass } from "./locked-allocator.js";

/** An allocator class: its constructor is private, and these make its instances. */
export interface AllocatorStatics<A extends BlockAllocator> {
  readonly prototype: A;
  /** Lays out a new heap at `heapBase`. */
  create(memory: LinearMemory, heapBase: number): A;
  /** Binds to the heap at `heapBase` after checking it (its magic first, then `check()`). */
  attach(memory: LinearMemory, heapBase: number): A;
}

export function allocatorFactory<A extends BlockAllocator>(
  allocatorClass: AllocatorStatics<A>,
  extent: HeapExtent,
): AllocatorFactory<A> {
  // The one place that reaches past the private constructor: to extend the class. An instance of the subclass is
  // made as the constructor makes one, on a heap that exists, unchecked.
  const Locked = lockedClass(allocatorClass as unknown as AllocatorClass<A>, extent);
  const locked = (memory: LinearMemory, heapBase: number, options: LockOptions): A =>
    new Locked(memory, heapBase, new HeapLock(memory, heapBase, options));

  const factory = (memory: MemorySource, options: AllocatorOptions = {}): A => {
    const heapBase = options.heapBase ?? DEFAULT_HEAP_BASE;
    requireHeapBase(heapBase);
    requireLockOptions(options);
    const linear = LinearMemory.wrap(memory);
    const heap = allocatorClass.create(linear, heapBase);
    // A new heap: no other thread knows of it yet.
    return linear.shared ? locked(linear, heapBase, options) : heap;
  };
  return Object.assign(factory, {
    attach(memory: MemorySource, heapBase: number, options: LockOptions = {}): A {
      requireHeapBase(heapBase);
      requireLockOptions(options);
      const linear = LinearMemory.wrap(memory);
      if (!linear.shared) return allocatorClass.attach(linear, heapBase);
      // The magic first, so that no lock is waited for where there is no heap; then the check, under the lock.
      expectHeader(linear, heapBase, extent.magic);
      const heap = locked(linear, heapBase, options);
      heap.check();
      return heap;
    },
  });
}

function requireLockOptions(options: LockOptions): void {
  if (options.lockTimeoutMs !== undefined) requireLockTimeout(options.lockTimeoutMs);
}
