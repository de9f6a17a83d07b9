/**
 * TLSF as a WebAssembly module: the twin of src/allocator/tlsf.ts. It keeps its heap in the same format, drawn and
 * explained at the top of that file (control structure, size classes, block headers, list links, back links, regions
 * and their sentinels), and given the same memory, heap base and calls, it returns the same pointers, grows the memory
 * alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports the C allocation family, which returns 0
 * when it refuses, and the seed's family, which traps (see docs/linking.md):
 *
 *   init(heapBase), attach(heapBase)      lay out an empty TLSF heap at heapBase, or work on the one there
 *   malloc, calloc, aligned_alloc         a new block, 0 if refused; the memory grows on demand
 *   realloc                               in place when the block or its free right neighbour has room, else moved
 *   free                                  frees a block, merging it with free neighbours; a block already free traps
 *                                         with DOUBLE_FREE, any other pointer it never handed out with INVALID_POINTER
 *   malloc_usable_size                    the bytes a block holds
 *   allocate_memory, allocate_memory_aligned, reallocate_memory, free_memory, reset_memory, trap_code
 *
 * Checks, statistics and walks are left to the TypeScript build, which reads the same bytes.
 */

import { PAGE_SIZE } from "./generated/linear-memory";
import {
  BACK_LINK_SIZE,
  BLOCK_OVERHEAD,
  FL_MAP_OFFSET,
  FLAG_BITS,
  FREE,
  HEADS_OFFSET,
  LAST_LIST,
  LINEAR_BITS,
  LINEAR_LIMIT,
  MIN_BLOCK,
  NEXT_OFFSET,
  PREV_FREE,
  PREV_OFFSET,
  SENTINEL,
  SL_BITS,
  SL_MAPS_OFFSET,
  SL_MASK,
  TAIL_OFFSET,
  TLSF_CONTROL_SIZE,
  TLSF_MAGIC,
} from "./generated/tlsf";
import { ensureMemory } from "./shared/growth";
import { ALIGNMENT, isAlignment, MAX_ALLOCATION } from "./shared/size";
import * as trap from "./shared/trap";

export { trap_code } from "./shared/trap";

/** The heap this instance works on. */
let heapBase: u32 = 0;

export function init(base: u32): void {
  // Room for the control structure, the smallest block and the sentinel.
  trap.orTrap(ensureMemory(base, TLSF_CONTROL_SIZE + MIN_BLOCK + BLOCK_OVERHEAD));
  // The magic, and the lock word after it released.
  store<u64>(base, TLSF_MAGIC);
  heapBase = base;
  emptyLists();
  // One free block, from the end of the control structure to that of memory.
  endHeapAt(base + TLSF_CONTROL_SIZE);
}

export function attach(base: u32): void {
  heapBase = base;
}

/** A block of `size` bytes, by good fit (see src/allocator/tlsf.ts), or the block that growing the memory makes. */
export function malloc(size: u32): u32 {
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  const blockSize = blockSizeOf(size);
  const block = take(goodFit(blockSize), blockSize);
  if (!block) return 0;
  occupy(block, load<u32>(block) - FREE, blockSize, 0);
  return block + BLOCK_OVERHEAD;
}

/** The block a request of `size` bytes gets: its size and header, rounded up to a multiple of 8, at least 16. */
function blockSizeOf(size: u32): u32 {
  return max((size + BLOCK_OVERHEAD + ALIGNMENT - 1) & ~(ALIGNMENT - 1), MIN_BLOCK);
}

/**
 * The list to take a block of `blockSize` bytes from, or -1 if none: its own class when the first block there holds
 * them, else the smallest non-empty class above, whose blocks all do.
 */
function goodFit(blockSize: u32): i32 {
  const list = listOf(blockSize);
  const head = load<u32>(heapBase + (list << 2), HEADS_OFFSET);
  if (head && load<u32>(head) - FREE >= blockSize) return list;
  return findList(list + 1);
}

export function calloc(count: u32, size: u32): u32 {
  // A product past 1 GiB, even past 2^32, asks for one byte more than 1 GiB, which is refused as too large.
  const total = <u32>min(<u64>count * size, MAX_ALLOCATION + 1);
  const ptr = malloc(total);
  if (ptr) memory.fill(ptr, 0, total);
  return ptr;
}

/** C11's argument order. */
export function aligned_alloc(align: u32, size: u32): u32 {
  return allocateAligned(size, align);
}

/**
 * A block whose pointer is a multiple of `align`, from a class with room for the largest gap before an aligned pointer.
 * The gap becomes a free block of its own, and what the block does not need after it is freed.
 */
function allocateAligned(size: u32, align: u32): u32 {
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  if (!isAlignment(align)) return trap.refuse(trap.INVALID_ALIGNMENT);
  if (align <= ALIGNMENT) return malloc(size);
  const blockSize = blockSizeOf(size);
  // Every block of this class has room for the largest gap, align + 8.
  const searchSize = roundUpToClass(blockSize + align + ALIGNMENT);
  let block = take(findList(listOf(searchSize)), searchSize);
  if (!block) return 0;
  let freeSize = load<u32>(block) - FREE;
  const gap = alignmentGap(block, align);
  if (gap) {
    addFree(block, gap);
    block += gap;
    freeSize -= gap;
  }
  occupy(block, freeSize, blockSize, select(PREV_FREE, 0, gap));
  return block + BLOCK_OVERHEAD;
}

/**
 * The bytes from `block` to the first block after it whose pointer is a multiple of `align`, at least 16 unless 0:
 * the gap becomes a free block of its own, and a block has at least 16 bytes.
 */
function alignmentGap(block: u32, align: u32): u32 {
  const gap = -(block + BLOCK_OVERHEAD) & (align - 1);
  return gap === ALIGNMENT ? gap + align : gap;
}

/**
 * Makes the unlisted span of `size` bytes at `block`, whose right neighbour is marked as following a free block, a used
 * block of `wanted` bytes, freeing the rest when it can stand as a block; else the block after loses its P bit.
 * `flags` is the new header's P bit.
 */
function occupy(block: u32, size: u32, wanted: u32, flags: u32): void {
  const rest = size - wanted;
  if (rest >= MIN_BLOCK) {
    addFree(block + wanted, rest);
    size = wanted;
  } else {
    store<u32>(block + size, load<u32>(block + size) & ~PREV_FREE);
  }
  store<u32>(block, size | flags);
}

/**
 * Resizes a block as the TypeScript build does: in place when the block and a free right neighbour have room, the rest
 * freed, and otherwise by moving it, its bytes copied and the old block freed.
 */
export function realloc(ptr: u32, size: u32): u32 {
  if (!ptr) return malloc(size);
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  const blockSize = usedBlockSize(ptr);
  const block = ptr - BLOCK_OVERHEAD;
  const next = block + blockSize;
  const nextHeader = load<u32>(next);
  const nextSize = select(nextHeader - FREE, 0, nextHeader & FREE);
  const wanted = blockSizeOf(size);
  if (blockSize + nextSize >= wanted) {
    if (nextSize) unlink(next);
    else store<u32>(next, nextHeader | PREV_FREE);
    occupy(block, blockSize + nextSize, wanted, load<u32>(block) & PREV_FREE);
    return ptr;
  }
  // Moving: allocating first leaves the old block as it is when no block can be had.
  const moved = malloc(size);
  if (moved) {
    memory.copy(moved, ptr, min(size, blockSize - BLOCK_OVERHEAD));
    release(block, blockSize);
  }
  return moved;
}

export function malloc_usable_size(ptr: u32): u32 {
  return ptr ? usedBlockSize(ptr) - BLOCK_OVERHEAD : 0;
}

export function allocate_memory(size: u32): u32 {
  return trap.orTrap(malloc(size));
}

export function allocate_memory_aligned(size: u32, align: u32): u32 {
  return trap.orTrap(allocateAligned(size, align));
}

export function reallocate_memory(ptr: u32, size: u32): u32 {
  return trap.orTrap(realloc(ptr, size));
}

export { free as free_memory };

/**
 * Each region becomes one free block, and the lists hold just those; every other header gets its F bit, so that
 * freeing a pointer from before the reset is a DOUBLE_FREE. One walk does it all, as a region is listed only once
 * the walk has passed it.
 */
export function reset_memory(): void {
  emptyLists();
  let start = heapBase + TLSF_CONTROL_SIZE;
  let block = start;
  let size: u32;
  do {
    const header = load<u32>(block);
    size = header & ~FLAG_BITS;
    // F for a block, P for a sentinel: the region before it is now one free block.
    store<u32>(block, header | select(PREV_FREE, FREE, header & SENTINEL));
    if (header & SENTINEL) {
      // A region always holds a block: growth asks for room for one.
      addFree(start, block - start);
      start = block + size;
    }
    block += size;
  } while (size);
}

/**
 * Rounds a block size up to the lower bound of the class at or above it, so that every block of that class holds it:
 * with `last` the size less one, the class's step less one ORed into `last`, plus one. The step is that of `last`'s
 * class, which differs only when rounding reaches a power of two, and then both steps divide the bound.
 */
function roundUpToClass(size: u32): u32 {
  const last = size - 1;
  return (last | ((1 << (31 - SL_BITS - clz(last | LINEAR_LIMIT))) - 1)) + 1;
}

/**
 * The list of free blocks of `size` bytes: 16 f + s. Sizes from 2 GiB up come out above the last list, and go to it.
 * The flag bits make no difference, so a free block's header names its list too.
 */
function listOf(size: u32): u32 {
  // Classes are 2^shift bytes apart, shift being the power of two of `size` (7 below 128) less SL_BITS. `size >>> shift`
  // is then 16 + the second level, or below 128 the linear class, and adding 16 (shift - 3) makes it 16 f + s.
  const shift = 31 - SL_BITS - clz(size | LINEAR_LIMIT);
  return min(((shift + SL_BITS - LINEAR_BITS) << SL_BITS) + (size >>> shift), LAST_LIST);
}

/**
 * The smallest non-empty list from `list` up, whose blocks all hold the block sizes of `list`, or -1: a list of the
 * same first level, or else the first list of the next non-empty first level.
 */
function findList(list: u32): i32 {
  let level = list >> SL_BITS;
  let slMap = load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET) & ((<u32>-1) << (list & SL_MASK));
  if (!slMap) {
    const levelsAbove = load<u32>(heapBase, FL_MAP_OFFSET) & (-2 << level);
    if (!levelsAbove) return -1;
    level = ctz(levelsAbove);
    slMap = load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET);
  }
  return (level << SL_BITS) + ctz(slMap);
}

/**
 * Takes the first block off `list` and returns it; for a list of -1, the free block of `blockSize` bytes at least that
 * growing the memory makes, or 0 when it cannot grow.
 */
function take(list: i32, blockSize: u32): u32 {
  if (list < 0) {
    const grown = grow(blockSize);
    if (grown) unlink(grown);
    return grown;
  }
  const block = load<u32>(heapBase + (list << 2), HEADS_OFFSET);
  const next = load<u32>(block, NEXT_OFFSET);
  if (next) store<u32>(next, 0, PREV_OFFSET);
  setHead(list, next);
  return block;
}

/** Writes a free block of `size` bytes at `block`, whose left neighbour is used, and puts it at the head of its list. */
function addFree(block: u32, size: u32): void {
  const head = setHead(listOf(size), block);
  store<u32>(block, size | FREE);
  // The links: the old head next, and no previous block.
  store<u64>(block, <u64>head, NEXT_OFFSET);
  store<u32>(block + size - BACK_LINK_SIZE, block);
  if (head) store<u32>(head, block, PREV_OFFSET);
}

/** Takes the free block at `block` out of its list, which its header, with the F bit, still names. */
function unlink(block: u32): void {
  const next = load<u32>(block, NEXT_OFFSET);
  const previous = load<u32>(block, PREV_OFFSET);
  if (next) store<u32>(next, previous, PREV_OFFSET);
  if (previous) store<u32>(previous, next, NEXT_OFFSET);
  else setHead(listOf(load<u32>(block)), next);
}

/**
 * Makes `head` the first block of `list`, or leaves the list empty if it is 0, and returns the block that was first.
 * The list's bit flips when the list was empty or is now, and its first level's bit is set, then cleared again if all
 * the level's lists are empty: a bit flipped by 0, or set when it already was, costs less than a branch.
 */
function setHead(list: u32, head: u32): u32 {
  const headAt = heapBase + (list << 2);
  const first = load<u32>(headAt, HEADS_OFFSET);
  store<u32>(headAt, head, HEADS_OFFSET);
  const firstLevel = list >> SL_BITS;
  const slMapAt = heapBase + (firstLevel << 2);
  const changed = <u32>!first ^ <u32>!head;
  store<u32>(slMapAt, load<u32>(slMapAt, SL_MAPS_OFFSET) ^ (changed << (list & SL_MASK)), SL_MAPS_OFFSET);
  const flMap = load<u32>(heapBase, FL_MAP_OFFSET) | (1 << firstLevel);
  store<u32>(heapBase, flMap ^ ((<u32>!load<u32>(slMapAt, SL_MAPS_OFFSET)) << firstLevel), FL_MAP_OFFSET);
  return first;
}

/** Frees the block at `ptr`, after the checks of usedBlockSize. */
export function free(ptr: u32): void {
  if (ptr) release(ptr - BLOCK_OVERHEAD, usedBlockSize(ptr));
}

/** Frees the used block at `block`, of `size` bytes, merging it with its free neighbours. */
function release(block: u32, size: u32): void {
  const header = load<u32>(block);
  const next = block + size;
  const nextHeader = load<u32>(next);
  if (nextHeader & FREE) {
    unlink(next);
    size += nextHeader - FREE;
  } else {
    store<u32>(next, nextHeader | PREV_FREE);
  }
  if (header & PREV_FREE) {
    // The F bit stays in the merged block's old header, so that a second free of it is still caught.
    store<u32>(block, header | FREE);
    const left = load<u32>(block - BACK_LINK_SIZE);
    size += load<u32>(left) - FREE;
    unlink(left);
    block = left;
  }
  addFree(block, size);
}

/**
 * The size of the used block at `ptr`, after the checks of the TypeScript build: a pointer into this heap, aligned, at a
 * used block's header that agrees with both neighbours. Traps with INVALID_POINTER, or with DOUBLE_FREE for a free
 * block's header, otherwise.
 *
 * Both builds compare the same addresses, but here sums become differences, which cannot wrap around, and nothing is
 * loaded before it is known to lie inside the heap. A block must end by the tail, so one that starts less than 16
 * bytes before it is refused at once: the TypeScript build refuses it too, when it finds its size does not fit.
 */
function usedBlockSize(ptr: u32): u32 {
  const first = heapBase + TLSF_CONTROL_SIZE;
  const room = load<u32>(heapBase, TAIL_OFFSET) - MIN_BLOCK;
  const block = ptr - BLOCK_OVERHEAD;
  if (!(ptr & (ALIGNMENT - 1)) && block - first <= room - first) {
    const header = load<u32>(block);
    const size = header & ~FLAG_BITS;
    if (size - MIN_BLOCK <= room - block) {
      const kind = header & (FREE | SENTINEL);
      if (kind === FREE) {
        trap.trap_code = trap.DOUBLE_FREE;
        unreachable();
      }
      if (!(kind | (load<u32>(block + size) & PREV_FREE))) {
        if (!(header & PREV_FREE)) return size;
        // The back link of a free block that ends right here, after the first block's start. A link outside that
        // range reads this block's own header instead, which has P and so fails the test below.
        const left = load<u32>(block - BACK_LINK_SIZE);
        const leftSize = load<u32>(select(left, block, left - first < block - first)) - FREE;
        if (!((leftSize & FLAG_BITS) | (leftSize ^ (block - left)))) return size;
      }
    }
  }
  trap.trap_code = trap.INVALID_POINTER;
  unreachable();
  return 0;
}

/**
 * Grows the memory so that a free block of `blockSize` bytes exists, and adds the new memory to the heap: new memory
 * right after the heap extends its last block (or starts one at the old sentinel), and memory after someone else's
 * becomes a region of its own, its first block 4 bytes past the old end. Refuses with OUT_OF_MEMORY and returns 0,
 * having changed nothing, when the memory cannot grow that far.
 *
 * Returns the new free block. No list from the class of `blockSize` up held a block before, so it is the one the
 * TypeScript build's search after growing finds.
 */
function grow(blockSize: u32): u32 {
  const tail = load<u32>(heapBase, TAIL_OFFSET);
  // The block the new memory will end: the first of a new region, or, when the new memory follows the heap, the
  // free last block or one in the old sentinel's place.
  let block = <u32>memory.size() * PAGE_SIZE + BLOCK_OVERHEAD;
  if (block === tail + 2 * BLOCK_OVERHEAD)
    block = load<u32>(tail) & PREV_FREE ? load<u32>(tail - BACK_LINK_SIZE) : tail;
  // As much as the TypeScript build asks for: room for the block and a sentinel, from the free last block or from a
  // new region's first block, which is 8 bytes past the old sentinel.
  if (!ensureMemory(block, blockSize + select(3 * BLOCK_OVERHEAD, BLOCK_OVERHEAD, block === tail))) return 0;
  if (block < tail) unlink(block);
  // The old sentinel, of size 0, now leads to the new region.
  if (block > tail) store<u32>(tail, load<u32>(tail) + block - tail);
  endHeapAt(block);
  return block;
}

/** Clears the bitmaps and the list heads. */
function emptyLists(): void {
  memory.fill(heapBase + FL_MAP_OFFSET, 0, TLSF_CONTROL_SIZE - FL_MAP_OFFSET);
}

/** Makes the memory from `block` to its end the heap's free last block, and the sentinel after it the tail. */
function endHeapAt(block: u32): void {
  const tail = <u32>memory.size() * PAGE_SIZE - BLOCK_OVERHEAD;
  addFree(block, tail - block);
  store<u32>(tail, SENTINEL | PREV_FREE);
  store<u32>(heapBase, tail, TAIL_OFFSET);
}
