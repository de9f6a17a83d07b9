/**
 * TLSF as a WebAssembly module: the twin of src/allocator/tlsf.ts. It keeps its heap in the same format, drawn and
 * explained at the top of that file (control structure, size classes, block headers, list links, back links, regions
 * and their sentinels), and given the same memory, heap base and calls, it returns the same pointers, grows the memory
 * alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports:
 *
 *   init(heapBase)                               lays out an empty TLSF heap at heapBase (a multiple of 8)
 *   attach(heapBase)                             works on the TLSF heap already at heapBase, changing nothing
 *   allocate_memory(size) -> ptr                 a block of `size` bytes, aligned to 8
 *   allocate_memory_aligned(size, align) -> ptr  the same, aligned to `align` too (a power of two from 8 to 65536)
 *   reallocate_memory(ptr, size) -> ptr          resizes a block in place when it can, else moves it
 *   free_memory(ptr)                             frees a block, merging it with free neighbours; a block already
 *                                                free traps with DOUBLE_FREE, any other pointer it never handed out
 *                                                with INVALID_POINTER
 *   reset_memory()                               frees every block: each region becomes one free block
 *   trap_code                                    a global: why the last refused call trapped (see shared/trap.ts)
 *
 * The TypeScript build's checks, statistics and walks read the same bytes, so the module leaves them to it.
 */
import { ensureMemory } from "./shared/growth";
import { requireAlignment, requireSize } from "./shared/size";
import { DOUBLE_FREE, INVALID_POINTER, trap } from "./shared/trap";

export { trap_code } from "./shared/trap";

/** "TLS1" in little-endian bytes, with the lock word after it released: the first 8 bytes of every TLSF heap. */
const TLSF_HEADER: u64 = 0x31534c54;

/** Header bits, below a size that is a multiple of 8. */
const FREE: u32 = 1;
const PREV_FREE: u32 = 2;
const SENTINEL: u32 = 4;
const FLAG_BITS: u32 = 7;

/** A used block's header; the smallest block: header, two list links and the back link. */
const BLOCK_OVERHEAD: u32 = 4;
const MIN_BLOCK: u32 = 16;

/** 16 second-level classes per first level; below 128 bytes, one class per multiple of 8. */
const SL_BITS: u32 = 4;
const LINEAR_LIMIT: u32 = 128;
/** The last list, 16 f + s for (24, 15), which also takes every free block from 2 GiB up. */
const LAST_LIST: u32 = 399;

/** The control structure, in bytes from heapBase. */
const TAIL_OFFSET = 8;
const FL_MAP_OFFSET = 12;
const SL_MAPS_OFFSET = 16;
const HEADS_OFFSET = 116;
const CONTROL_SIZE: u32 = 1716;

/** The heap this instance works on. */
let heapBase: u32 = 0;

export function init(base: u32): void {
  // Room for the control structure, the smallest block and the sentinel.
  ensureMemory(base, CONTROL_SIZE + MIN_BLOCK + BLOCK_OVERHEAD);
  store<u64>(base, TLSF_HEADER);
  heapBase = base;
  // One used block spanning the region, and its sentinel: the shape reset_memory walks, and then lists.
  const first = base + CONTROL_SIZE;
  const tail = memoryEnd() - BLOCK_OVERHEAD;
  store<u32>(first, tail - first);
  store<u32>(tail, SENTINEL);
  store<u32>(base, tail, TAIL_OFFSET);
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
}

export function allocate_memory(size: u32): u32 {
  requireSize(size);
  const blockSize = blockSizeFor(size);
  const block = takeBlock(blockSize, blockSize);
  occupy(block, load<u32>(block) - FREE, blockSize, 0);
  return block + BLOCK_OVERHEAD;
}

/**
 * The block an unaligned request would get is taken when it leaves room for the gap before an aligned pointer;
 * otherwise one of a class with room for the largest gap. The gap becomes a free block of its own.
 */
export function allocate_memory_aligned(size: u32, align: u32): u32 {
  requireSize(size);
  if (align === 8) return allocate_memory(size);
  requireAlignment(align);
  const blockSize = blockSizeFor(size);
  let block = findBlock(blockSize);
  // Every block of the class of searchSize has room for the largest gap, align + 8.
  const searchSize = roundUpToClass(blockSize + align + 8);
  block = takeBlock(
    !block || alignmentGap(block, align) + blockSize > load<u32>(block) - FREE ? searchSize : blockSize,
    searchSize,
  );
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
 * In place when the block, with its right neighbour if that is free, holds the new size: what it does not need is
 * freed when it can stand as a block. A block shrunk by less than that stays as it is.
 */
export function reallocate_memory(ptr: u32, size: u32): u32 {
  if (!ptr) return allocate_memory(size);
  requireSize(size);
  const blockSize = usedBlockSize(ptr);
  const block = ptr - BLOCK_OVERHEAD;
  const wanted = blockSizeFor(size);
  // Also false when growing, as the difference wraps around.
  if (blockSize - wanted < MIN_BLOCK) return ptr;
  const next = block + blockSize;
  const nextSize = load<u32>(next) - FREE;
  // A free neighbour's header has no bit but F, so only then is nextSize a multiple of 8.
  const nextFree = !(nextSize & FLAG_BITS);
  const available = blockSize + select(nextSize, 0, nextFree);
  if (available >= wanted) {
    if (nextFree) unlink(next, nextSize);
    occupy(block, available, wanted, load<u32>(block) & PREV_FREE);
    return ptr;
  }
  // Moving: when no block can be had, allocate_memory traps before anything has changed.
  const moved = allocate_memory(size);
  memory.copy(moved, ptr, min(size, blockSize - BLOCK_OVERHEAD));
  release(block, blockSize);
  return moved;
}

export function free_memory(ptr: u32): void {
  if (ptr) release(ptr - BLOCK_OVERHEAD, usedBlockSize(ptr));
}

/**
 * Each region becomes one free block, and the lists hold just those; every other header gets its F bit, so that
 * freeing a pointer from before the reset is a DOUBLE_FREE. One walk does it all, as a region is listed only once
 * the walk has passed it.
 */
export function reset_memory(): void {
  memory.fill(heapBase + FL_MAP_OFFSET, 0, CONTROL_SIZE - FL_MAP_OFFSET);
  let start = heapBase + CONTROL_SIZE;
  let block = start;
  let size: u32;
  do {
    const header = load<u32>(block);
    size = header & ~FLAG_BITS;
    if (header & SENTINEL) {
      if (block === start) store<u32>(block, header & ~PREV_FREE);
      else closeRegion(start, block, size);
      start = block + size;
    } else {
      store<u32>(block, header | FREE);
    }
    block += size;
  } while (size);
}

/** The end of memory, which a heap's last region reaches. */
function memoryEnd(): u32 {
  return <u32>memory.size() << 16;
}

/** The block size a request of `size` bytes gets: header added, rounded to 8, then up to a class's lower bound. */
function blockSizeFor(size: u32): u32 {
  return roundUpToClass((size + BLOCK_OVERHEAD + 7) & ~7);
}

/** Rounds a block size up to the lower bound of the class at or above it, and up to the smallest block. */
function roundUpToClass(size: u32): u32 {
  const step: u32 = (1 << (31 - SL_BITS - clz(size | LINEAR_LIMIT))) - 1;
  return max((size + step) & ~step, MIN_BLOCK);
}

/**
 * The list of free blocks of `size` bytes: 16 f + s. Sizes from 2 GiB up come out above the last list, and go to it.
 */
function listOf(size: u32): u32 {
  const power = 31 - clz(size | LINEAR_LIMIT);
  return min(((power - 7) << SL_BITS) + (size >>> (power - SL_BITS)), LAST_LIST);
}

/** The bytes from `block` to the first block after it whose pointer is a multiple of `align`: 0, or at least 16. */
function alignmentGap(block: u32, align: u32): u32 {
  const gap = -(block + BLOCK_OVERHEAD) & (align - 1);
  return gap === 8 ? gap + align : gap;
}

/**
 * The first block of the smallest non-empty list whose blocks all hold `blockSize` bytes, or 0: a list of the same
 * first level, or the first list of the next non-empty first level, chosen by `select` rather than a branch.
 */
function findBlock(blockSize: u32): u32 {
  const list = listOf(blockSize);
  const firstLevel = list >> SL_BITS;
  const sameLevel = load<u32>(heapBase + (firstLevel << 2), SL_MAPS_OFFSET) & (<u32>-1 << (list & 15));
  const levelsAbove = load<u32>(heapBase, FL_MAP_OFFSET) & (-2 << firstLevel);
  if (!(sameLevel | levelsAbove)) return 0;
  const level = select(firstLevel, ctz(levelsAbove), sameLevel);
  const slMap = select(sameLevel, load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET), sameLevel);
  return load<u32>(heapBase + (((level << SL_BITS) + ctz(slMap)) << 2), HEADS_OFFSET);
}

/**
 * Takes a block that holds `blockSize` bytes off its list: the first one of the smallest class that has one, after
 * growing the memory by enough for `growSize` if none has.
 */
function takeBlock(blockSize: u32, growSize: u32): u32 {
  let block = findBlock(blockSize);
  if (!block) {
    grow(growSize);
    block = findBlock(growSize);
  }
  unlink(block, load<u32>(block) - FREE);
  return block;
}

/** Writes a free block of `size` bytes at `block`, whose left neighbour is used, and puts it at the head of its list. */
function addFree(block: u32, size: u32): void {
  const list = listOf(size);
  const headAt = heapBase + (list << 2);
  const head = load<u32>(headAt, HEADS_OFFSET);
  store<u32>(block, size | FREE);
  store<u32>(block, head, 4);
  store<u32>(block, 0, 8);
  store<u32>(block + size - 4, block);
  if (head) store<u32>(head, block, 8);
  else flipListBit(list);
  store<u32>(headAt, block, HEADS_OFFSET);
}

/** Takes the free block at `block`, of `size` bytes, out of its list. */
function unlink(block: u32, size: u32): void {
  const next = load<u32>(block, 4);
  const previous = load<u32>(block, 8);
  if (next) store<u32>(next, previous, 8);
  if (previous) {
    store<u32>(previous, next, 4);
  } else {
    const list = listOf(size);
    store<u32>(heapBase + (list << 2), next, HEADS_OFFSET);
    if (!next) flipListBit(list);
  }
}

/**
 * Flips the bitmap bit of a list that has just become empty or stopped being so, and makes its first level's bit say
 * whether any list of that level holds a block.
 */
function flipListBit(list: u32): void {
  const firstLevel = list >> SL_BITS;
  const slMapAt = heapBase + (firstLevel << 2);
  const slMap = load<u32>(slMapAt, SL_MAPS_OFFSET) ^ (1 << (list & 15));
  store<u32>(slMapAt, slMap, SL_MAPS_OFFSET);
  const flMap = load<u32>(heapBase, FL_MAP_OFFSET) & ~(1 << firstLevel);
  store<u32>(heapBase, flMap | (<u32>(slMap !== 0) << firstLevel), FL_MAP_OFFSET);
}

/**
 * Makes the unlisted span of `size` bytes at `block` a used block of `wanted` bytes, freeing the rest when it can
 * stand as a block, and tells the block after whether a free block now precedes it. `flags` is the new header's P bit.
 */
function occupy(block: u32, size: u32, wanted: u32, flags: u32): void {
  const end = block + size;
  const rest = size - wanted;
  let restFree: u32 = 0;
  if (rest >= MIN_BLOCK) {
    addFree(block + wanted, rest);
    size = wanted;
    restFree = PREV_FREE;
  }
  store<u32>(block, size | flags);
  store<u32>(end, (load<u32>(end) & ~PREV_FREE) | restFree);
}

/** Frees the used block at `block`, of `size` bytes, merging it with free neighbours. */
function release(block: u32, size: u32): void {
  const header = load<u32>(block);
  const next = block + size;
  const nextHeader = load<u32>(next);
  if (nextHeader & FREE) {
    unlink(next, nextHeader - FREE);
    size += nextHeader - FREE;
  } else {
    store<u32>(next, nextHeader | PREV_FREE);
  }
  if (header & PREV_FREE) {
    // The F bit stays in the merged block's old header, so that a second free of it is still caught.
    store<u32>(block, header | FREE);
    const left = load<u32>(block - 4);
    const leftSize = load<u32>(left) - FREE;
    unlink(left, leftSize);
    block = left;
    size += leftSize;
  }
  addFree(block, size);
}

/**
 * The size of the used block at `ptr`, after the checks of the TypeScript build's usedBlockSize: a pointer into this
 * heap, aligned, at a used block's header that agrees with both neighbours. Traps with INVALID_POINTER, or with
 * DOUBLE_FREE for a free block's header, otherwise.
 *
 * Both builds compare the same addresses, but here sums become differences, which cannot wrap around, and nothing is
 * loaded before it is known to lie inside the heap. A block must end by the tail, so one that starts less than 16
 * bytes before it is refused at once: the TypeScript build refuses it too, when it finds its size does not fit.
 */
function usedBlockSize(ptr: u32): u32 {
  const first = heapBase + CONTROL_SIZE;
  const room = load<u32>(heapBase, TAIL_OFFSET) - MIN_BLOCK;
  const block = ptr - BLOCK_OVERHEAD;
  if (!(ptr & 7) && block - first <= room - first) {
    const header = load<u32>(block);
    const size = header & ~FLAG_BITS;
    if (size - MIN_BLOCK <= room - block) {
      const kind = header & (FREE | SENTINEL);
      if (kind === FREE) trap(DOUBLE_FREE);
      if (!(kind | (load<u32>(block + size) & PREV_FREE))) {
        if (!(header & PREV_FREE)) return size;
        // The back link of a free block that ends right here, after the first block's start.
        const left = load<u32>(block - 4);
        if (left - first < block - first) {
          const leftSize = load<u32>(left) - FREE;
          if (!((leftSize & FLAG_BITS) | (leftSize ^ (block - left)))) return size;
        }
      }
    }
  }
  trap(INVALID_POINTER);
  return 0;
}

/**
 * Grows the memory so that a free block of `blockSize` bytes exists, and adds the new memory to the heap: new memory
 * right after the heap extends its last block (or starts one at the old sentinel), and memory after someone else's
 * becomes a region of its own, its first block 4 bytes past the old end. Traps with OUT_OF_MEMORY, having changed
 * nothing, when the memory cannot grow that far.
 */
function grow(blockSize: u32): void {
  const start = memoryEnd();
  const tail = load<u32>(heapBase, TAIL_OFFSET);
  const sentinel = load<u32>(tail);
  // The free block the new memory will end, and the room it asks for: as much as the TypeScript build asks.
  let block = start + BLOCK_OVERHEAD;
  let room = blockSize + BLOCK_OVERHEAD;
  if (tail + BLOCK_OVERHEAD === start) {
    block = tail;
    room += 2 * BLOCK_OVERHEAD;
    if (sentinel & PREV_FREE) {
      block = load<u32>(tail - 4);
      room = blockSize + BLOCK_OVERHEAD;
    }
  }
  ensureMemory(block, room);
  if (block < tail) unlink(block, load<u32>(block) - FREE);
  if (block > tail) store<u32>(tail, (block - tail) | SENTINEL | (sentinel & PREV_FREE));
  const newTail = memoryEnd() - BLOCK_OVERHEAD;
  closeRegion(block, newTail, 0);
  store<u32>(heapBase, newTail, TAIL_OFFSET);
}

/** Makes `block` .. `sentinel` the free last block of a region, and `sentinel` its sentinel, of `gap` bytes. */
function closeRegion(block: u32, sentinel: u32, gap: u32): void {
  addFree(block, sentinel - block);
  store<u32>(sentinel, gap | SENTINEL | PREV_FREE);
}
