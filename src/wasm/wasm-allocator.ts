/**
 * An allocator module seen through the `Allocator` contract: each call goes into the module, and a trap comes back as
 * the AllocationTrap the TypeScript build throws for the same call, in the same words (traps.ts).
 *
 * The module's TypeScript twin is attached to the same heap and answers `check()` and `stats()`, and any operation the
 * module does not export: both builds keep the heap in one format, so either may act on it at any time.
 *
 * Numbers cross into WebAssembly as u32, so a size, alignment or pointer that is not one would arrive truncated; those
 * are refused here, as the TypeScript build refuses them. The module checks everything else.
 */
import {
  type Allocator,
  AllocatorBase,
  type BlockAllocator,
  type BlockInfo,
  type HeapStats,
} from "../allocator/contract.js";
import { ALIGNMENT, requireAlignment, requireSize } from "../allocator/size.js";
import type { LinearMemory } from "../memory/linear-memory.js";
import type { AllocatorExports } from "./abi.js";
import { translateTrap } from "./traps.js";

/** True when a number reaches WebAssembly unchanged as an i32 meaning u32. */
function isU32(value: number): boolean {
  return value >>> 0 === value;
}

export class WasmAllocator extends AllocatorBase {
  /**
   * The instance's exports, to hand to another module as its allocator: a program that imports these shares the heap
   * with this object.
   */
  readonly exports: AllocatorExports;

  /** Made by `loadAllocator`, after the module's instance has been given its heap. */
  constructor(
    readonly name: string,
    readonly memory: LinearMemory,
    readonly heapBase: number,
    exports: AllocatorExports,
    protected readonly twin: Allocator,
  ) {
    super();
    this.exports = exports;
  }

  allocate(size: number, align: number = ALIGNMENT): number {
    // requireSize throws for every number that is not a u32.
    if (!isU32(size)) requireSize(size, "allocate");
    if (align !== ALIGNMENT) return this.allocateAligned(size, align);
    try {
      return this.exports.allocate_memory(size) >>> 0;
    } catch (error) {
      throw this.translate(error, `allocate(${size})`, () => this.twin.allocate(size));
    }
  }

  free(ptr: number): void {
    // No block is at a pointer that is not a u32: the twin refuses it, in its words, and changes nothing.
    if (!isU32(ptr)) {
      this.twin.free(ptr);
      return;
    }
    try {
      this.exports.free_memory(ptr);
    } catch (error) {
      throw this.translate(error, `free(${ptr})`, () => this.twin.free(ptr));
    }
  }

  reset(): void {
    this.exports.reset_memory();
  }

  stats(): HeapStats {
    return this.twin.stats();
  }

  check(): void {
    this.twin.check();
  }

  /** The error to throw for one out of the module: a refusal, as the twin words it for the same call. */
  protected translate(error: unknown, call: string, sameCallOnTwin: () => unknown): unknown {
    return translateTrap(error, this.exports.trap_code, this.name, call, sameCallOnTwin);
  }

  private allocateAligned(size: number, align: number): number {
    const allocateAligned = this.exports.allocate_memory_aligned;
    if (allocateAligned === undefined) return this.twin.allocate(size, align);
    // An alignment that is not a u32 never reaches the module, which checks the size first: so does this.
    if (!isU32(align)) {
      requireSize(size, "allocate");
      requireAlignment(align, "allocate");
    }
    try {
      return allocateAligned(size, align) >>> 0;
    } catch (error) {
      throw this.translate(error, `allocate(${size}, ${align})`, () => this.twin.allocate(size, align));
    }
  }
}

/** An allocator module whose twin knows each block's size: it can resize blocks and list them too. */
export class WasmBlockAllocator extends WasmAllocator implements BlockAllocator {
  declare protected readonly twin: BlockAllocator;

  reallocate(ptr: number, size: number): number {
    const reallocate = this.exports.reallocate_memory;
    if (reallocate === undefined) return this.twin.reallocate(ptr, size);
    if (!isU32(size)) requireSize(size, "reallocate");
    if (!isU32(ptr)) return this.twin.reallocate(ptr, size);
    try {
      return reallocate(ptr, size) >>> 0;
    } catch (error) {
      throw this.translate(error, `reallocate(${ptr}, ${size})`, () => this.twin.reallocate(ptr, size));
    }
  }

  usableSize(ptr: number): number {
    return this.twin.usableSize(ptr);
  }

  walk(visit: (block: BlockInfo) => void): void {
    this.twin.walk(visit);
  }
}

export function isBlockAllocator(allocator: Allocator): allocator is BlockAllocator {
  return typeof (allocator as Partial<BlockAllocator>).reallocate === "function";
}
