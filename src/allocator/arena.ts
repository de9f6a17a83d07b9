/**
 * The arena: a bump pointer. Each allocation takes the next bytes after the previous one; nothing is freed until
 * `reset()` frees everything at once. No block carries a header, so an allocation costs a few loads and stores: the
 * speed ceiling the other allocators are measured against, and the right choice for programs that build, use and
 * drop a whole data set at a time.
 *
 * Memory format, at heapBase:
 *
 *     heapBase
 *     |
 *     v
 *     +-------+-------+-------+--------+--------+----------+--------+- - - - - - - -+
 *     | magic | lock  |  top  | blocks | block  | (align   | block  |  free: from   |
 *     | ARN1  |       |       |        |   1    |  padding)|   2    |  top to the   |
 *     +-------+-------+-------+--------+--------+----------+--------+  end of memory|
 *     0       4       8       12       16                           ^
 *                                                                   top
 *
 *   magic   u32  "ARN1": the arena format, version 1 (see heap-header.ts)
 *   lock    u32  reserved for heaps shared between threads
 *   top     u32  the next free byte, always a multiple of 8; heapBase + 16 when empty
 *   blocks  u32  blocks allocated since the last reset
 *
 * A block is `size` rounded up to a multiple of 8 (8 for a size of 0, so every pointer is unique). A block with an
 * alignment above 8 starts at the next multiple of it, and the bytes skipped are padding that no block owns.
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import { AllocatorBase, allocatorFactory, type HeapStats } from "./contract.js";
import { AllocationTrap, HeapCorruptionError } from "./errors.js";
import { ensureMemory } from "./growth.js";
import { expectHeader, HEADER_SIZE, magicNumber, writeHeader } from "./heap-header.js";
import { ALIGNMENT, alignUp, invalidPointer, requireAlignment, requireSize } from "./size.js";

export const ARENA_MAGIC = magicNumber("ARN1");

/** Where each part of the state lives, in bytes from heapBase. */
export const TOP_OFFSET = HEADER_SIZE;
export const BLOCKS_OFFSET = TOP_OFFSET + 4;
/** Bytes of state before the first block. */
export const ARENA_STATE_SIZE = BLOCKS_OFFSET + 4;

export class ArenaAllocator extends AllocatorBase {
  readonly name = "arena";
  readonly memory: LinearMemory;
  readonly heapBase: number;
  /** Where the first block goes. */
  private readonly start: number;
  private readonly topIndex: number;
  private readonly blocksIndex: number;

  private constructor(memory: LinearMemory, heapBase: number) {
    super();
    this.memory = memory;
    this.heapBase = heapBase;
    this.start = heapBase + ARENA_STATE_SIZE;
    this.topIndex = (heapBase + TOP_OFFSET) >>> 2;
    this.blocksIndex = (heapBase + BLOCKS_OFFSET) >>> 2;
  }

  /** Lays a new, empty arena out at `heapBase`, growing the memory to hold its state. */
  static create(memory: LinearMemory, heapBase: number): ArenaAllocator {
    if (!ensureMemory(memory, heapBase + ARENA_STATE_SIZE)) {
      throw new AllocationTrap("OUT_OF_MEMORY", `arena: no room for the heap's state at ${heapBase}`);
    }
    writeHeader(memory, heapBase, ARENA_MAGIC);
    const arena = new ArenaAllocator(memory, heapBase);
    arena.reset();
    return arena;
  }

  /** Binds to the arena that lives at `heapBase`, after checking it is one. */
  static attach(memory: LinearMemory, heapBase: number): ArenaAllocator {
    expectHeader(memory, heapBase, ARENA_MAGIC);
    const arena = new ArenaAllocator(memory, heapBase);
    arena.check();
    return arena;
  }

  allocate(size: number, align: number = ALIGNMENT): number {
    requireSize(size, "allocate");
    if (align !== ALIGNMENT) requireAlignment(align, "allocate");
    let u32 = this.memory.u32;
    const ptr = alignUp(u32[this.topIndex], align);
    const end = ptr + (alignUp(size, ALIGNMENT) || ALIGNMENT);
    // Reaching the very end of memory takes the slow path too, where ensureMemory refuses a top of 2^32.
    if (end >= u32.length * 4) {
      if (!ensureMemory(this.memory, end)) {
        throw new AllocationTrap("OUT_OF_MEMORY", `allocate(${size}): the memory cannot grow to ${end} bytes`);
      }
      u32 = this.memory.u32;
    }
    u32[this.topIndex] = end;
    u32[this.blocksIndex] += 1;
    return ptr;
  }

  /** Does nothing, as an arena frees only all at once; a pointer it never handed out still traps. */
  free(ptr: number): void {
    if (ptr === 0) return;
    if (ptr >>> 0 !== ptr || ptr % ALIGNMENT !== 0 || ptr < this.start || ptr >= this.memory.u32[this.topIndex]) {
      throw invalidPointer("free", ptr, "not a block of this arena");
    }
  }

  reset(): void {
    const u32 = this.memory.u32;
    u32[this.topIndex] = this.start;
    u32[this.blocksIndex] = 0;
  }

  stats(): HeapStats {
    const u32 = this.memory.u32;
    const top = u32[this.topIndex];
    const memorySize = this.memory.byteLength;
    return {
      heapStart: this.heapBase,
      heapEnd: top,
      bytesInUse: top - this.start,
      bytesFree: memorySize - top,
      blocksInUse: u32[this.blocksIndex],
      memorySize,
    };
  }

  check(): void {
    expectHeader(this.memory, this.heapBase, ARENA_MAGIC);
    const u32 = this.memory.u32;
    const top = u32[this.topIndex];
    const topAt = this.heapBase + TOP_OFFSET;
    if (top % ALIGNMENT !== 0) throw new HeapCorruptionError(topAt, `top ${top} is not a multiple of ${ALIGNMENT}`);
    if (top < this.start) throw new HeapCorruptionError(topAt, `top ${top} lies before the first block ${this.start}`);
    if (top > this.memory.byteLength) {
      throw new HeapCorruptionError(topAt, `top ${top} lies beyond the end of memory ${this.memory.byteLength}`);
    }
    const blocks = u32[this.blocksIndex];
    if (blocks > (top - this.start) / ALIGNMENT) {
      throw new HeapCorruptionError(
        this.heapBase + BLOCKS_OFFSET,
        `${blocks} blocks cannot fit in the ${top - this.start} bytes below top`,
      );
    }
  }
}

/** `arena(memory, { heapBase })` makes a new arena; `arena.attach(memory, heapBase)` binds to an existing one. */
export const arena = allocatorFactory(ArenaAllocator.create, ArenaAllocator.attach);
