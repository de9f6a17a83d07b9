/**
 * The buddy allocator as a WebAssembly module: the twin of src/allocator/buddy.ts. It keeps its heap in the same
 * format, drawn and explained at the top of that file, and given the same memory, heap base and calls, it returns the
 * same pointers, grows the memory alike and leaves the same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports:
 *
 *   init(heapBase)                  lays out an empty buddy heap at heapBase (a multiple of 8) and works on it
 *   attach(heapBase)                works on the buddy heap already at heapBase, changing nothing
 *   allocate_memory(size) -> ptr    a block of the smallest power of two from 16 bytes that holds `size`
 *   free_memory(ptr)                frees a block; a block already free traps with DOUBLE_FREE and any other pointer
 *                                   it never handed out with INVALID_POINTER, both changing nothing
 *   reset_memory()                  frees every block, the tree back to its first size
 *   trap_code                       a global: why the last refused call trapped (see shared/trap.ts)
 *
 * Resizing and aligned allocation are left to the TypeScript build, which the loader attaches to the same heap, as are
 * checks, statistics and walks: `reallocate_memory` alone would add a fifth to the module, past its size budget.
 *
 * The code is shaped by that budget: one function reads and sets the bitmap's bits (but for the search that starts
 * every free, which reads them itself), one recursion lays out both a new tree and a grown one, and freeing leans on
 * the bitmap being a used block to stop merging below the root.
 */
import { ensureMemory } from "./shared/growth";
import { requireSize } from "./shared/size";
import * as trap from "./shared/trap";

export { trap_code } from "./shared/trap";

/** "BDY1" in little-endian bytes, with the lock word after it released: the first 8 bytes of every buddy heap. */
const BUDDY_HEADER: u64 = 0x31594442;
const ROOT_ORDER_OFFSET = 8;
const BITMAP_OFFSET = 12;
const FREE_MASK_OFFSET = 16;
const HEADS_OFFSET = 20;
/** Bytes of state at heapBase: the header, the root order, the bitmap's address, the free mask and 27 list heads. */
const STATE_SIZE: u32 = 128;
/** The order of the largest tree: 2 GiB. */
const MAX_ROOT_ORDER: u32 = 27;
/** The bitmap, a 64th of the tree, is a block this many orders below the root. */
const BITMAP_BELOW_ROOT: u32 = 6;
/** What `bitAt` is given to read a bit, changing nothing. */
const READ: i32 = -1;

/** The heap this instance works on. */
let heapBase: u32 = 0;
/** T: where the tree begins, heapBase rounded down to 64 KiB. */
let treeBase: u32 = 0;
/** `start`, the first block, as an offset from T: heapBase + STATE_SIZE rounded up to 16. */
let startOffset: u32 = 0;
/** Where `layOut` may begin to lay out free blocks: `start` in a new tree, the end of the old tree in a grown one. */
let laidOut: u32 = 0;

export function init(base: u32): void {
  attach(base);
  ensureMemory(treeBase, 16 << firstRootOrder());
  store<u64>(base, BUDDY_HEADER);
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
  treeBase = base & ~0xffff;
  // From the offset in its 64 KiB, so that a heap base too close to 2^32 for a heap gives a tree that does not fit,
  // rather than one that wraps around.
  startOffset = (base - treeBase + STATE_SIZE + 15) & ~15;
}

export function allocate_memory(size: u32): u32 {
  requireSize(size);
  const order = orderFor(size);
  // The smallest order with a free block large enough; growing the tree once makes one.
  if (!(load<u32>(heapBase, FREE_MASK_OFFSET) >>> order)) growFor(order);
  let from = ctz(load<u32>(heapBase, FREE_MASK_OFFSET) >>> order) + order;
  const block = load<u32>(heapBase + (from << 2), HEADS_OFFSET);
  unlink(block, from);
  // The block is used, or split down to the order wanted, keeping the left half each time and freeing the right one.
  const offset = block - treeBase;
  while (true) {
    bitAt(offset, from, 1);
    if (from === order) return block;
    from--;
    push(block + (16 << from), from);
  }
}

export function free_memory(ptr: u32): void {
  if (ptr === 0) return;
  let offset = ptr - treeBase;
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  // Not a multiple of 16, below `start`, past the tree (so is a pointer below T, whose offset wraps around), or the
  // bitmap's own block.
  if (
    (ptr & 15) |
    (offset < startOffset) |
    (offset >>> (load<u32>(heapBase, ROOT_ORDER_OFFSET) + 4) !== 0) |
    (ptr === bitmap)
  ) {
    trap.trap_code = trap.INVALID_POINTER;
    unreachable();
  }
  // Below a block every bit is 0, so the block at ptr, if there is one, is the smallest node that starts at ptr and
  // has its bit set. The node of order k starts at ptr when bit k + 3 of the offset is clear, and the bits below it.
  // The search reads the bitmap itself rather than through a call per order, which V8 does not inline: the node of
  // order k + 1 at ptr is numbered 2^k after the one of order k.
  let order: u32 = 0;
  let node = offset >>> 3;
  while (!(offset & (8 << order)) && !((load<u32>(bitmap + ((node >>> 5) << 2)) >>> node) & 1)) {
    node += 1 << order;
    order++;
  }
  if (order !== 0) {
    // The node of order - 1 at ptr has its bit clear: the left child of the node found, or else the largest node at
    // ptr, a right child. It is a free block when its parent is split, and then its sibling's bit is set.
    const size: u32 = 8 << order;
    if (bitAt(offset & ~size, order, READ) & bitAt(offset ^ size, order - 1, READ)) {
      trap.trap_code = trap.DOUBLE_FREE;
      unreachable();
    }
    if (offset & size) {
      trap.trap_code = trap.INVALID_POINTER;
      unreachable();
    }
  }
  // The block is free, and merges with its buddy as long as the buddy is free. The bitmap is a used block, so merging
  // stops below the root.
  while (true) {
    // When the block merges, its parent, split until now, becomes the free block.
    bitAt(offset, order, 0);
    const size: u32 = 16 << order;
    if (bitAt(offset ^ size, order, READ)) break;
    unlink(treeBase + (offset ^ size), order);
    offset &= ~size;
    order++;
  }
  push(treeBase + offset, order);
}

export function reset_memory(): void {
  // The free mask and every list head.
  memory.fill(heapBase + FREE_MASK_OFFSET, 0, STATE_SIZE - FREE_MASK_OFFSET);
  // No old bits to copy: 0 bytes, from any address in memory.
  plant(firstRootOrder(), heapBase, 0, startOffset);
}

/**
 * The order of a new heap's tree: the smallest that holds the state and the bitmap. The bitmap of a tree of order r is
 * a block of b = 16 << (r - 6) bytes, the first from `start`, and the tree holds it when start - T <= 63 b: so b is
 * the smallest power of two from 16 that is at least (start - T) / 63.
 */
function firstRootOrder(): u32 {
  return orderFor((startOffset + 62) / 63) + BITMAP_BELOW_ROOT;
}

/** The order of the smallest block that holds `size` bytes. */
function orderFor(size: u32): u32 {
  return size <= 16 ? 0 : 28 - clz(size - 1);
}

/** The number of the node of `order` at `offset` from T. */
function nodeAt(offset: u32, order: u32): u32 {
  return (offset >>> 3) + (1 << order) - 1;
}

/** The address of the bitmap word that holds the bit of `node`: bit `node & 31` of it, as a shift by `node` takes. */
function wordOf(node: u32): u32 {
  return load<u32>(heapBase, BITMAP_OFFSET) + ((node >>> 5) << 2);
}

/** The bit of the node of `order` at `offset`, as it was before `value` (0 or 1) replaced it, unless it is READ. */
function bitAt(offset: u32, order: u32, value: i32): u32 {
  const node = nodeAt(offset, order);
  const word = wordOf(node);
  const bits = load<u32>(word);
  const old = (bits >>> node) & 1;
  if (value !== READ) store<u32>(word, bits ^ ((old ^ value) << node));
  return old;
}

function push(block: u32, order: u32): void {
  const head = heapBase + (order << 2);
  const next = load<u32>(head, HEADS_OFFSET);
  // The new first block: the old one next, nothing before.
  store<u64>(block, next);
  if (next !== 0) store<u32>(next, block, 4);
  store<u32>(head, block, HEADS_OFFSET);
  store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) | (1 << order), FREE_MASK_OFFSET);
}

function unlink(block: u32, order: u32): void {
  const next = load<u32>(block);
  const prev = load<u32>(block, 4);
  // The first block is linked from the list's head.
  store<u32>(prev ? prev : heapBase + (order << 2) + HEADS_OFFSET, next);
  if (next !== 0) store<u32>(next, prev, 4);
  // A list left empty clears its bit of the free mask.
  if (!(prev | next)) {
    store<u32>(heapBase, load<u32>(heapBase, FREE_MASK_OFFSET) & ~(1 << order), FREE_MASK_OFFSET);
  }
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
  const newRootOrder = max(rootOrder, wanted + <u32>(wanted === rootOrder)) + 1;
  if (newRootOrder > MAX_ROOT_ORDER) {
    trap.trap_code = trap.OUT_OF_MEMORY;
    unreachable();
  }
  ensureMemory(treeBase, 16 << newRootOrder);
  const oldBitmap = load<u32>(heapBase, BITMAP_OFFSET);
  plant(newRootOrder, oldBitmap, 1 << (rootOrder - 2), 16 << rootOrder);
  free_memory(oldBitmap);
}

/**
 * Makes the tree of `rootOrder` whose first `kept` bytes are taken: by the state and the blocks below `start` in a new
 * tree, by the old tree in a grown one. Its bitmap is the first block of its size from there. Node numbers do not
 * change as the tree grows, so the old tree's bits, `oldSize` bytes at `oldBitmap`, begin the new bitmap.
 */
function plant(rootOrder: u32, oldBitmap: u32, oldSize: u32, kept: u32): void {
  const bitmapSize: u32 = 1 << (rootOrder - 2);
  const bitmap = treeBase + ((kept + bitmapSize - 1) & -bitmapSize);
  memory.fill(bitmap, 0, bitmapSize);
  memory.copy(bitmap, oldBitmap, oldSize);
  store<u32>(heapBase, rootOrder, ROOT_ORDER_OFFSET);
  store<u32>(heapBase, bitmap, BITMAP_OFFSET);
  laidOut = treeBase + kept;
  layOut(treeBase, rootOrder);
}

/**
 * Builds the node at `block` of `order` and the nodes below it. Nodes wholly below `laidOut` and the bitmap's node are
 * used blocks (in a grown tree, the one such node is the old tree: split, its bit set already, and left as it is);
 * nodes clear of both are free blocks; the rest are split. The bits of new nodes are 0 to begin with. Right halves go
 * on the free lists first, so each list starts at its lowest block.
 */
function layOut(block: u32, order: u32): void {
  const size: u32 = 16 << order;
  const bitmap = load<u32>(heapBase, BITMAP_OFFSET);
  // Only the nodes on the way to the bitmap are visited, so a node that does not hold it is clear of it.
  if ((block >= laidOut) & (bitmap - block >= size)) {
    push(block, order);
    return;
  }
  bitAt(block - treeBase, order, 1);
  const isBitmap = (block === bitmap) & (order + BITMAP_BELOW_ROOT === load<u32>(heapBase, ROOT_ORDER_OFFSET));
  if ((block + size <= laidOut) | isBitmap) return;
  layOut(block + size / 2, order - 1);
  layOut(block, order - 1);
}
