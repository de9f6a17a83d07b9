/**
 * The contract every linmem allocator keeps, whether written in TypeScript or running as WebAssembly.
 *
 * - `allocate(size)` returns a non-zero pointer, aligned to 8, to at least `size` usable bytes; `size` is an integer
 *   from 0 to 1 GiB, and `allocate(0)` returns a valid, unique pointer. Memory grows on demand (see growth.ts).
 * - `free(ptr)` releases a block; `free(0)` does nothing.
 * - `reset()` releases every block at once.
 * - Errors are traps (`AllocationTrap`), and a refused call changes nothing: the heap still passes `check()` and
 *   every live block keeps its bytes.
 * - The allocator's state lives in the memory at `heapBase`, so another instance can `attach` to the same heap.
 * - On a shared memory, every operation takes the heap's lock (lock.ts, locked-allocator.ts), so that every thread
 *   may use the heap at once, through allocators of its own.
 */
import type { LinearMemory, MemorySource } from "../memory/linear-memory.js";
import { AllocationTrap } from "./errors.js";
import type { LockOptions } from "./lock.js";

/** A snapshot of a heap's shape. All figures are bytes unless named otherwise. */
export interface HeapStats {
  /** Where the heap begins: its `heapBase`. */
  heapStart: number;
  /** One past the highest byte in use: the control structure or a live block. Footprint is `heapEnd - heapStart`. */
  heapEnd: number;
  /** Bytes inside live blocks, as their usable sizes. */
  bytesInUse: number;
  /** Bytes that could still be handed out without growing the memory: free blocks and untouched memory. */
  bytesFree: number;
  /** Live blocks. */
  blocksInUse: number;
  /** The memory's size now. */
  memorySize: number;
}

/** One block, as `walk` reports it. */
export interface BlockInfo {
  /** The pointer `allocate` returned (or would return) for this block. */
  ptr: number;
  /** Usable bytes from `ptr`. */
  size: number;
  /** True for a live block, false for a free one. */
  used: boolean;
}

export interface Allocator {
  /** The allocator's name: "arena", "tlsf" or "buddy". */
  readonly name: string;
  readonly memory: LinearMemory;
  readonly heapBase: number;
  /**
   * The tag this allocator writes in its heap's lock word while it holds it (lock.ts), which a program that sees the
   * thread die may give to `breakLock`; 0 on an unshared memory, where there is no lock.
   */
  readonly lockOwner: number;

  /** A pointer to at least `size` bytes, aligned to 8 and to `align` (a power of two up to 65536) when given. */
  allocate(size: number, align?: number): number;
  /** Like `allocate`, with the bytes set to zero. */
  allocateZeroed(size: number): number;
  free(ptr: number): void;
  reset(): void;

  /** `allocate`, under its name in the original memory model. */
  allocate_memory(size: number): number;
  /** `free`, under its name in the original memory model. */
  free_memory(ptr: number): void;
  /** `reset`, under its name in the original memory model. */
  reset_memory(): void;

  stats(): HeapStats;
  /** Verifies every invariant of the heap; throws a HeapCorruptionError naming what is wrong and where. */
  check(): void;
}

/** An allocator that knows each block's size, and so can resize blocks and list them. */
export interface BlockAllocator extends Allocator {
  /**
   * Resizes a block, keeping its bytes up to the smaller size. Returns the block's (possibly new) pointer;
   * `reallocate(0, size)` allocates. When it must move and cannot, it traps and the old block is untouched.
   */
  reallocate(ptr: number, size: number): number;
  /** The usable bytes of a live block: at least what was asked for. */
  usableSize(ptr: number): number;
  /** Visits every block, free and used, in address order. */
  walk(visit: (block: BlockInfo) => void): void;
}

export interface AllocatorOptions extends LockOptions {
  /** Where the heap (and the allocator's state) begins: 8-aligned, after static memory. Default 8. */
  heapBase?: number;
}

/**
 * Makes a new heap in a memory, or attaches to one that already lives there. On a shared memory, the allocator takes
 * the heap's lock for every operation; `lockTimeoutMs` says how long it waits for it.
 */
export interface AllocatorFactory<A extends Allocator> {
  (memory: MemorySource, options?: AllocatorOptions): A;
  /** Binds to the heap at `heapBase` as it is, without changing it. */
  attach(memory: MemorySource, heapBase: number, options?: LockOptions): A;
}

/** The heap base when none is given: right after the 8-byte null-pointer reserve. */
export const DEFAULT_HEAP_BASE = 8;

/** What every allocator writes the same way: the original model's names and the zeroing allocation. */
export abstract class AllocatorBase implements Allocator {
  abstract readonly name: string;
  abstract readonly memory: LinearMemory;
  abstract readonly heapBase: number;
  abstract allocate(size: number, align?: number): number;
  abstract free(ptr: number): void;
  abstract reset(): void;
  abstract stats(): HeapStats;
  abstract check(): void;

  /** No lock: an allocator on a shared memory says otherwise. */
  get lockOwner(): number {
    return 0;
  }

  /**
   * A block for `reallocate` to move a block of `ptr` to: `allocate(size)`, whose refusal names the call it serves,
   * `reallocate(ptr, size)`.
   */
  protected allocateToMove(ptr: number, size: number): number {
    try {
      return this.allocate(size);
    } catch (error) {
      if (!(error instanceof AllocationTrap)) throw error;
      const reason = error.message.slice(error.message.indexOf(": ") + 2);
      throw new AllocationTrap(error.code, `reallocate(${ptr}, ${size}): ${reason}`);
    }
  }

  allocateZeroed(size: number): number {
    const ptr = this.allocate(size);
    this.memory.u8.fill(0, ptr, ptr + size);
    return ptr;
  }

  allocate_memory(size: number): number {
    return this.allocate(size);
  }

  free_memory(ptr: number): void {
    this.free(ptr);
  }

  reset_memory(): void {
    this.reset();
  }
}
