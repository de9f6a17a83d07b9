/**
 * The buddy allocator as a WebAssembly module: the twin of src/allocator/buddy.ts. It keeps its heap in the same
 * format, drawn and explained at the top of that file, and given the same memory, heap base and calls, it returns the
 * same pointers, grows the memory alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports:
 *
 *   init(heapBase)                              lays out an empty buddy heap at heapBase (a multiple of 8)
 *   attach(heapBase)                            works on the buddy heap already at heapBase, changing nothing
 *   allocate_memory(size) -> ptr                a block of the smallest power of two from 16 that holds `size` bytes
 *   allocate_memory_aligned(size, align) -> ptr the same, aligned to `align` too (a power of two from 8 to 65536)
 *   reallocate_memory(ptr, size) -> ptr         resizes a block in place when it can, else moves it
 *   free_memory(ptr)                            frees a block; a free block traps with DOUBLE_FREE, and any other
 *                                               pointer it never handed out with INVALID_POINTER
 *   reset_memory()                              frees every block, the tree back to its first size
 *   trap_code                                   a global: why the last refused call trapped (see shared/trap.ts)
 *
 * The TypeScript build's checks, statistics and walks read the same bytes, so the module leaves them to it.
 */
import { ensureMemory } from "./shared/growth";
import { requireAlignment, requireSize } from "./shared/size";
import { DOUBLE_FREE, INVALID_POINTER, OUT_OF_MEMORY, trap } from "./shared/trap";

export { trap_code } from "./shared/trap";

/** "BDY1" in little-endian bytes, with the lock word after it released: the first 8 bytes of every buddy heap. */
const BUDDY_HEADER: u64 = 0x31594442;
const ROOT_ORDER_OFFSET = 8;
const BITMAP_OFFSET = 12;
const FREE_MASK_OFFSET = 16;
const HEADS_OFFSET = 20;
/** Bytes of state at heapBase: the header, then the root order, the bitmap, the free mask and 27 list heads. */
const STATE_SIZE: u32 = 128;
/** The order of the largest tree: 2 GiB. */
const MAX_ROOT_ORDER: u32 = 27;
/** The bitmap, a 64th of the tree, is a block this many orders below the root. */
const BITMAP_BELOW_ROOT: u32 = 6;

/** The heap this instance works on. */
let heapBase: u32 = 0;
/** T: where the tree begins, heapBase rounded down to 64 KiB. */
let treeBase: u32 = 0;
/** The first byte a block may hold: heapBase + STATE_SIZE rounded up to 16. */
let start: u32 = 0;

export function init(base: u32): void {
  attach(base);
  ensureMemory(treeBase, firstTree() << BITMAP_BELOW_ROOT);
  store<u64>(base, BUDDY_HEADER);
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
  treeBase = base & ~0xffff;
  // From the offset in its 64 KiB, so that a heap base too close to 2^32 for a heap still gives a tree that does not
  // fit, rather than one that wraps around.
  start = treeBase + ((base - treeBase + STATE_SIZE + 15) & ~15);
}

export function allocate_memory(size: u32): u32 {
  return allocate_memory_aligned(size, 8);
}

export function allocate_memory_aligned(size: u32, align: u32): u32 {
  requireSize(size);
  requireAlignment(align);
  const order = orderFor(size);
  // A block of order k is aligned to 16 << k, so a larger alignment is a larger block to split from.
  const wanted = max(order, orderFor(align));
  let available = load<u32>(heapBase, FREE_MASK_OFFSET) & (-1 << wanted);
  if (available === 0) {
    growFor(wanted);
    available = load<u32>(heapBase, FREE_MASK_OFFSET) & (-1 << wanted);
  }
  const from = ctz(available);
  const block = load<u32>(heapBase + (from << 2), HEADS_OFFSET);
  unlink(block, from);
  splitDown(block, from, order);
  return block;
}

export function free_memory(ptr: u32): void {
  if (ptr !== 0) release(ptr, locate(ptr));
}

export function reallocate_memory(ptr: u32, size: u32): u32 {
  if (ptr === 0) return allocate_memory(size);
  requireSize(size);
  const order = locate(ptr);
  const wanted = orderFor(size);
  if (wanted <= order) {
    // Shrinking gives the upper halves back.
    splitDown(ptr, order, wanted);
    return ptr;
  }
  if (growInPlace(ptr, order, wanted)) return ptr;
  // Allocating first leaves the old block untouched if memory runs out.
  const moved = allocate_memory(size);
  memory.copy(moved, ptr, 16 << order);
  release(ptr, order);
  return moved;
}

export function reset_memory(): void {
  const bitmapSize = firstTree();
  const bitmap = treeBase + alignUp(start - treeBase, bitmapSize);
  memory.fill(bitmap, 0, bitmapSize);
  store<u32>(heapBase, ctz(bitmapSize) + 2, ROOT_ORDER_OFFSET);
  store<u32>(heapBase, bitmap, BITMAP_OFFSET);
  // The free mask and every list head.
  memory.fill(heapBase + FREE_MASK_OFFSET, 0, STATE_SIZE - FREE_MASK_OFFSET);
  layOut(treeBase, ctz(bitmapSize) + 2, -1, bitmap, ctz(bitmapSize) - 4);
}

/**
 * The bitmap's size in a new heap's tree, the smallest that holds the state and the bitmap; the tree is 64 times as
 * large. The bitmap goes at the first block of its size from `start`.
 */
function firstTree(): u32 {
  const startOffset = start - treeBase;
  let bitmapSize: u32 = 16;
  while (alignUp(startOffset, bitmapSize) + bitmapSize > bitmapSize << BITMAP_BELOW_ROOT) bitmapSize <<= 1;
  return bitmapSize;
}

function alignUp(value: u32, alignment: u32): u32 {
  return (value + alignment - 1) & -alignment;
}

/** The order of the smallest block that holds `size` bytes. */
function orderFor(size: u32): u32 {
  return size <= 16 ? 0 : 28 - clz(size - 1);
}

/** The number of the node of `order` at `offset` from the tree's base. */
function nodeAt(offset: u32, order: u32): u32 {
  return (offset >>> 3) + (1 << order) - 1;
}

/** The address of the bitmap word that holds the bit of `node`; the bit is `node & 31` of it. */
function wordOf(node: u32): u32 {
  return load<u32>(heapBase, BITMAP_OFFSET) + ((node >>> 5) << 2);
}

function bit(node: u32): u32 {
  return (load<u32>(wordOf(node)) >>> node) & 1;
}

function setBit(node: u32, value: u32): void {
  const word = wordOf(node);
  store<u32>(word, (load<u32>(word) & ~(1 << node)) | (value << node));
}

function push(block: u32, order: u32): void {
  const head = heapBase + (order << 2);
  const next = load<u32>(head, HEADS_OFFSET);
  store<u32>(block, next);
  store<u32>(block, 0, 4);
  if (next !== 0) store<u32>(next, block, 4);
  store<u32>(head, block, HEADS_OFFSET);
  store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) | (1 << order), FREE_MASK_OFFSET);
}

function unlink(block: u32, order: u32): void {
  const next = load<u32>(block);
  const prev = load<u32>(block, 4);
  if (prev === 0) {
    store<u32>(heapBase + (order << 2), next, HEADS_OFFSET);
    if (next === 0) {
      store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) & ~(1 << order), FREE_MASK_OFFSET);
    }
  } else {
    store<u32>(prev, next);
  }
  if (next !== 0) store<u32>(next, prev, 4);
}

/** The order of the live block at `ptr`, or a trap saying why `ptr` is not one. Changes nothing. */
function locate(ptr: u32): u32 {
  const offset = ptr - treeBase;
  // A pointer below `start` or past the tree, the bitmap's block or a pointer inside a block are no live block.
  if (
    (ptr & 15) |
    (ptr < start) |
    (offset >>> (load<u32>(heapBase, ROOT_ORDER_OFFSET) + 4) !== 0) |
    (ptr === load<u32>(heapBase, BITMAP_OFFSET))
  ) {
    trap(INVALID_POINTER);
  }
  // The nodes that start at ptr have the orders 0 to `alignment`. Below a block every bit is 0, so the block at ptr,
  // if there is one, is the smallest of them whose bit is set.
  const alignment = ctz(offset >>> 4);
  let order: u32 = 0;
  while (order <= alignment && !bit(nodeAt(offset, order))) order++;
  if (order <= alignment) {
    // The left child is 0: this node is a used block when its right child is 0 too, else a split node.
    if (order === 0 || !bit(nodeAt(offset + (8 << order), order - 1))) return order;
    trap(DOUBLE_FREE);
  }
  // The largest node that starts at ptr is a right child with its bit clear: a free block if its parent is split.
  const node = nodeAt(offset, alignment);
  if (bit(node - (1 << alignment)) & bit(node - (2 << alignment))) trap(DOUBLE_FREE);
  trap(INVALID_POINTER);
  return 0;
}

/** Frees the used block at `block` of `order`, merging it with its buddy as long as the buddy is free. */
function release(block: u32, order: u32): void {
  let offset = block - treeBase;
  setBit(nodeAt(offset, order), 0);
  while (order < load<u32>(heapBase, ROOT_ORDER_OFFSET)) {
    const size: u32 = 16 << order;
    if (bit(nodeAt(offset ^ size, order))) break;
    unlink(treeBase + (offset ^ size), order);
    // The parent, split until now, becomes the free block.
    offset &= ~size;
    order++;
    setBit(nodeAt(offset, order), 0);
  }
  push(treeBase + offset, order);
}

/**
 * Marks the node at `block` of order `from` used, then splits it down to `to`, keeping the left half each time and
 * freeing the right one. `from` is free (just unlinked) or used (a block being shrunk).
 */
function splitDown(block: u32, from: u32, to: u32): void {
  const offset = block - treeBase;
  setBit(nodeAt(offset, from), 1);
  while (from > to) {
    from--;
    push(block + (16 << from), from);
    setBit(nodeAt(offset, from), 1);
  }
}

/** Grows the used block at `ptr` from `order` to `wanted` by merging free right buddies, if all of them are. */
function growInPlace(ptr: u32, order: u32, wanted: u32): bool {
  const offset = ptr - treeBase;
  for (let level = order; level < wanted; level++) {
    const size: u32 = 16 << level;
    if (offset & size || bit(nodeAt(offset + size, level))) return false;
  }
  for (let level = order; level < wanted; level++) {
    unlink(ptr + (16 << level), level);
    // The node leaves the tree; its parent, split until now, becomes the used block.
    setBit(nodeAt(offset, level), 0);
  }
  return true;
}

/**
 * Doubles the tree, as often as it takes in one step, until it has a free block of order `wanted`. The memory grows
 * first, so running out of it changes nothing. The bitmap moves to the lowest block of its new order in the new part
 * of the tree, unless that is the block needed; its old block is then freed like any other.
 */
function growFor(wanted: u32): void {
  const rootOrder = load<u32>(heapBase, ROOT_ORDER_OFFSET);
  // One doubling adds free blocks up to order rootOrder - 1. A larger block takes the right half of a tree twice its
  // size, unless that half is a block of the old tree's size, where the bitmap moves: then the tree doubles once more.
  const newRootOrder = wanted < rootOrder ? rootOrder + 1 : wanted === rootOrder ? rootOrder + 2 : wanted + 1;
  if (newRootOrder > MAX_ROOT_ORDER) trap(OUT_OF_MEMORY);
  ensureMemory(treeBase, 16 << newRootOrder);
  const oldBitmap = load<u32>(heapBase, BITMAP_OFFSET);
  const oldBitmapOrder = rootOrder - BITMAP_BELOW_ROOT;
  const bitmapOrder = newRootOrder - BITMAP_BELOW_ROOT;
  const oldSize: u32 = 16 << oldBitmapOrder;
  const bitmap = treeBase + (16 << max(bitmapOrder, rootOrder));
  // Node numbers do not change as the tree grows, so the old bits are the start of the new bitmap.
  memory.copy(bitmap, oldBitmap, oldSize);
  memory.fill(bitmap + oldSize, 0, (16 << bitmapOrder) - oldSize);
  store<u32>(heapBase, bitmap, BITMAP_OFFSET);
  layOut(treeBase, newRootOrder, rootOrder, bitmap, bitmapOrder);
  store<u32>(heapBase, newRootOrder, ROOT_ORDER_OFFSET);
  release(oldBitmap, oldBitmapOrder);
}

/**
 * Builds the node at `block` of `order` and the nodes below it, for a new tree (`keptOrder` -1) or a grown one (the
 * old tree, of `keptOrder` at T, stays as it is). Nodes wholly below `start` and the bitmap's node are used blocks;
 * nodes clear of them, of the bitmap and of the old tree are free blocks; the rest are split. The bits of new nodes
 * are 0 to begin with. Right halves go on the free lists first, so each list starts at its lowest block.
 */
function layOut(block: u32, order: u32, keptOrder: u32, bitmap: u32, bitmapOrder: u32): void {
  if (order === keptOrder && block === treeBase) return;
  const size: u32 = 16 << order;
  const end = block + size;
  const node = nodeAt(block - treeBase, order);
  if (end <= start || (block === bitmap && order === bitmapOrder)) {
    setBit(node, 1);
    return;
  }
  const laidOut = keptOrder === -1 ? start : treeBase + (16 << keptOrder);
  if (block >= laidOut && (block >= bitmap + (16 << bitmapOrder) || end <= bitmap)) {
    push(block, order);
    return;
  }
  setBit(node, 1);
  layOut(block + size / 2, order - 1, keptOrder, bitmap, bitmapOrder);
  layOut(block, order - 1, keptOrder, bitmap, bitmapOrder);
}
