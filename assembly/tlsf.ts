/**
 * TLSF as a WebAssembly module: the twin of src/allocator/tlsf.ts. It keeps its heap in the same format, drawn and
 * explained at the top of that file (control structure, size classes, block headers, list links, back links, regions
 * and their sentinels), and given the same memory, heap base and calls, it returns the same pointers, grows the memory
 * alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports the C allocation family, which returns 0
 * when it refuses, and the original family, which traps (see docs/linking.md):
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
  VICTIM_OFFSET,
} from "./generated/tlsf";
import { ensureMemory } from "./shared/growth";
import { ALIGNMENT, callocBytes, isAlignment, MAX_ALLOCATION } from "./shared/size";
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

/** A block of `size` bytes, taken as the format says (src/allocator/tlsf.ts), or 0 when the memory cannot grow. */
export function malloc(size: u32): u32 {
  const blockSize = blockSizeOf(size);
  return blockSize ? allocateBlock(blockSize) : 0;
}

/**
 * The pointer to a used block of `blockSize` bytes: the head of its own class when that is large enough, else carved
 * from the victim, else split off the smallest non-empty class above; when none will do, the block that growing the
 * memory makes. 0 when it cannot grow.
 */
function allocateBlock(blockSize: u32): u32 {
  const list = listOf(blockSize);
  let block = load<u32>(heapBase + (list << 2), HEADS_OFFSET);
  // What a block of the request's own class does not need goes back to a list; of any other, it is offered as the
  // victim.
  const ownClass = block && load<u32>(block) - FREE >= blockSize;
  if (!ownClass) {
    block = load<u32>(heapBase, VICTIM_OFFSET);
    if (!block || load<u32>(block) - FREE < blockSize) {
      // A block grown into is the only one above the request's class, which the search would find.
      block = firstAbove(list + 1) || grow(blockSize);
      if (!block) return 0;
    }
  }
  detach(block);
  occupy(block, load<u32>(block) - FREE, blockSize, !ownClass);
  return block + BLOCK_OVERHEAD;
}

/**
 * Takes the free block at `block` out of its list, or out of its place as the victim. True when it was the victim.
 */
function detach(block: u32): bool {
  const wasVictim = block === load<u32>(heapBase, VICTIM_OFFSET);
  if (wasVictim) store<u32>(heapBase, 0, VICTIM_OFFSET);
  else unlink(block);
  return wasVictim;
}

/**
 * The block a request of `size` bytes gets: its size and header, rounded up to a multiple of 8, at least 16; or 0,
 * the request refused with INVALID_SIZE, above 1 GiB.
 */
function blockSizeOf(size: u32): u32 {
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  return (max(size, MIN_BLOCK - BLOCK_OVERHEAD) + BLOCK_OVERHEAD + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
}

export function calloc(count: u32, size: u32): u32 {
  const total = callocBytes(count, size);
  const ptr = malloc(total);
  if (ptr) memory.fill(ptr, 0, total);
  return ptr;
}

/** C11's argument order. */
export function aligned_alloc(align: u32, size: u32): u32 {
  return allocateAligned(size, align);
}

/**
 * A block whose pointer is a multiple of `align`: a block with room for the largest gap before an aligned pointer,
 * align + 8, whose gap before the aligned block is freed, and what it does not need after it freed by resizing it in
 * place.
 */
function allocateAligned(size: u32, align: u32): u32 {
  const blockSize = blockSizeOf(size);
  if (!blockSize) return 0;
  if (!isAlignment(align)) return trap.refuse(trap.INVALID_ALIGNMENT);
  // Up to 8, every block is aligned.
  if (align <= ALIGNMENT) return allocateBlock(blockSize);
  let ptr = allocateBlock(blockSize + align + ALIGNMENT);
  if (!ptr) return 0;
  const gap = alignmentGap(ptr, align);
  if (gap) {
    const block = ptr - BLOCK_OVERHEAD;
    const total = load<u32>(block);
    addFree(block, gap, false);
    ptr += gap;
    store<u32>(ptr - BLOCK_OVERHEAD, (total - gap) | PREV_FREE);
  }
  return realloc(ptr, size);
}

/**
 * The bytes from `ptr` to the first pointer after it that is a multiple of `align`, at least 16 unless 0: the gap
 * becomes a free block of its own, and a block has at least 16 bytes.
 */
function alignmentGap(ptr: u32, align: u32): u32 {
  const gap = -ptr & (align - 1);
  return gap === ALIGNMENT ? gap + align : gap;
}

/**
 * Makes the unlisted span of `size` bytes at `block` a used block of `wanted` bytes, freeing the rest when it can stand
 * as a block, to its list or, when `restAsVictim`, as the victim; else the block after loses its P bit. The header
 * keeps its P bit: a used block's tells of its left neighbour, and a free block's is clear.
 */
function occupy(block: u32, size: u32, wanted: u32, restAsVictim: bool): void {
  const flags = load<u32>(block) & PREV_FREE;
  const rest = size - wanted;
  if (rest >= MIN_BLOCK) {
    addFree(block + wanted, rest, restAsVictim);
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
  const wanted = blockSizeOf(size);
  if (!wanted) return 0;
  const blockSize = usedBlockSize(ptr);
  const block = ptr - BLOCK_OVERHEAD;
  const next = block + blockSize;
  const nextHeader = load<u32>(next);
  const nextSize = select(nextHeader - FREE, 0, nextHeader & FREE);
  if (blockSize + nextSize >= wanted) {
    if (nextSize) detach(next);
    occupy(block, blockSize + nextSize, wanted, false);
    return ptr;
  }
  // Moving: allocating first leaves the old block as it is when no block can be had. The move is to a larger block, so
  // the old one's bytes all go.
  const moved = malloc(size);
  if (moved) {
    memory.copy(moved, ptr, blockSize - BLOCK_OVERHEAD);
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
      addFree(start, block - start, false);
      start = block + size;
    }
    block += size;
  } while (size);
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
 * The first block of the smallest non-empty list from `list` up, whose blocks all hold the block sizes of `list`, or
 * 0: a list of the same first level, or else the first list of the next non-empty first level.
 */
function firstAbove(list: u32): u32 {
  let level = list >> SL_BITS;
  let slMap = load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET) & ((<u32>-1) << (list & SL_MASK));
  if (!slMap) {
    const levelsAbove = load<u32>(heapBase, FL_MAP_OFFSET) & (-2 << level);
    if (!levelsAbove) return 0;
    level = ctz(levelsAbove);
    slMap = load<u32>(heapBase + (level << 2), SL_MAPS_OFFSET);
  }
  return load<u32>(heapBase + (((level << SL_BITS) + ctz(slMap)) << 2), HEADS_OFFSET);
}

/**
 * Makes the unlisted span of `size` bytes at `block`, whose left neighbour is used, a free block, marks the block after
 * it as following a free block, and puts it at the head of its list; or, when `asVictim`, makes it the victim, the old
 * one going to its list. But the end of a region always goes to its list, as it is carved from in order anyway, and as
 * the victim would take requests that a hole further down could hold.
 */
function addFree(block: u32, size: u32, asVictim: bool): void {
  store<u32>(block, size | FREE);
  store<u32>(block + size - BACK_LINK_SIZE, block);
  store<u32>(block + size, load<u32>(block + size) | PREV_FREE);
  if (asVictim && !(load<u32>(block + size) & SENTINEL)) {
    const victim = load<u32>(heapBase, VICTIM_OFFSET);
    store<u32>(heapBase, block, VICTIM_OFFSET);
    if (!victim) return;
    block = victim;
    size = load<u32>(victim) - FREE;
  }
  const head = setHead(listOf(size), block);
  // The links: the old head next, and no previous block.
  store<u64>(block, <u64>head, NEXT_OFFSET);
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

/**
 * Frees the used block at `block`, of `size` bytes, merging it with its free neighbours; the merged block is the victim
 * if one of them was, unless it ends a region, and goes to its list otherwise.
 */
function release(block: u32, size: u32): void {
  const header = load<u32>(block);
  const next = block + size;
  const nextHeader = load<u32>(next);
  let merged = false;
  if (nextHeader & FREE) {
    merged = detach(next);
    size += nextHeader - FREE;
  }
  if (header & PREV_FREE) {
    // The F bit stays in the merged block's old header, so that a second free of it is still caught.
    store<u32>(block, header | FREE);
    const left = load<u32>(block - BACK_LINK_SIZE);
    size += load<u32>(left) - FREE;
    merged |= detach(left);
    block = left;
  }
  addFree(block, size, merged);
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
        trap.Trap.with(trap.DOUBLE_FREE);
      }
      if (!(kind | (load<u32>(block + size) & PREV_FREE))) {
        if (!(header & PREV_FREE)) return size;
        // The back link of a free block that ends right here, after the first block's start. A link outside that
        // range reads this block's own header instead, which has P and so fails the test below.
        const left = load<u32>(block - BACK_LINK_SIZE);
        // A free block's header is its size with the F bit alone.
        if (load<u32>(select(left, block, left - first < block - first)) === block - left + FREE) return size;
      }
    }
  }
  trap.Trap.with(trap.INVALID_POINTER);
  return 0;
}

/**
 * Grows the memory so that a free block of `blockSize` bytes exists, and adds the new memory to the heap: new memory
 * right after the heap extends its last block (or starts one at the old sentinel), and memory after someone else's
 * becomes a region of its own, its first block 4 bytes past the old end. Refuses with OUT_OF_MEMORY and returns 0,
 * having changed nothing, when the memory cannot grow that far.
 *
 * Returns the new free block, listed and non-zero: the block the TypeScript build's search after growth finds.
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
  if (block < tail) detach(block);
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
  addFree(block, tail - block, false);
  store<u32>(tail, SENTINEL | PREV_FREE);
  store<u32>(heapBase, tail, TAIL_OFFSET);
}
