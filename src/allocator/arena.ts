/**
 * The arena: a bump pointer. Each allocation takes the next bytes after the previous one; a freed block is marked,
 * and its memory comes back only when `reset()` frees everything at once. An allocation costs a few loads and
 * stores: the speed ceiling the other allocators are measured against, and the right choice for programs that build,
 * use and drop a whole data set at a time.
 *
 * Each block carries one word before it, its size, so that the arena can resize a block (in place when it is the
 * last one), say how many bytes a block holds, and refuse a pointer it never handed out or a block freed twice.
 *
 * Memory format, at heapBase:
 *
 *     heapBase                      heapBase + 12
 *     |                             |
 *     v                             v
 *     +-------+-------+-------+     +------+-------------+------+-------+------+---------+- - - - - - - - - -+
 *     | magic | lock  |  top  |     | size | block 1     | size |padding| size | block 2 |  free: from top   |
 *     | ARN2  |       |       |     |      |             |  |P  |       |      |         |  to end of memory |
 *     +-------+-------+-------+     +------+-------------+------+-------+------+---------+- - - - - - - - - -+
 *     0       4       8       12    ^      ^ ptr, a multiple of 8                        ^
 *                                   header                                               top
 *
 *   magic   u32  "ARN2": the arena format, version 2 (see heap-header.ts)
 *   lock    u32  the heap's lock on a shared memory (lock.ts, docs/threads.md); 0 on an unshared one
 *   top     u32  where the next block's header goes: 4 past a multiple of 8; heapBase + 12 when empty
 *
 * A block is its header, a u32 at `ptr - 4`, and its bytes: `size + 4` rounded up to a multiple of 8, so at least 8
 * (a request of 0 gets 4 usable bytes and a pointer of its own). The header holds that size, counting itself, and
 * two flags in its low bits:
 *
 *   F  FREED     the program freed the block; its memory stays where it is until `reset`
 *   P  PADDING   bytes skipped to align the next block, never handed out
 *
 * A block with an alignment above 8 starts at the next multiple of it, and the bytes skipped, a multiple of 8, are a
 * padding block of their own, so that the blocks tile the memory from heapBase + 12 to top and can be walked.
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import { AllocatorBase, type BlockAllocator, type BlockInfo, type HeapStats } from "./contract.js";
import { AllocationTrap, HeapCorruptionError } from "./errors.js";
import { allocatorFactory } from "./factory.js";
import { ensureMemory } from "./growth.js";
import { expectHeader, HEADER_SIZE, magicNumber, writeHeader } from "./heap-header.js";
import type { HeapExtent } from "./locked-allocator.js";
import { ALIGNMENT, alignUp, invalidPointer, requireAlignment, requireSize } from "./size.js";

export const ARENA_MAGIC = magicNumber("ARN2");

/** Where each part of the state lives, in bytes from heapBase. */
const TOP_OFFSET = HEADER_SIZE;
/** Bytes of state before the first block's header. */
export const ARENA_STATE_SIZE = TOP_OFFSET + 4;

/** The bytes a block spends on itself: its header, the size word before its pointer. */
const BLOCK_OVERHEAD = 4;
/** Header bits below the size, a multiple of 8. */
const FREED = 1;
const PADDING = 2;
const FLAG_BITS = 7;

/**
 * The arena format's constants, for its WebAssembly twin, which takes them from assembly/generated/. The code here reads
 * them as module constants, which V8 folds into it, rather than as exports, which it loads from their module cells.
 */
export const ARENA_FORMAT = {
  TOP_OFFSET,
  BLOCK_OVERHEAD,
  FREED,
  PADDING,
  FLAG_BITS,
} as const;

export class ArenaAllocator extends AllocatorBase implements BlockAllocator {
  readonly name = "arena";
  readonly memory: LinearMemory;
  readonly heapBase: number;
  /** Where the first block's header goes. */
  private readonly first: number;
  private readonly topIndex: number;

  private constructor(memory: LinearMemory, heapBase: number) {
    super();
    this.memory = memory;
    this.heapBase = heapBase;
    this.first = heapBase + ARENA_STATE_SIZE;
    this.topIndex = (heapBase + TOP_OFFSET) >>> 2;
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
    const top = u32[this.topIndex] as number;
    const ptr = alignUp(top + BLOCK_OVERHEAD, align);
    const blockSize = alignUp(size + BLOCK_OVERHEAD, ALIGNMENT);
    const end = ptr - BLOCK_OVERHEAD + blockSize;
    // Reaching the very end of memory takes the slow path too, where ensureMemory refuses a top of 2^32.
    if (end >= u32.length * 4) {
      if (!ensureMemory(this.memory, end)) {
        throw new AllocationTrap("OUT_OF_MEMORY", `allocate(${size}): the memory cannot grow to ${end} bytes`);
      }
      u32 = this.memory.u32;
    }
    const gap = ptr - BLOCK_OVERHEAD - top;
    if (gap !== 0) u32[top >>> 2] = gap | PADDING;
    u32[(ptr - BLOCK_OVERHEAD) >>> 2] = blockSize;
    u32[this.topIndex] = end;
    return ptr;
  }

  /** Marks the block freed: its memory comes back on `reset`. */
  free(ptr: number): void {
    if (ptr === 0) return;
    const u32 = this.memory.u32;
    const header = ptr - BLOCK_OVERHEAD;
    u32[header >>> 2] = this.blockSize(u32, ptr, "free") | FREED;
  }

  /**
   * Resizes a block: the last block grows or shrinks where it is, any other keeps its place when it is large enough,
   * and otherwise moves to a new block, the old one freed.
   */
  reallocate(ptr: number, size: number): number {
    if (ptr === 0) return this.allocate(size);
    requireSize(size, "reallocate");
    let u32 = this.memory.u32;
    const blockSize = this.blockSize(u32, ptr, "reallocate");
    const header = ptr - BLOCK_OVERHEAD;
    const wanted = alignUp(size + BLOCK_OVERHEAD, ALIGNMENT);
    if (header + blockSize === u32[this.topIndex]) {
      const end = header + wanted;
      if (end >= u32.length * 4) {
        if (!ensureMemory(this.memory, end)) {
          throw new AllocationTrap(
            "OUT_OF_MEMORY",
            `reallocate(${ptr}, ${size}): the memory cannot grow to ${end} bytes`,
          );
        }
        u32 = this.memory.u32;
      }
      u32[header >>> 2] = wanted;
      u32[this.topIndex] = end;
      return ptr;
    }
    if (wanted <= blockSize) return ptr;
    // Allocating first leaves the old block untouched if memory runs out.
    const moved = this.allocateToMove(ptr, size);
    this.memory.u8.copyWithin(moved, ptr, ptr + blockSize - BLOCK_OVERHEAD);
    this.memory.u32[header >>> 2] = blockSize | FREED;
    return moved;
  }

  usableSize(ptr: number): number {
    return this.blockSize(this.memory.u32, ptr, "usableSize") - BLOCK_OVERHEAD;
  }

  reset(): void {
    this.memory.u32[this.topIndex] = this.first;
  }

  /** Visits every block in address order; freed blocks and padding are not in use. */
  walk(visit: (block: BlockInfo) => void): void {
    const blocks: BlockInfo[] = [];
    this.visitBlocks((header, word) => {
      blocks.push({
        ptr: header + BLOCK_OVERHEAD,
        size: word - (word & FLAG_BITS) - BLOCK_OVERHEAD,
        used: (word & FLAG_BITS) === 0,
      });
    });
    for (const block of blocks) visit(block);
  }

  stats(): HeapStats {
    let bytesInUse = 0;
    let blocksInUse = 0;
    this.visitBlocks((_header, word) => {
      if ((word & FLAG_BITS) !== 0) return;
      bytesInUse += word - BLOCK_OVERHEAD;
      blocksInUse++;
    });
    const top = this.memory.u32[this.topIndex] as number;
    const memorySize = this.memory.byteLength;
    return { heapStart: this.heapBase, heapEnd: top, bytesInUse, bytesFree: memorySize - top, blocksInUse, memorySize };
  }

  /** Verifies the header, top, and that the blocks, each of a size and flags the format allows, tile up to top. */
  check(): void {
    this.visitBlocks(() => {});
  }

  /**
   * The size of the live block at `ptr`, after checking that it is one: a multiple of 8 inside the heap, its header a
   * live block's whose size ends by top, where the next block's header, unless at top, is a header too. Traps with
   * DOUBLE_FREE for a block already freed, INVALID_POINTER for anything else.
   */
  private blockSize(u32: Uint32Array, ptr: number, operation: string): number {
    const top = u32[this.topIndex] as number;
    const header = ptr - BLOCK_OVERHEAD;
    if (ptr >>> 0 !== ptr || ptr % ALIGNMENT !== 0 || header < this.first || header >= top) {
      throw invalidPointer(operation, ptr, "not a block of this arena");
    }
    const word = u32[header >>> 2] as number;
    const size = word - (word & FLAG_BITS);
    const next = header + size;
    // A block ends by top, and so does the one after it, unless it ends at top: a check of the neighbour that a
    // pointer into a block's bytes rarely passes.
    const nextSize = (u32[next >>> 2] as number) & ~FLAG_BITS;
    const fits =
      size >= ALIGNMENT && size <= top - header && (next === top || (nextSize >= ALIGNMENT && nextSize <= top - next));
    if (!fits || (word & FLAG_BITS & ~FREED) !== 0) {
      throw invalidPointer(operation, ptr, "not a block of this arena");
    }
    if ((word & FREED) !== 0)
      throw new AllocationTrap("DOUBLE_FREE", `${operation}(${ptr}): the block is already free`);
    return size;
  }

  /**
   * Calls `visit` with every block's header address and word, in address order, after checking the header and top
   * and that the block fits. Throws a HeapCorruptionError where the walk would go astray.
   */
  private visitBlocks(visit: (header: number, word: number) => void): void {
    expectHeader(this.memory, this.heapBase, ARENA_MAGIC);
    const u32 = this.memory.u32;
    const top = u32[this.topIndex] as number;
    const topAt = this.heapBase + TOP_OFFSET;
    if (top % ALIGNMENT !== BLOCK_OVERHEAD) {
      throw new HeapCorruptionError(topAt, `top ${top} is not 4 past a multiple of ${ALIGNMENT}`);
    }
    if (top < this.first) throw new HeapCorruptionError(topAt, `top ${top} lies before the first block ${this.first}`);
    if (top > this.memory.byteLength) {
      throw new HeapCorruptionError(topAt, `top ${top} lies beyond the end of memory ${this.memory.byteLength}`);
    }
    for (let header = this.first; header < top; ) {
      const word = u32[header >>> 2] as number;
      const size = word - (word & FLAG_BITS);
      const flags = word & FLAG_BITS;
      if (flags !== 0 && flags !== FREED && flags !== PADDING) {
        throw new HeapCorruptionError(header, `block ${header} has flags ${flags}, which mean nothing`);
      }
      if (size < ALIGNMENT || header + size > top) {
        throw new HeapCorruptionError(header, `block ${header} has size ${size}, which does not fit below top ${top}`);
      }
      visit(header, word);
      header += size;
    }
  }
}

/** The arena's blocks end at top. */
const ARENA_EXTENT: HeapExtent = {
  magic: ARENA_MAGIC,
  end: (state: Uint32Array, heapBase: number): number => state[(heapBase + TOP_OFFSET) >>> 2] as number,
};

/** `arena(memory, { heapBase })` makes a new arena; `arena.attach(memory, heapBase)` binds to an existing one. */
export const arena = allocatorFactory(ArenaAllocator, ARENA_EXTENT);
