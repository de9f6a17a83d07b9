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
const OVERSIZED: u32 = 0x8000_0000;

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
  const tail = (memory.size() << 16) - BLOCK_OVERHEAD;
  store<u32>(first, tail - first);
  store<u32>(tail, SENTINEL);
  store<u32>(base, tail, TAIL_OFFSET);
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
}

export function allocate_memory(size: u32): u32 {
  return allocate_memory_aligned(size, 8);
}

/**
 * The block an unaligned request would get is tried first; failing that, a class with room for the largest gap
 * before an aligned pointer. The gap found becomes a free block of its own. With `align` 8 there is never a gap, and
 * this is a plain allocation.
 */
export function allocate_memory_aligned(size: u32, align: u32): u32 {
  requireSize(size);
  requireAlignment(align);
  const blockSize = blockSizeFor(size);
  let list = findList(blockSize);
  if (list >= 0) {
    const head = load<u32>(heapBase + (list << 2), HEADS_OFFSET);
    if (alignmentGap(head, align) + blockSize > load<u32>(head) - FREE) list = -1;
  }
  if (list < 0) {
    // Every block of this class has room for the largest gap, align + 8.
    const searchSize = align > 8 ? roundUpToClass(blockSize + align + 8) : blockSize;
    list = findList(searchSize);
    if (list < 0) {
      grow(searchSize);
      list = findList(searchSize);
    }
  }
  let block = takeFirst(list);
  let freeSize = load<u32>(block) - FREE;
  const gap = alignmentGap(block, align);
  let flags: u32 = 0;
  if (gap) {
    addFree(block, gap);
    block += gap;
    freeSize -= gap;
    flags = PREV_FREE;
  }
  occupy(block, freeSize, blockSize, flags);
  return block + BLOCK_OVERHEAD;
}

export function reallocate_memory(ptr: u32, size: u32): u32 {
  if (!ptr) return allocate_memory(size);
  requireSize(size);
  const blockSize = usedBlockSize(ptr);
  const block = ptr - BLOCK_OVERHEAD;
  const flags = load<u32>(block) & PREV_FREE;
  const wanted = blockSizeFor(size);
  if (wanted <= blockSize) {
    if (blockSize - wanted >= MIN_BLOCK) {
      // The cut-off end is freed like a block of its own, merging with a free right neighbour.
      store<u32>(block, wanted | flags);
      store<u32>(block + wanted, blockSize - wanted);
      release(block + wanted, blockSize - wanted);
    }
    return ptr;
  }
  const next = block + blockSize;
  const nextSize = load<u32>(next) - FREE;
  // A free neighbour's header has no bit but F, so only then is nextSize a multiple of 8.
  if (!(nextSize & FLAG_BITS) && blockSize + nextSize >= wanted) {
    unlink(next, nextSize);
    occupy(block, blockSize + nextSize, wanted, flags);
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
      let sentinel = size | SENTINEL;
      if (block > start) {
        addFree(start, block - start);
        sentinel |= PREV_FREE;
      }
      store<u32>(block, sentinel);
      start = block + size;
    } else {
      store<u32>(block, header | FREE);
    }
    block += size;
  } while (size);
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

/** The list of free blocks of `size` bytes: 16 f + s. */
function listOf(size: u32): u32 {
  if (size >= OVERSIZED) return LAST_LIST;
  const power = 31 - clz(size | LINEAR_LIMIT);
  return ((power - 7) << SL_BITS) + (size >>> (power - SL_BITS));
}

/** The bytes from `block` to the first block after it whose pointer is a multiple of `align`: 0, or at least 16. */
function alignmentGap(block: u32, align: u32): u32 {
  const gap = -(block + BLOCK_OVERHEAD) & (align - 1);
  return gap == 8 ? gap + align : gap;
}

/**
 * The smallest non-empty list whose blocks all hold `blockSize` bytes, or -1: a list of the same first level, or the
 * first list of the next non-empty first level, chosen by `select` rather than a branch.
 */
function findList(blockSize: u32): i32 {
  const list = listOf(blockSize);
  const firstLevel = list >> SL_BITS;
  const sameLevel = load<u32>(heapBase + (firstLevel << 2), SL_MAPS_OFFSET) & (-1 << (list & 15));
  const levelsAbove = load<u32>(heapBase, FL_MAP_OFFSET) & (-2 << firstLevel);
  if (!(sameLevel | levelsAbove)) return -1;
  const level = select(firstLevel, ctz(levelsAbove), sameLevel);
  const slMap = select(sameLevel, load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET), sameLevel);
  return ((level << SL_BITS) + ctz(slMap)) as i32;
}

/** Takes the first block off a non-empty list and returns it. */
function takeFirst(list: u32): u32 {
  const headAt = heapBase + (list << 2);
  const block = load<u32>(headAt, HEADS_OFFSET);
  const next = load<u32>(block, 4);
  store<u32>(headAt, next, HEADS_OFFSET);
  if (next) store<u32>(next, 0, 8);
  else markEmpty(list);
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
  if (head) {
    store<u32>(head, block, 8);
  } else {
    const slMapAt = heapBase + ((list >> SL_BITS) << 2);
    store<u32>(slMapAt, load<u32>(slMapAt, SL_MAPS_OFFSET) | (1 << (list & 15)), SL_MAPS_OFFSET);
    store<u32>(heapBase, load<u32>(heapBase, FL_MAP_OFFSET) | (1 << (list >> SL_BITS)), FL_MAP_OFFSET);
  }
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
    if (!next) markEmpty(list);
  }
}

/** Clears the bitmap bits of a list that has just become empty. */
function markEmpty(list: u32): void {
  const firstLevel = list >> SL_BITS;
  const slMapAt = heapBase + (firstLevel << 2);
  const slMap = load<u32>(slMapAt, SL_MAPS_OFFSET) & ~(1 << (list & 15));
  store<u32>(slMapAt, slMap, SL_MAPS_OFFSET);
  if (!slMap) store<u32>(heapBase, load<u32>(heapBase, FL_MAP_OFFSET) & ~(1 << firstLevel), FL_MAP_OFFSET);
}

/**
 * Makes the unlisted span of `size` bytes at `block`, whose right neighbour is marked as following a free block, a
 * used block of `wanted` bytes, freeing the rest when it can stand as a block. `flags` is the new header's P bit.
 */
function occupy(block: u32, size: u32, wanted: u32, flags: u32): void {
  const rest = size - wanted;
  if (rest >= MIN_BLOCK) {
    store<u32>(block, wanted | flags);
    addFree(block + wanted, rest);
  } else {
    store<u32>(block, size | flags);
    store<u32>(block + size, load<u32>(block + size) & ~PREV_FREE);
  }
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
 * DOUBLE_FREE for a free block's header, otherwise. Sums are written as differences, which cannot wrap around, and
 * nothing is loaded before it is known to lie inside the heap.
 */
function usedBlockSize(ptr: u32): u32 {
  const first = heapBase + CONTROL_SIZE;
  const tail = load<u32>(heapBase, TAIL_OFFSET);
  if ((ptr & 7) | (ptr <= first) | (ptr > tail)) trap(INVALID_POINTER);
  const block = ptr - BLOCK_OVERHEAD;
  const header = load<u32>(block);
  const size = header & ~FLAG_BITS;
  const fits = (size >= MIN_BLOCK) & (size <= tail - block);
  if ((header & (FREE | SENTINEL)) | !fits) {
    trap(INVALID_POINTER + <u32>(fits & ((header & (FREE | SENTINEL)) == FREE)));
  }
  if (load<u32>(block + size) & PREV_FREE) trap(INVALID_POINTER);
  if (header & PREV_FREE) {
    // A free block that ends right here: at least the first block, before this one.
    const left = load<u32>(block - 4);
    if (left - first >= block - first) trap(INVALID_POINTER);
    const leftHeader = load<u32>(left);
    if (((leftHeader & FLAG_BITS) != FREE) | (left + leftHeader - FREE != block)) trap(INVALID_POINTER);
  }
  return size;
}

/**
 * Grows the memory so that a free block of `blockSize` bytes exists, and adds the new memory to the heap: extending
 * the last region when the new memory follows it, or else as a region of its own. Traps with OUT_OF_MEMORY, having
 * changed nothing, when the memory cannot grow that far.
 */
function grow(blockSize: u32): void {
  const start = memory.size() << 16;
  const tail = load<u32>(heapBase, TAIL_OFFSET);
  const sentinel = load<u32>(tail);
  const adjoins = tail + BLOCK_OVERHEAD == start;
  // New memory right after a free last block extends it; otherwise it needs a header, and a sentinel after.
  if (adjoins && sentinel & PREV_FREE) ensureMemory(load<u32>(tail - 4), blockSize + BLOCK_OVERHEAD);
  else ensureMemory(start, blockSize + 2 * BLOCK_OVERHEAD);
  const newTail = (memory.size() << 16) - BLOCK_OVERHEAD;
  let block = tail;
  if (adjoins) {
    if (sentinel & PREV_FREE) {
      block = load<u32>(tail - 4);
      unlink(block, load<u32>(block) - FREE);
    }
  } else {
    block = start + BLOCK_OVERHEAD;
    store<u32>(tail, (block - tail) | SENTINEL | (sentinel & PREV_FREE));
  }
  addFree(block, newTail - block);
  store<u32>(newTail, SENTINEL | PREV_FREE);
  store<u32>(heapBase, newTail, TAIL_OFFSET);
}
