/**
 * The buddy allocator as a WebAssembly module: the twin of src/allocator/buddy.ts. It keeps its heap in the same
 * format, drawn and explained at the top of that file, and given the same memory, heap base and calls, it returns the
 * same pointers, grows the memory alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports the C allocation family, which returns 0
 * when it refuses, and the original family, which traps (see docs/linking.md):
 *
 *   init(heapBase), attach(heapBase)      lay out an empty buddy heap at heapBase, or work on the one there
 *   malloc, calloc, aligned_alloc         a block of the smallest power of two from 16 bytes that holds the request,
 *                                         aligned to its size up to 64 KiB; 0 if refused
 *   realloc                               in place when smaller or when the right buddies are free, else moved
 *   free                                  frees a block; a block already free traps with DOUBLE_FREE and any other
 *                                         pointer it never handed out with INVALID_POINTER, both changing nothing
 *   malloc_usable_size                    the bytes a block holds: its power of two
 *   allocate_memory, allocate_memory_aligned, reallocate_memory, free_memory, reset_memory, trap_code
 *
 * Checks, statistics and walks are left to the TypeScript build, which reads the same bytes.
 *
 * The code is shaped by its size budget, 2,048 B for both families: what the C family shares with the original is one
 * function, called by both (orderOf checks a pointer for free, realloc and malloc_usable_size; take finds and splits a
 * block for malloc and aligned_alloc), although V8 in Node 20 does not inline one WebAssembly function into another
 * and each call costs a few nanoseconds. The rare work goes through free rather than functions of its own: the right
 * halves of a split block, the free blocks of a new or grown tree and the bitmap's old block go on their lists by being
 * freed.
 */
import {
  BITMAP_BELOW_ROOT,
  BITMAP_OFFSET,
  BUDDY_MAGIC,
  BUDDY_STATE_SIZE,
  FREE_MASK_OFFSET,
  HEADS_OFFSET,
  MAX_BLOCK_ORDER,
  MAX_ROOT_ORDER,
  MIN_BLOCK_BITS,
  MIN_BLOCK_SIZE,
  NEXT_OFFSET,
  NODE_UNIT_BITS,
  PREV_OFFSET,
  ROOT_ORDER_OFFSET,
  TREE_ALIGNMENT,
} from "./generated/buddy";
import { ensureMemory } from "./shared/growth";
import { callocBytes, isAlignment } from "./shared/size";
import * as trap from "./shared/trap";

export { trap_code } from "./shared/trap";

/** The heap this instance works on. */
let heapBase: u32 = 0;
/** T: where the tree begins, heapBase rounded down to 64 KiB. */
let treeBase: u32 = 0;
/** `start`, the first block, as an offset from T: heapBase + BUDDY_STATE_SIZE rounded up to 16. */
let startOffset: u32 = 0;
/**
 * Where `layOut` may begin to lay out free blocks: `start` in a new tree, the end of the old tree in a grown one, the
 * end of the part kept in a block being split.
 */
let laidOut: u32 = 0;

export function init(base: u32): void {
  attach(base);
  // Growing the memory comes first, so the header is written last.
  if (!plantFirstTree()) unreachable();
  // The magic, and the lock word after it released.
  store<u64>(base, BUDDY_MAGIC);
}

export function attach(base: u32): void {
  heapBase = base;
  treeBase = base & ~(TREE_ALIGNMENT - 1);
  // From the offset in its 64 KiB, so that a heap base too close to 2^32 for a heap gives a tree that does not fit,
  // rather than one that wraps around.
  startOffset = (base - treeBase + BUDDY_STATE_SIZE + MIN_BLOCK_SIZE - 1) & ~(MIN_BLOCK_SIZE - 1);
}

/** The order of the smallest block that holds `size` bytes; above MAX_BLOCK_ORDER for a size above 1 GiB. */
function orderFor(size: u32): u32 {
  return size <= MIN_BLOCK_SIZE ? 0 : 32 - MIN_BLOCK_BITS - clz(size - 1);
}

/** A block of the smallest order that holds `size` bytes, or 0 when refused. */
export function malloc(size: u32): u32 {
  const order = orderFor(size);
  if (order > MAX_BLOCK_ORDER) return trap.refuse(trap.INVALID_SIZE);
  return take(order, order);
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
 * A block of `size` bytes whose pointer is a multiple of `align`. A block of order k is aligned to 16 << k, so the block
 * is the first of its order in a free block of the alignment's order at least.
 */
function allocateAligned(size: u32, align: u32): u32 {
  const order = orderFor(size);
  if (order > MAX_BLOCK_ORDER) return trap.refuse(trap.INVALID_SIZE);
  if (!isAlignment(align)) return trap.refuse(trap.INVALID_ALIGNMENT);
  return take(order, max(order, <u32>max(<i32>(31 - MIN_BLOCK_BITS) - <i32>clz(align), 0)));
}

/**
 * Takes the first block of the smallest order from `wanted` up that has a free block, growing the tree once when none
 * has, and splits it down to `order`: a block of `order` at the start of a block of `wanted` at least. 0 when refused.
 */
function take(order: u32, wanted: u32): u32 {
  if (!(load<u32>(heapBase, FREE_MASK_OFFSET) >>> wanted) && !growFor(wanted)) return 0;
  const from = ctz(load<u32>(heapBase, FREE_MASK_OFFSET) >>> wanted) + wanted;
  // The first block of that order leaves its list, whose next block, if any, becomes the first.
  const head = heapBase + (from << 2);
  const block = load<u32>(head, HEADS_OFFSET);
  const next = load<u32>(block, NEXT_OFFSET);
  store<u32>(head, next, HEADS_OFFSET);
  if (next) store<u32>(next, 0, PREV_OFFSET);
  else store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) ^ (1 << from), FREE_MASK_OFFSET);
  setBit(block, from);
  splitDown(block, from, order);
  return block;
}

/**
 * Splits the used block at `block` from order `from` down to `to`, freeing the right half at each order: it is laid
 * out like a tree whose first block is kept.
 */
function splitDown(block: u32, from: u32, to: u32): void {
  if (from !== to) {
    laidOut = block + (MIN_BLOCK_SIZE << to);
    layOut(block, from);
  }
}

/**
 * Resizes a block as the TypeScript build does: a smaller block frees its upper halves, a larger one merges with free
 * right buddies when they all are, and otherwise the block moves, its bytes copied and the old block freed.
 */
export function realloc(ptr: u32, size: u32): u32 {
  if (!ptr) return malloc(size);
  const wanted = orderFor(size);
  if (wanted > MAX_BLOCK_ORDER) return trap.refuse(trap.INVALID_SIZE);
  const order = orderOf(ptr);
  if (wanted <= order) {
    splitDown(ptr, order, wanted);
    return ptr;
  }
  // In place when the block is a left half at every order up to the one wanted, and each right half is a free block.
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  const offset = ptr - treeBase;
  const leaf = offset >>> NODE_UNIT_BITS;
  let level = order;
  while (level < wanted && !((offset >>> (level + MIN_BLOCK_BITS)) & 1)) {
    const buddy = leaf + (1 << level) - 1 + (2 << level);
    if ((load<u32>(bitmap + ((buddy >>> 5) << 2)) >>> buddy) & 1) break;
    level++;
  }
  if (level === wanted) {
    for (level = order; level < wanted; level++) {
      unlink(ptr + (MIN_BLOCK_SIZE << level), level);
      // The node leaves the tree; its parent, split until now, becomes the used block.
      const node = leaf + (1 << level) - 1;
      const word = bitmap + ((node >>> 5) << 2);
      store<u32>(word, load<u32>(word) & ~(1 << node));
    }
    return ptr;
  }
  // Allocating first leaves the old block as it is when no block can be had.
  const moved = malloc(size);
  if (moved) {
    memory.copy(moved, ptr, MIN_BLOCK_SIZE << order);
    release(ptr, order);
  }
  return moved;
}

export function malloc_usable_size(ptr: u32): u32 {
  return ptr ? MIN_BLOCK_SIZE << orderOf(ptr) : 0;
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
 * The order of the live block at `ptr`, after the checks of the TypeScript build. Traps with DOUBLE_FREE for a block
 * already free and INVALID_POINTER for any other pointer that is not a block's, both changing nothing.
 */
function orderOf(ptr: u32): u32 {
  const offset = ptr - treeBase;
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  // Below `start`, not a multiple of 16 or past the tree (so is a pointer below T, whose offset wraps around), or the
  // bitmap's own block. Rotated, the offset of a multiple of 16 inside the tree is its number of 16-byte units, below
  // 2^rootOrder; any other offset has a bit set from bit 28 up, or below it but past the tree.
  if (
    (offset < startOffset) |
    (rotr(offset, MIN_BLOCK_BITS) >>> load<u32>(heapBase, ROOT_ORDER_OFFSET)) |
    (ptr === bitmap)
  ) {
    trap.Trap.with(trap.INVALID_POINTER);
  }
  // Below a block every bit is 0, so the block at ptr, if there is one, is the smallest node that starts at ptr and
  // has its bit set. The node of order k starts at ptr when bit k + 3 of the offset is clear, and the bits below it.
  let order: u32 = 0;
  let node = offset >>> NODE_UNIT_BITS;
  while (!(offset & ((1 << NODE_UNIT_BITS) << order)) && !((load<u32>(bitmap + ((node >>> 5) << 2)) >>> node) & 1)) {
    node += 1 << order;
    order++;
  }
  // Only a node in the tree has its bit set, and then so has its parent. The node found is a used block unless its
  // right child, `node + 2^(order-1)`, has its bit set: then the left child, at ptr, is a free block. Without a node
  // found (`past`), the largest node at ptr, of order - 1, is a right child with its bit clear, and a free block when
  // its left sibling, `node - 3 * 2^(order-1)`, has its bit set. Either bit set means a block already free.
  const past = offset & ((1 << NODE_UNIT_BITS) << order);
  let alreadyFree: u32 = 0;
  if (order) {
    const other = node + ((past ? -3 : 1) << (order - 1));
    alreadyFree = (load<u32>(bitmap + ((other >>> 5) << 2)) >>> other) & 1;
  }
  if (past | alreadyFree) {
    // DOUBLE_FREE is INVALID_POINTER + 1.
    trap.Trap.with(trap.INVALID_POINTER + alreadyFree);
  }
  return order;
}

/** Frees the block at `ptr`, after the checks of orderOf. */
export function free(ptr: u32): void {
  if (ptr) release(ptr, orderOf(ptr));
}

/** Frees the used block at `ptr` of `order`, merging it with its buddy as long as the buddy is free. */
function release(ptr: u32, order: u32): void {
  let offset = ptr - treeBase;
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  let node = (offset >>> NODE_UNIT_BITS) + (1 << order) - 1;
  // The block is free: it merges with its buddy as long as the buddy is free, and their parent, split until then,
  // becomes the free block. The bitmap is a used block, so merging stops below the root. A node of order k numbers
  // its first leaf, a multiple of 2^(k+1), plus 2^k - 1: its buddy differs from it in bit k + 1 only, and its parent
  // has bit k + 1 clear and bit k set.
  while (true) {
    const word = bitmap + ((node >>> 5) << 2);
    store<u32>(word, load<u32>(word) ^ (1 << node));
    const buddy = node ^ (2 << order);
    if ((load<u32>(bitmap + ((buddy >>> 5) << 2)) >>> buddy) & 1) break;
    const size: u32 = MIN_BLOCK_SIZE << order;
    // The buddy leaves its list.
    unlink(treeBase + (offset ^ size), order);
    node = (node & buddy) | (1 << order);
    offset &= ~size;
    order++;
  }
  // The free block goes first on its list.
  const free = treeBase + offset;
  const head = heapBase + (order << 2);
  const next = load<u32>(head, HEADS_OFFSET);
  // The next link, and a previous link of 0, in one store.
  store<u64>(free, next, NEXT_OFFSET);
  if (next) store<u32>(next, free, PREV_OFFSET);
  store<u32>(head, free, HEADS_OFFSET);
  store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) | (1 << order), FREE_MASK_OFFSET);
}

/** Takes the free block at `block` of `order` out of its list. */
function unlink(block: u32, order: u32): void {
  const next = load<u32>(block, NEXT_OFFSET);
  const prev = load<u32>(block, PREV_OFFSET);
  store<u32>(prev ? prev + NEXT_OFFSET : heapBase + (order << 2) + HEADS_OFFSET, next);
  if (next) store<u32>(next, prev, PREV_OFFSET);
  if (!(prev | next)) {
    store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) ^ (1 << order), FREE_MASK_OFFSET);
  }
}

export function reset_memory(): void {
  plantFirstTree();
}

/** Lays out a new heap's tree: its memory is there already unless the heap is new. False when it cannot grow. */
function plantFirstTree(): bool {
  // The smallest tree that holds the state and the bitmap. The bitmap of a tree of order r is a block of
  // b = 16 << (r - 6) bytes, the first from `start`, and the tree holds it when start - T <= 63 b: so b is the smallest
  // power of two from 16 that is at least (start - T) / 63, which is the smallest power of two above
  // x = ((start - T - 1) / 63) | 15, 2^(32 - clz(x)), and r = 32 - clz(x) - 4 + 6. No old bits to copy: 0 bytes, from
  // any address in memory.
  const belowBitmapSize = ((startOffset - 1) / ((1 << BITMAP_BELOW_ROOT) - 1)) | (MIN_BLOCK_SIZE - 1);
  return plant(32 - clz(belowBitmapSize) - MIN_BLOCK_BITS + BITMAP_BELOW_ROOT, heapBase, 0, startOffset);
}

/** Sets the bit of the node of `order` at `block`. */
function setBit(block: u32, order: u32): void {
  const node = ((block - treeBase) >>> NODE_UNIT_BITS) + (1 << order) - 1;
  const word = load<u32>(heapBase, BITMAP_OFFSET) + ((node >>> 5) << 2);
  store<u32>(word, load<u32>(word) | (1 << node));
}

/**
 * Doubles the tree, as often as it takes in one step, until it has a free block of order `wanted`. The memory grows
 * first, so running out of it changes nothing. The bitmap moves to the lowest block of its new order in the new part
 * of the tree, unless that is the block needed; its old block is then freed like any other.
 */
function growFor(wanted: u32): bool {
  const rootOrder = load<u32>(heapBase, ROOT_ORDER_OFFSET);
  // One doubling adds free blocks up to order rootOrder - 1. A larger block takes the right half of a tree twice its
  // size, unless that half is a block of the old tree's size, where the bitmap moves: then the tree doubles once more.
  const newRootOrder = max(rootOrder, wanted + <u32>(wanted === rootOrder)) + 1;
  if (newRootOrder > MAX_ROOT_ORDER) return <bool>trap.refuse(trap.OUT_OF_MEMORY);
  const oldBitmap = load<u32>(heapBase, BITMAP_OFFSET);
  if (!plant(newRootOrder, oldBitmap, MIN_BLOCK_SIZE << (rootOrder - BITMAP_BELOW_ROOT), MIN_BLOCK_SIZE << rootOrder)) {
    return false;
  }
  free(oldBitmap);
  return true;
}

/**
 * Makes the tree of `rootOrder` whose first `kept` bytes are taken: by the state and the blocks below `start` in a new
 * tree, by the old tree in a grown one. The memory grows to hold the tree first (a heap's memory holds its first tree
 * already, unless the heap is new). Its bitmap is the first block of its size from there. Node numbers do not change
 * as the tree grows, so the old tree's bits, `oldSize` bytes at `oldBitmap`, begin the new bitmap.
 */
function plant(rootOrder: u32, oldBitmap: u32, oldSize: u32, kept: u32): bool {
  if (!ensureMemory(treeBase, MIN_BLOCK_SIZE << rootOrder)) return false;
  // A new tree, with no old bits, begins with no free blocks: the free mask and every list head are 0.
  memory.fill(heapBase + FREE_MASK_OFFSET, 0, oldSize ? 0 : BUDDY_STATE_SIZE - FREE_MASK_OFFSET);
  const bitmapSize: u32 = MIN_BLOCK_SIZE << (rootOrder - BITMAP_BELOW_ROOT);
  const bitmap = treeBase + ((kept + bitmapSize - 1) & -bitmapSize);
  memory.fill(bitmap, 0, bitmapSize);
  memory.copy(bitmap, oldBitmap, oldSize);
  store<u32>(heapBase, rootOrder, ROOT_ORDER_OFFSET);
  store<u32>(heapBase, bitmap, BITMAP_OFFSET);
  laidOut = treeBase + kept;
  setBit(treeBase, rootOrder);
  layOut(treeBase, rootOrder);
  return true;
}

/**
 * Builds the node at `block` of `order`, whose bit is set, and the nodes below it. Nodes wholly below `laidOut` and the
 * bitmap's node are used blocks (in a grown tree, the one such node is the old tree: split, and left as it is); nodes
 * clear of both are free blocks, which are freed; the rest are split. The bits of new nodes are 0 to begin with. A
 * split node sets the bits of both its halves before building them, so that a free half finds its buddy used and is
 * not merged with it. Right halves go on the free lists first, so each list starts at its lowest block.
 */
function layOut(block: u32, order: u32): void {
  const size: u32 = MIN_BLOCK_SIZE << order;
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  // No node inside the bitmap is visited, so a node that does not hold the bitmap's first byte is clear of it.
  if ((block >= laidOut) & (bitmap - block >= size)) {
    free(block);
    return;
  }
  const isBitmap = (block === bitmap) & (order + BITMAP_BELOW_ROOT === load<u32>(heapBase, ROOT_ORDER_OFFSET));
  if ((block + size <= laidOut) | isBitmap) return;
  const right = block + size / 2;
  order--;
  setBit(block, order);
  setBit(right, order);
  layOut(right, order);
  layOut(block, order);
}
