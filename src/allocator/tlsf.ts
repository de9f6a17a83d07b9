/**
 * TLSF, Two-Level Segregate Fit (Masmano et al., 2004): a general-purpose allocator whose `allocate` and `free` take
 * constant time however many blocks the heap holds, and which merges neighbouring free blocks at once, so that
 * fragmentation stays low.
 *
 * Free blocks sit in segregated lists, one per size class. A size class has two coordinates: the first level is the
 * power of two the size lies in, and the second level one of 16 equal slices of that power of two. One bit per list
 * says whether it holds a block, and one bit per first level whether any of its lists does, so the smallest
 * non-empty class that fits a request takes two `Math.clz32` to find.
 *
 * A request gets a block of its size plus a 4-byte header, rounded up to a multiple of 8: no more. It takes, in this
 * order, the first block of its own class when that is large enough, which below 256 bytes, where classes are 8 bytes
 * apart, any block of the class is; the designated victim, when it is large enough; else the first block of the
 * smallest non-empty class above, whose blocks all are. That is good fit in constant time: a block is split only as
 * much as it must be, and a block freed and asked for again is found at the head of its class.
 *
 * The designated victim (an idea of Doug Lea's malloc) is one free block kept out of the lists: what was left of the
 * last block split off a larger class. Requests that miss their own class are carved from it one after another, and a
 * block freed next to it merges into it, with no list to update either way. A program that allocates a run of blocks
 * and frees them in the same order, as a queue or a ring does, is served almost entirely from it. The victim is
 * replaced when a larger class is split again; the old one then goes to its list.
 *
 * Memory format, at heapBase (all words u32, little-endian; every figure in bytes):
 *
 *     heapBase
 *     |
 *     v
 *     +-------+------+------+--------+-----------------+--------------------------+--------+------+---------------
 *     | magic | lock | tail | fl map | sl maps         | list heads               | victim | (0)  | region 1: ...
 *     | TLS2  |      |      |        | 25 words        | 25 x 16 words            |        |      |
 *     +-------+------+------+--------+-----------------+--------------------------+--------+------+---------------
 *     0       4      8      12       16                116                        1716     1720   1724 =
 *                                                                                                  TLSF_CONTROL_SIZE
 *
 *   magic      "TLS2": the TLSF format, version 2 (see heap-header.ts)
 *   lock       the heap's lock on a shared memory (lock.ts, docs/threads.md); 0 on an unshared one
 *   tail       the address of the last region's end sentinel: the heap ends 4 bytes after it
 *   fl map     bit f set when some list of first level f holds a block
 *   sl maps    one word per first level f: bit s set when list (f, s) holds a block
 *   heads      the first free block of list (f, s), at word 16 f + s of the heads; 0 when the list is empty
 *   victim     the designated victim, a free block in no list; 0 when there is none
 *   (0)        reserved, 0: it puts the first block's header 4 past a multiple of 8
 *
 * Size classes. A block's size counts its header and is a multiple of 8, at least 16. List 16 f + s holds the free
 * blocks of class (f, s):
 *
 *   first level 0          sizes 0 .. 127, in 16 classes of 8 bytes (the classes for 0 and 8 stay empty)
 *   first level f, 1..24   sizes 2^(f+6) .. 2^(f+7) - 1, in 16 classes of 2^(f+2) bytes
 *
 * The last class, (24, 15), also takes every free block of 2 GiB or more: merged blocks can grow beyond the classes,
 * and are only bigger than what that class promises. A request of exactly 1 GiB needs a block of 1 GiB + 8, in the class
 * (24, 0).
 *
 * Blocks. A block starts at an address 4 past a multiple of 8 with its header word, and its pointer follows, aligned
 * to 8. Its size runs from its header to the next block's header.
 *
 *                 used block                              free block
 *
 *     block -> +---------------------+        block -> +---------------------+
 *              | size          |S|P|F|                 | size          |S|P|F|   F = 1, P = 0, S = 0
 *     ptr ---> +---------------------+                 +---------------------+
 *              | payload:            |                 | next in its list    |   0 for the last
 *              |   size - 4 bytes    |                 | previous in list    |   0 for the first
 *              |                     |                 | ...                 |
 *              |                     |                 | block (back link)   |
 *              +---------------------+                 +---------------------+
 *
 *   F  FREE        the block is free and listed
 *   P  PREV_FREE   the block before is free, so the word just before this header is that block's back link
 *   S  SENTINEL    the end of a region (see below), never handed out
 *
 * A used block carries only its header: 4 bytes. A free block holds its list links in its first payload words, and
 * its own address in its last word, which is how a block being freed finds the free neighbour on its left. Two free
 * blocks are never neighbours: they merge when the second is freed. A free block goes to the head of its list, and
 * an allocation takes the head of the list it finds, splitting off what it does not need as a new free block.
 *
 * Aligned blocks. `allocate(size, align)` asks for a class with room for the largest gap before an aligned pointer.
 * The gap before the block becomes a free block of its own (so a gap of 8, too small for one, is widened by `align`),
 * and what the block does not need after it is split off as usual: nothing is held beyond the block itself.
 *
 * Regions. The heap owns the memory from the end of the control structure to the end of memory when it is created,
 * and what it grows later. Each stretch of memory it owns is a region, tiled by blocks and closed by a sentinel, a
 * used header with the S bit: of size 0 for the last region, and in an earlier region the distance to the first block
 * of the next one. Memory grown by someone else (another holder of the same memory, or WebAssembly code) is theirs:
 * when the heap grows next, its new memory starts after theirs and becomes a region of its own, its first block 4
 * bytes after the old end of memory. New memory that follows the heap's end directly extends the last region instead.
 * Growth follows the shared policy (growth.ts) and asks for enough for the rounded block, its header and the
 * sentinel, so an allocation that made the memory grow always succeeds after it.
 *
 * Checked pointers. `free`, `reallocate` and `usableSize` accept a pointer only when it is a multiple of 8 inside the
 * heap, its header is a used block's of at least 16 bytes that ends inside the heap, the next header's P bit is clear,
 * and, if its own P bit is set, the back link before it names a free block that ends right there. A freed block keeps
 * its F bit even when it merges into its left neighbour, and `reset` sets it in every header, so a second free of the
 * same pointer is a DOUBLE_FREE. What checks of constant cost cannot tell apart is a header forged inside a live
 * block's bytes.
 *
 * Nothing lives outside the memory: every call reads the heap afresh, so several instances, or WebAssembly code, can
 * share one heap.
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import { AllocatorBase, type BlockAllocator, type BlockInfo, type HeapStats } from "./contract.js";
import { AllocationTrap, HeapCorruptionError } from "./errors.js";
import { allocatorFactory } from "./factory.js";
import { ensureMemory } from "./growth.js";
import { expectHeader, HEADER_SIZE, magicNumber, writeHeader } from "./heap-header.js";
import type { HeapExtent } from "./locked-allocator.js";
import { ALIGNMENT, ALIGNMENT_BITS, invalidPointer, MAX_ALLOCATION, requireAlignment, requireSize } from "./size.js";

export const TLSF_MAGIC = magicNumber("TLS2");

/** Header bits; sizes are multiples of 8, which leaves the low three bits. */
const FREE = 1;
const PREV_FREE = 2;
const SENTINEL = 4;
const FLAG_BITS = FREE | PREV_FREE | SENTINEL;

/** The bytes a used block spends on itself: its header. */
const BLOCK_OVERHEAD = 4;
/** A free block's list links, in bytes from its header: the next block of its list, then the previous one. */
const NEXT_OFFSET = BLOCK_OVERHEAD;
const PREV_OFFSET = NEXT_OFFSET + 4;
/** A free block's back link, its own address, fills its last bytes: the block after reads it just before its header. */
const BACK_LINK_SIZE = 4;
/** The smallest block: header, two list links and the back link. */
const MIN_BLOCK = PREV_OFFSET + 4 + BACK_LINK_SIZE;

/** Second-level classes per first level: 2^SL_BITS. */
const SL_BITS = 4;
const SL_COUNT = 1 << SL_BITS;
/** List number `list` is of first level `list >>> SL_BITS` and second level `list & SL_MASK`. */
const SL_MASK = SL_COUNT - 1;
/** Sizes below 2^LINEAR_BITS are classed linearly, one class per multiple of 8: first level 0. */
const LINEAR_BITS = SL_BITS + ALIGNMENT_BITS;
const LINEAR_LIMIT = 1 << LINEAR_BITS;
/** First levels 0 to 24: the last starts at 1 GiB, the class of the largest request. */
const FL_COUNT = 32 - LINEAR_BITS;
/** Lists are numbered 16 f + s; the last one also takes every block too large for the classes. */
const LIST_COUNT = FL_COUNT * SL_COUNT;
const LAST_LIST = LIST_COUNT - 1;
/** Free blocks from this size up belong to the last list. */
const OVERSIZED = 2 ** 31;

/** Where each part of the control structure lives, in bytes from heapBase. */
const TAIL_OFFSET = HEADER_SIZE;
const FL_MAP_OFFSET = TAIL_OFFSET + 4;
const SL_MAPS_OFFSET = FL_MAP_OFFSET + 4;
const HEADS_OFFSET = SL_MAPS_OFFSET + 4 * FL_COUNT;
/** The designated victim's address, after the list heads, and a reserved word. */
const VICTIM_OFFSET = HEADS_OFFSET + 4 * LIST_COUNT;
/** Bytes of control structure; the first block's header follows at an address 4 past a multiple of 8. */
export const TLSF_CONTROL_SIZE = VICTIM_OFFSET + 8;

/**
 * The TLSF format's constants, for its WebAssembly twin, which takes them from assembly/generated/. The code here reads
 * them as module constants, which V8 folds into it, rather than as exports, which it loads from their module cells.
 */
export const TLSF_FORMAT = {
  FREE,
  PREV_FREE,
  SENTINEL,
  FLAG_BITS,
  BLOCK_OVERHEAD,
  NEXT_OFFSET,
  PREV_OFFSET,
  BACK_LINK_SIZE,
  MIN_BLOCK,
  SL_BITS,
  SL_COUNT,
  SL_MASK,
  LINEAR_BITS,
  LINEAR_LIMIT,
  FL_COUNT,
  LIST_COUNT,
  LAST_LIST,
  OVERSIZED,
  TAIL_OFFSET,
  FL_MAP_OFFSET,
  SL_MAPS_OFFSET,
  HEADS_OFFSET,
  VICTIM_OFFSET,
} as const;

/** The same places in words, as the TypeScript build indexes the memory's u32 view. */
const TAIL_WORD = TAIL_OFFSET >>> 2;
const FL_MAP_WORD = FL_MAP_OFFSET >>> 2;
const SL_MAPS_WORD = SL_MAPS_OFFSET >>> 2;
const HEADS_WORD = HEADS_OFFSET >>> 2;
const VICTIM_WORD = VICTIM_OFFSET >>> 2;
const NEXT_WORD = NEXT_OFFSET >>> 2;
const PREV_WORD = PREV_OFFSET >>> 2;
const BACK_LINK_WORDS = BACK_LINK_SIZE >>> 2;

/** The block a request of `size` bytes gets: its size and header, rounded up to a multiple of 8, at least 16. */
function blockSizeOf(size: number): number {
  return Math.max((size + BLOCK_OVERHEAD + ALIGNMENT - 1) & -ALIGNMENT, MIN_BLOCK);
}

/**
 * The list of free blocks of `size` bytes. With `power` the power of two of `size` (at least LINEAR_BITS, as above),
 * `size >>> (power - SL_BITS)` is 16 + the second level, or below LINEAR_LIMIT the linear class; adding
 * 16 (power - LINEAR_BITS) makes it 16 f + s.
 */
function listOf(size: number): number {
  if (size >= OVERSIZED) return LAST_LIST;
  const power = 31 - Math.clz32(size | LINEAR_LIMIT);
  return ((power - LINEAR_BITS) << SL_BITS) + (size >>> (power - SL_BITS));
}

/** The index of the lowest set bit of a non-zero word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

/**
 * The bytes from `block` to the first block after it whose pointer is a multiple of `align`, at least 16 unless 0:
 * the gap becomes a free block of its own, and a block has at least 16 bytes.
 */
function alignmentGap(block: number, align: number): number {
  const gap = -(block + BLOCK_OVERHEAD) & (align - 1);
  return gap === ALIGNMENT ? gap + align : gap;
}

/** The size field of a header word. */
function sizeOf(header: number): number {
  return header - (header & FLAG_BITS);
}

/*
 * The list and block operations work on the memory's words (`u32`) and the heap's first word (`base`, heapBase / 4).
 * They trust their arguments: the allocator's public methods check everything first.
 */

/**
 * The smallest non-empty list from `list` up, whose blocks all hold the sizes of `list`'s class, or -1 if none: a list
 * of the same first level, or else the first list of the next non-empty first level. Which of the two it is goes
 * through masks rather than a branch, as it depends on sizes no processor predicts.
 */
function findList(u32: Uint32Array, base: number, list: number): number {
  const firstLevel = list >>> SL_BITS;
  const sameLevel = u32[base + SL_MAPS_WORD + firstLevel] & (-1 << (list & SL_MASK));
  const levelsAbove = u32[base + FL_MAP_WORD] & (-2 << firstLevel);
  if ((sameLevel | levelsAbove) === 0) return -1;
  const useSame = (sameLevel | -sameLevel) >> 31;
  const level = (firstLevel & useSame) | (lowestBit(levelsAbove) & ~useSame);
  const slMap = (sameLevel & useSame) | (u32[base + SL_MAPS_WORD + level] & ~useSame);
  return (level << SL_BITS) + lowestBit(slMap);
}

/** Takes the first block off a non-empty list and returns it. */
function takeFirst(u32: Uint32Array, base: number, list: number): number {
  const block = u32[base + HEADS_WORD + list];
  const next = u32[(block >>> 2) + NEXT_WORD];
  u32[base + HEADS_WORD + list] = next;
  if (next !== 0) {
    u32[(next >>> 2) + PREV_WORD] = 0;
  } else {
    markEmpty(u32, base, list);
  }
  return block;
}

/**
 * A used block of `blockSize` bytes, taken as the format's policy says (see the top of this file), or 0 when no free
 * block is large enough. What the block does not need is freed: into its list, or, split off a larger class, as the
 * new designated victim, the old one going to its list.
 */
function allocateBlock(u32: Uint32Array, base: number, blockSize: number): number {
  const list = listOf(blockSize);
  const head = u32[base + HEADS_WORD + list] as number;
  if (head !== 0 && (u32[head >>> 2] as number) - FREE >= blockSize) {
    takeFirst(u32, base, list);
    occupy(u32, base, head, (u32[head >>> 2] as number) - FREE, blockSize, 0);
    return head;
  }
  const victim = u32[base + VICTIM_WORD] as number;
  const victimSize = (u32[victim >>> 2] as number) - FREE;
  if (victim !== 0 && victimSize >= blockSize) {
    u32[base + VICTIM_WORD] = 0;
    carve(u32, base, victim, victimSize, blockSize);
    return victim;
  }
  const above = findList(u32, base, list + 1);
  if (above < 0) return 0;
  const block = takeFirst(u32, base, above);
  carve(u32, base, block, (u32[block >>> 2] as number) - FREE, blockSize);
  return block;
}

/**
 * Makes the unlisted free span of `size` bytes at `block`, left neighbour used, a used block of `wanted` bytes, offering
 * the rest as the victim when it can stand as a block; else the block after loses its P bit.
 */
function carve(u32: Uint32Array, base: number, block: number, size: number, wanted: number): void {
  if (size - wanted >= MIN_BLOCK) {
    u32[block >>> 2] = wanted;
    offerVictim(u32, base, block + wanted, size - wanted);
  } else {
    occupy(u32, base, block, size, wanted, 0);
  }
}

/**
 * Makes the unlisted span of `size` bytes at `block`, whose left neighbour is used, a free block: the victim, the old
 * one going to its list; but the end of a region goes to its list, as it is carved from in order anyway, and as the
 * victim would take requests that a hole further down could hold.
 */
function offerVictim(u32: Uint32Array, base: number, block: number, size: number): void {
  if (((u32[(block + size) >>> 2] as number) & SENTINEL) !== 0) {
    addFree(u32, base, block, size);
    return;
  }
  const victim = u32[base + VICTIM_WORD] as number;
  if (victim !== 0) addFree(u32, base, victim, (u32[victim >>> 2] as number) - FREE);
  u32[block >>> 2] = size | FREE;
  u32[(block + size - BACK_LINK_SIZE) >>> 2] = block;
  u32[base + VICTIM_WORD] = block;
}

/** Takes the free block at `block`, of `size` bytes, out of its list, or out of its place as the victim. */
function detach(u32: Uint32Array, base: number, block: number, size: number): void {
  if (block === u32[base + VICTIM_WORD]) u32[base + VICTIM_WORD] = 0;
  else unlink(u32, base, block, size);
}

/** Writes a free block of `size` bytes at `block`, whose left neighbour is used, and puts it at the head of its list. */
function addFree(u32: Uint32Array, base: number, block: number, size: number): void {
  const list = listOf(size);
  const head = u32[base + HEADS_WORD + list];
  const index = block >>> 2;
  u32[index] = size | FREE;
  u32[index + NEXT_WORD] = head;
  u32[index + PREV_WORD] = 0;
  u32[(block + size - BACK_LINK_SIZE) >>> 2] = block;
  if (head !== 0) {
    u32[(head >>> 2) + PREV_WORD] = block;
  } else {
    const firstLevel = list >>> SL_BITS;
    u32[base + SL_MAPS_WORD + firstLevel] |= 1 << (list & SL_MASK);
    u32[base + FL_MAP_WORD] |= 1 << firstLevel;
  }
  u32[base + HEADS_WORD + list] = block;
}

/** Takes the free block at `block`, of `size` bytes, out of its list. */
function unlink(u32: Uint32Array, base: number, block: number, size: number): void {
  const index = block >>> 2;
  const next = u32[index + NEXT_WORD];
  const previous = u32[index + PREV_WORD];
  if (next !== 0) u32[(next >>> 2) + PREV_WORD] = previous;
  if (previous !== 0) {
    u32[(previous >>> 2) + NEXT_WORD] = next;
    return;
  }
  const list = listOf(size);
  u32[base + HEADS_WORD + list] = next;
  if (next === 0) markEmpty(u32, base, list);
}

/** Clears the bitmap bits of a list that has just become empty. */
function markEmpty(u32: Uint32Array, base: number, list: number): void {
  const firstLevel = list >>> SL_BITS;
  const slMap = u32[base + SL_MAPS_WORD + firstLevel] & ~(1 << (list & SL_MASK));
  u32[base + SL_MAPS_WORD + firstLevel] = slMap;
  if (slMap === 0) u32[base + FL_MAP_WORD] &= ~(1 << firstLevel);
}

/**
 * Makes the unlisted span of `size` bytes at `block`, whose right neighbour is marked as following a free block, a
 * used block of `wanted` bytes, freeing the rest when it can stand as a block. `flags` is the new header's P bit.
 */
function occupy(u32: Uint32Array, base: number, block: number, size: number, wanted: number, flags: number): void {
  const rest = size - wanted;
  if (rest >= MIN_BLOCK) {
    u32[block >>> 2] = wanted | flags;
    addFree(u32, base, block + wanted, rest);
  } else {
    u32[block >>> 2] = size | flags;
    u32[(block + size) >>> 2] &= ~PREV_FREE;
  }
}

/**
 * Frees the used block at `block`, of `size` bytes, merging it with free neighbours; the merged block is the victim if
 * one of them was, and goes to its list otherwise.
 */
function release(u32: Uint32Array, base: number, block: number, size: number): void {
  const header = u32[block >>> 2] as number;
  const next = block + size;
  const nextHeader = u32[next >>> 2] as number;
  const victim = u32[base + VICTIM_WORD] as number;
  if ((nextHeader & FREE) !== 0) {
    const nextSize = nextHeader - FREE;
    if (next !== victim) unlink(u32, base, next, nextSize);
    size += nextSize;
  } else {
    u32[next >>> 2] = nextHeader | PREV_FREE;
  }
  let merged = next === victim && (nextHeader & FREE) !== 0;
  if ((header & PREV_FREE) !== 0) {
    // The F bit stays in the merged block's old header, so that a second free of it is still caught.
    u32[block >>> 2] = header | FREE;
    const left = u32[(block >>> 2) - BACK_LINK_WORDS] as number;
    const leftSize = (u32[left >>> 2] as number) - FREE;
    if (left === victim) merged = true;
    else unlink(u32, base, left, leftSize);
    block = left;
    size += leftSize;
  }
  if (merged) {
    u32[base + VICTIM_WORD] = 0;
    offerVictim(u32, base, block, size);
  } else {
    addFree(u32, base, block, size);
  }
}

export class TlsfAllocator extends AllocatorBase implements BlockAllocator {
  readonly name = "tlsf";
  readonly memory: LinearMemory;
  readonly heapBase: number;
  /** heapBase / 4: the control structure's first word. */
  private readonly base: number;
  /** The address of the first region's first block. */
  private readonly first: number;

  private constructor(memory: LinearMemory, heapBase: number) {
    super();
    this.memory = memory;
    this.heapBase = heapBase;
    this.base = heapBase >>> 2;
    this.first = heapBase + TLSF_CONTROL_SIZE;
  }

  /** Lays a new, empty heap out at `heapBase`, owning the memory from there to its end (grown to fit one block). */
  static create(memory: LinearMemory, heapBase: number): TlsfAllocator {
    const first = heapBase + TLSF_CONTROL_SIZE;
    if (!ensureMemory(memory, first + MIN_BLOCK + BLOCK_OVERHEAD)) {
      throw new AllocationTrap("OUT_OF_MEMORY", `tlsf: no room for the heap's control structure at ${heapBase}`);
    }
    writeHeader(memory, heapBase, TLSF_MAGIC);
    const tlsf = new TlsfAllocator(memory, heapBase);
    // One block spanning the region, and its sentinel: the shape reset() walks, and then lists.
    const tail = endOfMemory(memory) - BLOCK_OVERHEAD;
    const u32 = memory.u32;
    u32[first >>> 2] = tail - first;
    u32[tail >>> 2] = SENTINEL;
    u32[tlsf.base + TAIL_WORD] = tail;
    tlsf.reset();
    return tlsf;
  }

  /** Binds to the heap that lives at `heapBase`, after checking that it is a sound TLSF heap. */
  static attach(memory: LinearMemory, heapBase: number): TlsfAllocator {
    expectHeader(memory, heapBase, TLSF_MAGIC);
    const tlsf = new TlsfAllocator(memory, heapBase);
    tlsf.check();
    return tlsf;
  }

  allocate(size: number, align: number = ALIGNMENT): number {
    if (size >>> 0 !== size || size > MAX_ALLOCATION) requireSize(size, "allocate");
    if (align !== ALIGNMENT) return this.allocateAligned(size, align);
    const blockSize = blockSizeOf(size);
    const block = allocateBlock(this.memory.u32, this.base, blockSize);
    return (block !== 0 ? block : this.allocateAfterGrowth(blockSize, `allocate(${size})`)) + BLOCK_OVERHEAD;
  }

  free(ptr: number): void {
    if (ptr === 0) return;
    const u32 = this.memory.u32;
    const base = this.base;
    const tail = u32[base + TAIL_WORD];
    // The checks of usedBlockSize, inline.
    if (ptr >>> 0 !== ptr || (ptr & (ALIGNMENT - 1)) !== 0 || ptr <= this.first || ptr > tail) {
      this.refuse(u32, ptr, "free");
    }
    const block = ptr - BLOCK_OVERHEAD;
    const header = u32[block >>> 2] as number;
    const size = header & ~FLAG_BITS;
    const next = block + size;
    if ((header & (FREE | SENTINEL)) !== 0 || size < MIN_BLOCK || next > tail || (u32[next >>> 2] & PREV_FREE) !== 0) {
      this.refuse(u32, ptr, "free");
    }
    if ((header & PREV_FREE) !== 0) {
      const left = u32[(block >>> 2) - BACK_LINK_WORDS] as number;
      const leftHeader = u32[left >>> 2] as number;
      if ((leftHeader & FLAG_BITS) !== FREE || left < this.first || left + leftHeader - FREE !== block) {
        this.refuse(u32, ptr, "free");
      }
    }
    release(u32, base, block, size);
  }

  /**
   * Resizes a block in place when it and a free right neighbour have room, freeing what it does not need of them, and
   * otherwise moves it: allocates, copies, and frees the old block.
   */
  reallocate(ptr: number, size: number): number {
    if (ptr === 0) return this.allocate(size);
    requireSize(size, "reallocate");
    const u32 = this.memory.u32;
    const base = this.base;
    const blockSize = this.usedBlockSize(u32, ptr, "reallocate");
    const block = ptr - BLOCK_OVERHEAD;
    const next = block + blockSize;
    const nextHeader = u32[next >>> 2] as number;
    const nextSize = (nextHeader & FREE) !== 0 ? nextHeader - FREE : 0;
    const wanted = blockSizeOf(size);
    if (blockSize + nextSize >= wanted) {
      // The span of the block and its free neighbour is unlisted and marked free to the block after, as occupy needs.
      if (nextSize !== 0) detach(u32, base, next, nextSize);
      else u32[next >>> 2] = nextHeader | PREV_FREE;
      occupy(u32, base, block, blockSize + nextSize, wanted, (u32[block >>> 2] as number) & PREV_FREE);
      return ptr;
    }
    // Moving: when no block can be had, allocate traps before anything has changed.
    const moved = this.allocateToMove(ptr, size);
    this.memory.u8.copyWithin(moved, ptr, ptr + Math.min(size, blockSize - BLOCK_OVERHEAD));
    release(this.memory.u32, base, block, blockSize);
    return moved;
  }

  usableSize(ptr: number): number {
    return this.usedBlockSize(this.memory.u32, ptr, "usableSize") - BLOCK_OVERHEAD;
  }

  /**
   * Empties the heap: each region becomes one free block, and the lists hold just those. Every old header gets its F
   * bit, so that freeing a pointer from before the reset is caught as a double free.
   */
  reset(): void {
    const u32 = this.memory.u32;
    const sentinels: number[] = [];
    this.visitBlocks(u32, (block, header) => {
      if ((header & SENTINEL) !== 0) sentinels.push(block);
    });
    // The walk above has vouched for every size: this one can change the headers as it goes.
    this.visitBlocks(u32, (block, header) => {
      if ((header & SENTINEL) === 0) u32[block >>> 2] = header | FREE;
    });
    u32.fill(0, this.base + FL_MAP_WORD, this.base + VICTIM_WORD + 2);
    let start = this.first;
    for (const sentinel of sentinels) {
      const gap = sizeOf(u32[sentinel >>> 2]);
      if (sentinel > start) {
        addFree(u32, this.base, start, sentinel - start);
        u32[sentinel >>> 2] = gap | SENTINEL | PREV_FREE;
      } else {
        u32[sentinel >>> 2] = gap | SENTINEL;
      }
      start = sentinel + gap;
    }
  }

  /** Visits every block, free and used, in address order, as the heap was when `walk` was called. */
  walk(visit: (block: BlockInfo) => void): void {
    const blocks: BlockInfo[] = [];
    this.visitBlocks(this.memory.u32, (block, header) => {
      if ((header & SENTINEL) !== 0) return;
      const size = sizeOf(header);
      blocks.push({ ptr: block + BLOCK_OVERHEAD, size: size - BLOCK_OVERHEAD, used: (header & FREE) === 0 });
    });
    for (const block of blocks) visit(block);
  }

  /** The end of the heap's own state, its control structure: the floor of its footprint. */
  stateEnd(): number {
    return this.first;
  }

  stats(): HeapStats {
    let heapEnd = this.stateEnd();
    let bytesInUse = 0;
    let bytesFree = 0;
    let blocksInUse = 0;
    this.visitBlocks(this.memory.u32, (block, header) => {
      if ((header & SENTINEL) !== 0) return;
      const usable = sizeOf(header) - BLOCK_OVERHEAD;
      if ((header & FREE) !== 0) {
        bytesFree += usable;
      } else {
        bytesInUse += usable;
        blocksInUse++;
        heapEnd = block + BLOCK_OVERHEAD + usable;
      }
    });
    return {
      heapStart: this.heapBase,
      heapEnd,
      bytesInUse,
      bytesFree,
      blocksInUse,
      memorySize: this.memory.byteLength,
    };
  }

  /**
   * Verifies the whole heap: the header; the physical walk of every region (sizes, bits, back links, sentinels) up
   * to the tail; no two free blocks side by side; the bitmaps against the list heads; and every list, whose blocks
   * must be free blocks of the walk, each in the list of its size, with consistent links, listed exactly once.
   */
  check(): void {
    expectHeader(this.memory, this.heapBase, TLSF_MAGIC);
    const u32 = this.memory.u32;
    const unlisted = new Set<number>();
    let previousFree = false;
    this.visitBlocks(u32, (block, header) => {
      const size = sizeOf(header);
      if (((header & PREV_FREE) !== 0) !== previousFree) {
        const left = previousFree ? "free" : "used";
        throw new HeapCorruptionError(
          block,
          `the previous-free bit of ${block} disagrees: the block before is ${left}`,
        );
      }
      previousFree = (header & FREE) !== 0;
      if ((header & SENTINEL) !== 0) {
        if (previousFree) throw new HeapCorruptionError(block, `the region sentinel ${block} is marked free`);
        return;
      }
      if (!previousFree) return;
      if ((header & PREV_FREE) !== 0) {
        throw new HeapCorruptionError(block, `free block ${block} follows another free block: they were not merged`);
      }
      const backLink = u32[(block + size - BACK_LINK_SIZE) >>> 2];
      if (backLink !== block) {
        throw new HeapCorruptionError(
          block + size - BACK_LINK_SIZE,
          `free block ${block} ends with back link ${backLink}`,
        );
      }
      unlisted.add(block);
    });
    this.checkLists(u32, unlisted);
    // The one free block in no list is the victim.
    const victimAt = this.heapBase + VICTIM_OFFSET;
    const victim = u32[victimAt >>> 2] as number;
    if (victim !== 0 && !unlisted.delete(victim)) {
      throw new HeapCorruptionError(victimAt, `the victim ${victim} is not a free block outside the lists`);
    }
    if (u32[(victimAt + 4) >>> 2] !== 0) {
      throw new HeapCorruptionError(victimAt + 4, `the reserved word after the victim is not 0`);
    }
    for (const block of unlisted) throw new HeapCorruptionError(block, `free block ${block} is in no list`);
  }

  /**
   * The size of the used block at `ptr`, after the checks `free` always makes: a pointer into this heap, aligned, at a
   * used block's header that agrees with both neighbours. Traps with INVALID_POINTER or DOUBLE_FREE otherwise.
   */
  private usedBlockSize(u32: Uint32Array, ptr: number, operation: string): number {
    const tail = u32[this.base + TAIL_WORD];
    if (ptr >>> 0 !== ptr || (ptr & (ALIGNMENT - 1)) !== 0 || ptr <= this.first || ptr > tail) {
      throw invalidPointer(operation, ptr, "not a pointer into this heap");
    }
    const block = ptr - BLOCK_OVERHEAD;
    const header = u32[block >>> 2];
    const size = sizeOf(header);
    if ((header & (FREE | SENTINEL)) !== 0 || size < MIN_BLOCK || block + size > tail) {
      throw this.notAUsedBlock(u32, ptr, operation);
    }
    if ((u32[(block + size) >>> 2] & PREV_FREE) !== 0) {
      throw invalidPointer(operation, ptr, "not at a block: the next header takes it for free");
    }
    if ((header & PREV_FREE) !== 0) {
      const left = u32[(block >>> 2) - BACK_LINK_WORDS];
      const leftHeader = u32[left >>> 2];
      if ((leftHeader & FLAG_BITS) !== FREE || left < this.first || left + leftHeader - FREE !== block) {
        throw invalidPointer(operation, ptr, "not at a block: no free block ends where it starts");
      }
    }
    return size;
  }

  /** Throws the trap naming why `free` refused `ptr`, found by running its checks again, off the fast path. */
  private refuse(u32: Uint32Array, ptr: number, operation: string): never {
    this.usedBlockSize(u32, ptr, operation);
    throw invalidPointer(operation, ptr, "not at a block");
  }

  /** The trap for a pointer whose header is not a used block's: DOUBLE_FREE when it is a free block's, as it was. */
  private notAUsedBlock(u32: Uint32Array, ptr: number, operation: string): AllocationTrap {
    const header = u32[(ptr - BLOCK_OVERHEAD) >>> 2];
    const size = sizeOf(header);
    const plausible =
      (header & SENTINEL) === 0 && size >= MIN_BLOCK && ptr + size <= u32[this.base + TAIL_WORD] + BLOCK_OVERHEAD;
    if ((header & FREE) !== 0 && plausible) {
      return new AllocationTrap("DOUBLE_FREE", `${operation}(${ptr}): the block is already free`);
    }
    return invalidPointer(operation, ptr, "not at a block");
  }

  // ----- aligned allocation -----

  /**
   * A block whose pointer is a multiple of `align`. The search asks for room for the worst gap before an aligned
   * pointer, so that the first block found will do; the gap becomes a free block of its own, and what is left after the
   * block is freed, so nothing beyond the alignment's padding is held.
   */
  private allocateAligned(size: number, align: number): number {
    requireAlignment(align, "allocate");
    // A block with room for the largest gap before an aligned pointer, align + 8: the gap before the aligned block is
    // freed, and what the block does not need after it is freed by resizing it in place.
    const searchSize = blockSizeOf(size) + align + ALIGNMENT;
    let block = allocateBlock(this.memory.u32, this.base, searchSize);
    if (block === 0) block = this.allocateAfterGrowth(searchSize, `allocate(${size}, ${align})`);
    const gap = alignmentGap(block, align);
    if (gap !== 0) {
      const u32 = this.memory.u32;
      const total = u32[block >>> 2] as number;
      addFree(u32, this.base, block, gap);
      block += gap;
      u32[block >>> 2] = (total - gap) | PREV_FREE;
    }
    return this.reallocate(block + BLOCK_OVERHEAD, size);
  }

  // ----- growth and regions -----

  /** The rest of an allocation when no free block is large enough: grow, then take the block growth made. */
  private allocateAfterGrowth(blockSize: number, call: string): number {
    this.grow(this.memory.u32, blockSize, call);
    return allocateBlock(this.memory.u32, this.base, blockSize);
  }

  /**
   * Grows the memory so that a free block of `blockSize` bytes exists, and adds the new memory to the heap. Traps
   * with OUT_OF_MEMORY, having changed nothing, when the memory cannot grow that far.
   */
  private grow(u32: Uint32Array, blockSize: number, call: string): void {
    const end = endOfMemory(this.memory);
    const tail = u32[this.base + TAIL_WORD];
    // New memory right after a free last block extends it; otherwise it needs a header, and a sentinel after.
    const needed =
      tail + BLOCK_OVERHEAD === end && (u32[tail >>> 2] & PREV_FREE) !== 0
        ? u32[(tail >>> 2) - BACK_LINK_WORDS] + blockSize + BLOCK_OVERHEAD
        : end + blockSize + 2 * BLOCK_OVERHEAD;
    if (!ensureMemory(this.memory, needed)) {
      throw new AllocationTrap("OUT_OF_MEMORY", `${call}: the memory cannot grow to ${needed} bytes`);
    }
    this.addRegion(this.memory.u32, end, endOfMemory(this.memory));
  }

  /** Adds the memory `start .. end`, just grown, to the heap: extending the last region, or as a new one. */
  private addRegion(u32: Uint32Array, start: number, end: number): void {
    const tail = u32[this.base + TAIL_WORD];
    const sentinel = u32[tail >>> 2];
    const newTail = end - BLOCK_OVERHEAD;
    if (tail + BLOCK_OVERHEAD === start) {
      // A free last block grows into the new memory; else the old sentinel's place begins a new free block.
      let block = tail;
      if ((sentinel & PREV_FREE) !== 0) {
        block = u32[(tail >>> 2) - BACK_LINK_WORDS] as number;
        detach(u32, this.base, block, (u32[block >>> 2] as number) - FREE);
      }
      addFree(u32, this.base, block, newTail - block);
    } else {
      const first = start + BLOCK_OVERHEAD;
      u32[tail >>> 2] = (first - tail) | SENTINEL | (sentinel & PREV_FREE);
      addFree(u32, this.base, first, newTail - first);
    }
    u32[newTail >>> 2] = SENTINEL | PREV_FREE;
    u32[this.base + TAIL_WORD] = newTail;
  }

  // ----- walking and checking -----

  /**
   * Calls `visit` with every block's address and header, sentinels included, in address order, after checking that
   * its size keeps the walk inside the heap. Throws a HeapCorruptionError where the walk would go astray.
   */
  private visitBlocks(u32: Uint32Array, visit: (block: number, header: number) => void): void {
    const tail = u32[this.base + TAIL_WORD];
    if (tail % ALIGNMENT !== BLOCK_OVERHEAD || tail < this.first || tail + BLOCK_OVERHEAD > this.memory.byteLength) {
      throw new HeapCorruptionError(
        this.heapBase + TAIL_OFFSET,
        `tail ${tail} is not a sentinel's place in memory after the first block at ${this.first}`,
      );
    }
    let block = this.first;
    for (;;) {
      const header = u32[block >>> 2];
      const size = sizeOf(header);
      if ((header & SENTINEL) !== 0) {
        if (size === 0) {
          if (block !== tail)
            throw new HeapCorruptionError(block, `a last-region sentinel at ${block}, not at ${tail}`);
          visit(block, header);
          return;
        }
        if (block + size > tail || size < 2 * BLOCK_OVERHEAD) {
          throw new HeapCorruptionError(block, `sentinel ${block} leads to ${block + size}, outside the heap`);
        }
      } else if (block === tail) {
        throw new HeapCorruptionError(block, `the tail ${tail} is not a region sentinel`);
      } else if (size < MIN_BLOCK || block + size > tail) {
        throw new HeapCorruptionError(block, `block ${block} has size ${size}, which does not fit the heap`);
      }
      visit(block, header);
      block += size;
    }
  }

  /** Checks bitmaps and lists, crossing every listed block off `unlisted`, the free blocks the walk found. */
  private checkLists(u32: Uint32Array, unlisted: Set<number>): void {
    const flMapAt = this.heapBase + FL_MAP_OFFSET;
    const flMap = u32[flMapAt >>> 2];
    if (flMap >>> FL_COUNT !== 0) {
      throw new HeapCorruptionError(flMapAt, `first-level map ${flMap} has bits beyond level ${FL_COUNT - 1}`);
    }
    for (let firstLevel = 0; firstLevel < FL_COUNT; firstLevel++) {
      const slMapAt = this.heapBase + SL_MAPS_OFFSET + 4 * firstLevel;
      const slMap = u32[slMapAt >>> 2];
      if (slMap >>> SL_COUNT !== 0) {
        throw new HeapCorruptionError(slMapAt, `second-level map ${slMap} has bits beyond class ${SL_COUNT - 1}`);
      }
      if (((flMap >>> firstLevel) & 1) !== (slMap === 0 ? 0 : 1)) {
        throw new HeapCorruptionError(slMapAt, `first-level bit ${firstLevel} disagrees with its map ${slMap}`);
      }
      for (let secondLevel = 0; secondLevel < SL_COUNT; secondLevel++) {
        const list = (firstLevel << SL_BITS) + secondLevel;
        const headAt = this.heapBase + HEADS_OFFSET + 4 * list;
        const name = `list (${firstLevel}, ${secondLevel})`;
        let block = u32[headAt >>> 2];
        if (((slMap >>> secondLevel) & 1) !== (block === 0 ? 0 : 1)) {
          throw new HeapCorruptionError(headAt, `the bitmap bit of ${name} disagrees with its head ${block}`);
        }
        let previous = 0;
        while (block !== 0) {
          if (!unlisted.delete(block)) {
            throw new HeapCorruptionError(block, `${name} holds ${block}, not a free block or listed twice`);
          }
          const size = sizeOf(u32[block >>> 2]);
          const belongs = listOf(size);
          if (belongs !== list) {
            const where = `(${belongs >>> SL_BITS}, ${belongs & SL_MASK})`;
            throw new HeapCorruptionError(block, `${name} holds ${block} of size ${size}, which belongs in ${where}`);
          }
          const back = u32[(block >>> 2) + PREV_WORD];
          if (back !== previous) {
            throw new HeapCorruptionError(
              block + PREV_OFFSET,
              `${name}: ${block} links back to ${back}, not ${previous}`,
            );
          }
          previous = block;
          block = u32[(block >>> 2) + NEXT_WORD];
        }
      }
    }
  }
}

/** The end of memory the heap can use: its length, down to a multiple of 8. */
function endOfMemory(memory: LinearMemory): number {
  const length = memory.byteLength;
  return length - (length % ALIGNMENT);
}

/** The heap ends after its tail sentinel. */
const TLSF_EXTENT: HeapExtent = {
  magic: TLSF_MAGIC,
  end: (state: Uint32Array, heapBase: number): number =>
    (state[(heapBase + TAIL_OFFSET) >>> 2] as number) + BLOCK_OVERHEAD,
};

/** `tlsf(memory, { heapBase })` makes a new heap; `tlsf.attach(memory, heapBase)` binds to an existing one. */
export const tlsf = allocatorFactory(TlsfAllocator, TLSF_EXTENT);
