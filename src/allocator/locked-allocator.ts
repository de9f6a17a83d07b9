/**
 * An allocator on a heap that several threads share: each allocator class gets a subclass whose every operation,
 * `check`, `stats` and `walk` included, runs under the heap's lock (lock.ts), so that it sees the heap as no other
 * thread is changing it. A call that cannot have the lock in time traps with LOCK_TIMEOUT before it has changed
 * anything.
 *
 * An allocator calls itself (`reallocate` allocates, `allocateZeroed` allocates): the lock is taken by the outermost
 * call only, so that no call takes it twice. Each operation spells that out rather than passing itself as a closure to
 * one helper: allocate and free are hot paths, where a closure a call would be an allocation a call.
 *
 * The views. Another thread may have grown the memory since this one last looked, and only asking a shared
 * WebAssembly.Memory for its buffer tells, which costs half as much as a whole allocation. But the heap grows only
 * under its lock, and its state says where it ends: every byte an operation touches lies below that end, or in memory
 * the operation grows itself. So once the lock is held, the views are refreshed only when they stop short of the
 * heap's end, and held for the rest of the operation (`LinearMemory.holdViews`).
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import type { BlockAllocator, BlockInfo, HeapStats } from "./contract.js";
import type { HeapLock } from "./lock.js";

/** What the lock needs to know of an allocator's heaps: their magic, and where one ends. */
export interface HeapExtent {
  /** The magic number of its heaps, checked before the lock word is trusted to be one. */
  readonly magic: number;
  /**
   * The end of the memory the heap at `heapBase` spans, as its state records it: no operation touches a byte at or
   * beyond it, except in memory it grows. `state` is a u32 view of the memory that reaches the heap's state.
   */
  end(state: Uint32Array, heapBase: number): number;
}

/** An allocator class, its constructor taking the memory and the heap base. */
// biome-ignore lint/suspicious/noExplicitAny: a class extended by a mixin is typed as taking any arguments.
export type AllocatorClass<A extends BlockAllocator> = new (...args: any[]) => A;

/**
 * The subclass of `Base` whose operations take the heap's lock. Its constructor takes the memory, the heap base and the
 * lock, and attaches to the heap as it is, without checking it.
 */
export function lockedClass<Base extends AllocatorClass<BlockAllocator>>(Base: Base, extent: HeapExtent) {
  // Its own members are private names (#), which cannot clash with any member of the class it extends.
  return class LockedAllocator extends Base {
    readonly #lock: HeapLock;
    /** The heap's state, seen through a view made once: a shared buffer never detaches. */
    readonly #state: Uint32Array;
    /** True while a call of this object holds the lock, so that the calls it makes do not take it again. */
    #holding = false;

    // biome-ignore lint/suspicious/noExplicitAny: the mixin's constructor passes the base class its arguments.
    constructor(...args: any[]) {
      super(...args);
      const [memory, , lock] = args as [LinearMemory, number, HeapLock];
      this.#lock = lock;
      this.#state = memory.u32;
    }

    override get lockOwner(): number {
      return this.#lock.owner;
    }

    override allocate(size: number, align?: number): number {
      if (this.#holding) return super.allocate(size, align);
      this.#enter("allocate");
      try {
        return super.allocate(size, align);
      } finally {
        this.#leave();
      }
    }

    override allocateZeroed(size: number): number {
      if (this.#holding) return super.allocateZeroed(size);
      this.#enter("allocateZeroed");
      try {
        return super.allocateZeroed(size);
      } finally {
        this.#leave();
      }
    }

    override free(ptr: number): void {
      if (this.#holding) {
        super.free(ptr);
        return;
      }
      this.#enter("free");
      try {
        super.free(ptr);
      } finally {
        this.#leave();
      }
    }

    override reallocate(ptr: number, size: number): number {
      if (this.#holding) return super.reallocate(ptr, size);
      this.#enter("reallocate");
      try {
        return super.reallocate(ptr, size);
      } finally {
        this.#leave();
      }
    }

    override usableSize(ptr: number): number {
      if (this.#holding) return super.usableSize(ptr);
      this.#enter("usableSize");
      try {
        return super.usableSize(ptr);
      } finally {
        this.#leave();
      }
    }

    override reset(): void {
      if (this.#holding) {
        super.reset();
        return;
      }
      this.#enter("reset");
      try {
        super.reset();
      } finally {
        this.#leave();
      }
    }

    /** Visits the blocks as they were at one moment, after letting go of the lock: `visit` may call the allocator. */
    override walk(visit: (block: BlockInfo) => void): void {
      if (this.#holding) {
        super.walk(visit);
        return;
      }
      const blocks: BlockInfo[] = [];
      this.#enter("walk");
      try {
        super.walk((block) => blocks.push(block));
      } finally {
        this.#leave();
      }
      for (const block of blocks) visit(block);
    }

    override stats(): HeapStats {
      if (this.#holding) return super.stats();
      this.#enter("stats");
      try {
        return super.stats();
      } finally {
        this.#leave();
      }
    }

    override check(): void {
      if (this.#holding) {
        super.check();
        return;
      }
      this.#enter("check");
      try {
        super.check();
      } finally {
        this.#leave();
      }
    }

    /** Takes the lock, then holds views that reach the heap's end. */
    #enter(operation: string): void {
      this.#lock.acquire(operation);
      this.#holding = true;
      this.memory.holdViews(extent.end(this.#state, this.heapBase));
    }

    #leave(): void {
      this.memory.releaseViews();
      this.#holding = false;
      this.#lock.release();
    }
  };
}
