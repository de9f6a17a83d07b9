/**
 * The buddy allocator: a binary buddy system in the design of evanw's buddy-malloc. The heap is one binary tree of
 * power-of-two blocks; a block is split into two halves, each other's buddies, until it has the size asked for, and
 * a freed block merges with its buddy whenever both are free. There is one free list per size and one bit per tree
 * node, and all of it lives in the memory, so a WebAssembly build can share the heap byte for byte.
 *
 * What this version adds to the classic design:
 * - No header in a block. A request of exactly 2^k bytes takes a 2^k block, and the 8 bytes a header would need
 *   never double a block. The tree itself knows each block's size.
 * - A bitmap that grows with the tree: it is a block of the tree, moved to a block twice as large when the tree
 *   doubles, so a small heap never pays for the largest one.
 * - Safe frees: the bitmap tells a live block from a free one or from no block at all, so a double free or a stray
 *   pointer traps and changes nothing.
 *
 * What it costs: a request is rounded up to a power of two, by a third on average for sizes spread evenly between
 * two powers (nothing for a request of exactly 2^k bytes), and the bitmap takes 1/64 of the tree. Fragmentation adds
 * little to that: on the ring workload and on traces of real programs, the highest address in use stays within a few
 * percent of the live blocks' power-of-two sizes added up.
 *
 * The tree
 * --------
 * The tree is based at T, heapBase rounded down to 64 KiB, and spans 16 << rootOrder bytes. A node of order k spans
 * 16 << k bytes at an offset from T that is a multiple of its size, so every block is aligned to its size (up to
 * 64 KiB, in absolute addresses): an aligned allocation is an ordinary one of a larger order, split down from the
 * left. Order 0 is the smallest block (16 bytes, room for the two links of a free block), order 26 the largest
 * (1 GiB), and the tree grows to order 27 (2 GiB), so that a 1 GiB block fits beside the heap's own state.
 *
 * Each node of the tree is a block (free or used), or is split into its two children; the nodes below a block are
 * outside the tree. Nodes are numbered in order, left to right, which makes the numbers independent of the tree's
 * height: the node of order k at offset o has number (o >>> 3) + 2^k - 1.
 *
 *     order 3                            7
 *     order 2              3                           11
 *     order 1       1             5             9             13
 *     order 0   0       2      4      6      8     10     12      14
 *     offset    0      16     32     48     64     80     96     112
 *
 * From node n of order k: its children are n - 2^(k-1) and n + 2^(k-1); its parent is n + 2^k for a left child and
 * n - 2^k for a right one; its buddy is n + 2^(k+1) or n - 2^(k+1). Doubling the tree makes the old root the left
 * child of a new one (number 2^(rootOrder+1) - 1) and numbers the new right half after it, so growing the bitmap
 * is copying it.
 *
 * The bitmap has one bit per node, 2^(rootOrder+1) bits in all, two per 16 bytes of tree (1/64 of it):
 *
 *     0   a free block, or a node outside the tree
 *     1   a used block, or a split node
 *
 * A split node always has a child whose bit is 1 (two free children would have merged), and a used block has two
 * children outside the tree, whose bits are 0: the children tell the two apart. A node is in the tree when its
 * parent is split, so a bit of 0 with a split parent is a free block. The last bit, with no node, stays 0.
 *
 * The bitmap is a used block of order rootOrder - 6. The memory below the heap's first block (everything from T
 * up to `start`, the state included) is covered by used blocks too, which nothing can free. A new heap puts its
 * bitmap at the first block of its order from `start`; when the tree grows to order R, the bitmap moves to the
 * lowest block of the new part of the tree, at T + (16 << max(R - 6, old order)), and its old block is freed.
 *
 * Memory format
 * -------------
 *
 *     T                 heapBase                       start
 *     |                 |                              |
 *     v                 v                              v
 *     +- - - - - - - - -+-------+------+-------+-----+------------------------------------ - - -+
 *     | memory below    | magic | lock | root  | ... | blocks, free and used, one of them the     |
 *     | the heap        | BDY1  |      | order |     | bitmap, up to T + (16 << rootOrder)        |
 *     +- - - - - - - - -+-------+------+-------+-----+------------------------------------ - - -+
 *
 *   heapBase + 0    u32       magic      "BDY1": the buddy format, version 1 (see heap-header.ts)
 *   heapBase + 4    u32       lock       the heap's lock on a shared memory (lock.ts); 0 on an unshared one
 *   heapBase + 8    u32       rootOrder  the tree spans 16 << rootOrder bytes from T; 6 (1 KiB) to 27 (2 GiB)
 *   heapBase + 12   u32       bitmap     the address of the bitmap block
 *   heapBase + 16   u32       freeMask   bit k is set when the free list of order k is not empty
 *   heapBase + 20   u32[27]   heads      the first free block of each order 0..26, or 0
 *   heapBase + 128            start      the first block: heapBase + 128 rounded up to 16
 *
 * A free block begins with two links, and a used block holds nothing but the caller's bytes:
 *
 *     free block    +-------+-------+- - - - - - - - -+
 *                   | next  | prev  |   (unused)      |   next: the next free block of the same order, or 0
 *                   +-------+-------+- - - - - - - - -+   prev: the previous one, or 0 for the first
 *     used block    +--------------------------------+
 *                   |  the caller's bytes: 16 << k    |
 *                   +--------------------------------+
 *
 * The tree always lies inside the memory: growing it first grows the memory to T + (16 << rootOrder).
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import { checkBuddyHeap } from "./buddy-check.js";
import { AllocatorBase, type BlockAllocator, type BlockInfo, type HeapStats } from "./contract.js";
import { AllocationTrap } from "./errors.js";
import { allocatorFactory } from "./factory.js";
import { ADDRESS_LIMIT, ensureMemory } from "./growth.js";
import { expectHeader, HEADER_SIZE, magicNumber, writeHeader } from "./heap-header.js";
import type { HeapExtent } from "./locked-allocator.js";
import { ALIGNMENT, alignUp, invalidPointer, requireAlignment, requireSize } from "./size.js";

export const BUDDY_MAGIC = magicNumber("BDY1");

/** The smallest block, order 0: 16 bytes, 2^MIN_BLOCK_BITS. A block of order k has 16 << k bytes. */
const MIN_BLOCK_BITS = 4;
const MIN_BLOCK_SIZE = 1 << MIN_BLOCK_BITS;
/** Node numbers count the tree in units of half the smallest block: the leaf at offset o is number o >>> 3. */
const NODE_UNIT_BITS = MIN_BLOCK_BITS - 1;
/** The order of the largest block: 1 GiB. */
const MAX_BLOCK_ORDER = 26;
/** The order of the largest tree: 2 GiB, room for a 1 GiB block beside the heap's state. */
const MAX_ROOT_ORDER = 27;
/** The bitmap, a 64th of the tree, is a block this many orders below the root. */
const BITMAP_BELOW_ROOT = 6;
/** The smallest tree, 1 KiB, whose bitmap is one 16-byte block. */
const MIN_ROOT_ORDER = BITMAP_BELOW_ROOT;
/** The tree's base is aligned to this, so blocks are aligned to their size up to the largest alignment asked for. */
const TREE_ALIGNMENT = 0x1_0000;

/** Where each part of the state lives, in bytes from heapBase. */
const ROOT_ORDER_OFFSET = HEADER_SIZE;
const BITMAP_OFFSET = ROOT_ORDER_OFFSET + 4;
const FREE_MASK_OFFSET = BITMAP_OFFSET + 4;
const HEADS_OFFSET = FREE_MASK_OFFSET + 4;
/** Bytes of state at heapBase. */
export const BUDDY_STATE_SIZE = HEADS_OFFSET + 4 * (MAX_BLOCK_ORDER + 1);

/** A free block's list links, in bytes from its start: the next block of its order, then the previous one. */
const NEXT_OFFSET = 0;
const PREV_OFFSET = 4;

/**
 * The buddy format's constants, for its WebAssembly twin, which takes them from assembly/generated/. The code here reads
 * them as module constants, which V8 folds into it, rather than as exports, which it loads from their module cells.
 */
export const BUDDY_FORMAT = {
  MIN_BLOCK_BITS,
  MIN_BLOCK_SIZE,
  NODE_UNIT_BITS,
  MAX_BLOCK_ORDER,
  MAX_ROOT_ORDER,
  BITMAP_BELOW_ROOT,
  MIN_ROOT_ORDER,
  TREE_ALIGNMENT,
  ROOT_ORDER_OFFSET,
  BITMAP_OFFSET,
  FREE_MASK_OFFSET,
  HEADS_OFFSET,
  NEXT_OFFSET,
  PREV_OFFSET,
} as const;
const NEXT_WORD = NEXT_OFFSET >>> 2;
const PREV_WORD = PREV_OFFSET >>> 2;

/**
 * The bits, counting from a leaf's own, of the nodes of orders 0 to 5 that start where the leaf does: 2^k - 1 places
 * after the leaf's for order k (0, 1, 3, 7, 15 and 31).
 */
const NODES_FROM_LEAF = 0x8000_808b;

/** The bit of `node` in the bitmap whose first word is u32[words]. */
export function bitOf(u32: Uint32Array, words: number, node: number): number {
  return ((u32[words + (node >>> 5)] as number) >>> (node & 31)) & 1;
}

function setBit(u32: Uint32Array, words: number, node: number): void {
  u32[words + (node >>> 5)] |= 1 << (node & 31);
}

function clearBit(u32: Uint32Array, words: number, node: number): void {
  u32[words + (node >>> 5)] &= ~(1 << (node & 31));
}

/** The bytes in a block of `order`, up to the 2 GiB of order 27 (where `16 << order` alone would turn negative). */
export function blockSize(order: number): number {
  return (MIN_BLOCK_SIZE << order) >>> 0;
}

/**
 * Calls `visit` for every block of the tree of `rootOrder` at `treeBase`, in address order, with its node number and
 * whether it is used: a node whose bit is 0 is a free block; one whose bit is 1 is a used block when both its children
 * have bits of 0 (or it has none), and is split otherwise, into the halves visited in its place.
 */
export function walkTree(
  u32: Uint32Array,
  words: number,
  treeBase: number,
  rootOrder: number,
  visit: (block: number, order: number, node: number, used: boolean) => void,
): void {
  const descend = (block: number, order: number, node: number): void => {
    const half = order === 0 ? 0 : 2 ** (order - 1);
    if (!bitOf(u32, words, node)) {
      visit(block, order, node, false);
    } else if (order === 0 || (!bitOf(u32, words, node - half) && !bitOf(u32, words, node + half))) {
      visit(block, order, node, true);
    } else {
      descend(block, order - 1, node - half);
      descend(block + blockSize(order - 1), order - 1, node + half);
    }
  };
  descend(treeBase, rootOrder, 2 ** rootOrder - 1);
}

/** The order of the smallest block that holds `size` bytes (an integer from 0 to 1 GiB). */
function orderFor(size: number): number {
  return size <= MIN_BLOCK_SIZE ? 0 : 32 - MIN_BLOCK_BITS - Math.clz32(size - 1);
}

export class BuddyAllocator extends AllocatorBase implements BlockAllocator {
  readonly name = "buddy";
  readonly memory: LinearMemory;
  readonly heapBase: number;
  /** T: where the tree begins, heapBase rounded down to 64 KiB. */
  readonly treeBase: number;
  /** The first byte a block may hold: everything below is the heap's state or not the heap's at all. */
  readonly start: number;
  /** The order of a new heap's tree: the smallest that holds its state and its bitmap. */
  readonly initialRootOrder: number;
  private readonly rootOrderIndex: number;
  private readonly bitmapIndex: number;
  private readonly freeMaskIndex: number;
  private readonly headsIndex: number;

  private constructor(memory: LinearMemory, heapBase: number) {
    super();
    this.memory = memory;
    this.heapBase = heapBase;
    this.treeBase = heapBase - (heapBase % TREE_ALIGNMENT);
    this.start = alignUp(heapBase + BUDDY_STATE_SIZE, MIN_BLOCK_SIZE);
    this.rootOrderIndex = (heapBase + ROOT_ORDER_OFFSET) >>> 2;
    this.bitmapIndex = (heapBase + BITMAP_OFFSET) >>> 2;
    this.freeMaskIndex = (heapBase + FREE_MASK_OFFSET) >>> 2;
    this.headsIndex = (heapBase + HEADS_OFFSET) >>> 2;
    let order = MIN_ROOT_ORDER;
    while (this.initialBitmap(order) + blockSize(order - BITMAP_BELOW_ROOT) > this.treeBase + blockSize(order)) order++;
    this.initialRootOrder = order;
  }

  /** Lays a new, empty heap out at `heapBase`, growing the memory to hold its first tree. */
  static create(memory: LinearMemory, heapBase: number): BuddyAllocator {
    const buddy = new BuddyAllocator(memory, heapBase);
    const end = buddy.treeBase + blockSize(buddy.initialRootOrder);
    if (!ensureMemory(memory, end)) {
      throw new AllocationTrap("OUT_OF_MEMORY", `buddy: no room for the heap's first tree, up to ${end}`);
    }
    writeHeader(memory, heapBase, BUDDY_MAGIC);
    buddy.reset();
    return buddy;
  }

  /** Binds to the buddy heap that lives at `heapBase`, after checking it. */
  static attach(memory: LinearMemory, heapBase: number): BuddyAllocator {
    expectHeader(memory, heapBase, BUDDY_MAGIC);
    const buddy = new BuddyAllocator(memory, heapBase);
    buddy.check();
    return buddy;
  }

  allocate(size: number, align: number = ALIGNMENT): number {
    requireSize(size, "allocate");
    const order = orderFor(size);
    let wanted = order;
    if (align !== ALIGNMENT) {
      requireAlignment(align, "allocate");
      // A block of order k is aligned to 16 << k, so a larger alignment is a larger block to split from.
      const alignOrder = 31 - MIN_BLOCK_BITS - Math.clz32(align);
      if (alignOrder > wanted) wanted = alignOrder;
    }
    let u32 = this.memory.u32;
    let available = u32[this.freeMaskIndex] & (-1 << wanted);
    if (available === 0) {
      this.growFor(wanted, size);
      u32 = this.memory.u32;
      available = u32[this.freeMaskIndex] & (-1 << wanted);
    }
    const from = 31 - Math.clz32(available & -available);
    const head = this.headsIndex + from;
    const block = u32[head];
    const next = u32[(block >>> 2) + NEXT_WORD];
    u32[head] = next;
    if (next !== 0) u32[(next >>> 2) + PREV_WORD] = 0;
    else u32[this.freeMaskIndex] &= ~(1 << from);
    this.splitDown(u32, block, from, order);
    return block;
  }

  free(ptr: number): void {
    if (ptr === 0) return;
    const u32 = this.memory.u32;
    this.release(u32, ptr, this.locate(u32, ptr, "free"));
  }

  reallocate(ptr: number, size: number): number {
    if (ptr === 0) return this.allocate(size);
    requireSize(size, "reallocate");
    const u32 = this.memory.u32;
    const order = this.locate(u32, ptr, "reallocate");
    const wanted = orderFor(size);
    if (wanted <= order) {
      // Shrinking gives the upper halves back.
      this.splitDown(u32, ptr, order, wanted);
      return ptr;
    }
    if (this.growInPlace(u32, ptr, order, wanted)) return ptr;
    // Allocating first leaves the old block untouched if memory runs out.
    const moved = this.allocateToMove(ptr, size);
    this.memory.u8.copyWithin(moved, ptr, ptr + (MIN_BLOCK_SIZE << order));
    this.release(this.memory.u32, ptr, order);
    return moved;
  }

  usableSize(ptr: number): number {
    return MIN_BLOCK_SIZE << this.locate(this.memory.u32, ptr, "usableSize");
  }

  /** Empties the heap: the tree goes back to its first, smallest size. Memory does not shrink. */
  reset(): void {
    const u32 = this.memory.u32;
    const rootOrder = this.initialRootOrder;
    const bitmapOrder = rootOrder - BITMAP_BELOW_ROOT;
    const bitmap = this.initialBitmap(rootOrder);
    this.memory.u8.fill(0, bitmap, bitmap + blockSize(bitmapOrder));
    u32[this.rootOrderIndex] = rootOrder;
    u32[this.bitmapIndex] = bitmap;
    u32[this.freeMaskIndex] = 0;
    u32.fill(0, this.headsIndex, this.headsIndex + MAX_BLOCK_ORDER + 1);
    this.layOut(u32, this.treeBase, rootOrder, -1, bitmap, bitmapOrder);
  }

  walk(visit: (block: BlockInfo) => void): void {
    const bitmap = this.memory.u32[this.bitmapIndex];
    this.forEachBlock((ptr, order, used) => {
      if (ptr >= this.start && ptr !== bitmap) visit({ ptr, size: blockSize(order), used });
    });
  }

  /**
   * The heap's own bitmap block, which `walk` leaves out: where it is now (it moves when the tree grows) and its
   * bytes, a 64th of the tree's. Reads the state; changes nothing.
   */
  bitmap(): { ptr: number; size: number } {
    const u32 = this.memory.u32;
    return { ptr: u32[this.bitmapIndex] as number, size: blockSize(u32[this.rootOrderIndex] - BITMAP_BELOW_ROOT) };
  }

  /**
   * The end of the heap's own state, its header or its bitmap, whichever lies further: the floor of its footprint,
   * which moves as the tree grows and the bitmap with it. Read from the state's two words, with no record made, as a
   * replay's footprint asks for it after every event.
   */
  stateEnd(): number {
    const u32 = this.memory.u32;
    const bitmapEnd = (u32[this.bitmapIndex] as number) + blockSize(u32[this.rootOrderIndex] - BITMAP_BELOW_ROOT);
    return Math.max(this.start, bitmapEnd);
  }

  /** One past the tree's last byte: the tree spans treeBase to here, and doubles as the heap grows. */
  treeEnd(): number {
    return this.treeBase + blockSize(this.memory.u32[this.rootOrderIndex] as number);
  }

  stats(): HeapStats {
    const u32 = this.memory.u32;
    const rootOrder = u32[this.rootOrderIndex];
    const bitmap = u32[this.bitmapIndex];
    const memorySize = this.memory.byteLength;
    let heapEnd = this.stateEnd();
    let bytesInUse = 0;
    let bytesFree = 0;
    let blocksInUse = 0;
    this.forEachBlock((ptr, order, used) => {
      if (ptr < this.start || ptr === bitmap) return;
      const size = blockSize(order);
      if (!used) {
        bytesFree += size;
        return;
      }
      bytesInUse += size;
      blocksInUse++;
      heapEnd = Math.max(heapEnd, ptr + size);
    });
    // Memory past the tree is free too, as far as the tree can double into it.
    let reachable = rootOrder;
    while (reachable < MAX_ROOT_ORDER && this.treeBase + blockSize(reachable + 1) <= memorySize) reachable++;
    if (reachable > rootOrder) {
      bytesFree += blockSize(reachable) - blockSize(rootOrder);
      bytesFree -= blockSize(reachable - BITMAP_BELOW_ROOT) - blockSize(rootOrder - BITMAP_BELOW_ROOT);
    }
    return { heapStart: this.heapBase, heapEnd, bytesInUse, bytesFree, blocksInUse, memorySize };
  }

  /** Verifies the whole heap: see buddy-check.ts. */
  check(): void {
    checkBuddyHeap(this.memory, this);
  }

  // ---- The tree's operations. Each takes the u32 view, read once per call and again after growing memory. ----

  /** The order of the live block at `ptr`, or a trap saying why `ptr` is not one. Changes nothing. */
  private locate(u32: Uint32Array, ptr: number, operation: string): number {
    if (ptr >>> 0 !== ptr || ptr % MIN_BLOCK_SIZE !== 0 || ptr < this.start) {
      throw invalidPointer(operation, ptr, "not a block of this heap");
    }
    const offset = ptr - this.treeBase;
    if (offset >>> (u32[this.rootOrderIndex] + MIN_BLOCK_BITS) !== 0) {
      throw invalidPointer(operation, ptr, "past the end of the heap");
    }
    const bitmap = u32[this.bitmapIndex];
    if (ptr === bitmap) throw invalidPointer(operation, ptr, "the heap's own bitmap");
    const words = bitmap >>> 2;
    const leaf = offset >>> NODE_UNIT_BITS;
    // The nodes that start at ptr have the orders 0 to `alignment`. Below a block every bit is 0, so the block at
    // ptr, if there is one, is the smallest of them whose bit is set.
    const units = offset >>> MIN_BLOCK_BITS;
    const alignment = 31 - Math.clz32(units & -units);
    // A node of order k that starts at ptr is number leaf + 2^k - 1, and then the leaf's number is a multiple of
    // 2^(k+1): up to order 5, the node's bit lies in the leaf's bitmap word, and one load tests them all. A bit set
    // past `alignment` belongs to a node that does not start at ptr and is ignored below. Larger orders come one by one.
    const word = u32[words + (leaf >>> 5)] >>> (leaf & 31);
    const set = word & NODES_FROM_LEAF;
    let order = 6;
    if (set !== 0) {
      order = 31 - Math.clz32(32 - Math.clz32(set & -set));
    } else {
      while (order <= alignment && !bitOf(u32, words, leaf + (1 << order) - 1)) order++;
    }
    if (order <= alignment) {
      if (order === 0) return 0;
      // The left child is 0: this node is a used block when its right child is 0 too, else a split node.
      const right = leaf + (1 << order) - 1 + (1 << (order - 1));
      if (bitOf(u32, words, right) === 0) return order;
      throw new AllocationTrap("DOUBLE_FREE", `${operation}(${ptr}): the block is already free`);
    }
    // The largest node that starts at ptr is a right child with its bit clear: a free block if its parent is split.
    const node = leaf + (1 << alignment) - 1;
    const parent = node - (1 << alignment);
    const left = node - (2 << alignment);
    if (bitOf(u32, words, parent) && bitOf(u32, words, left)) {
      throw new AllocationTrap("DOUBLE_FREE", `${operation}(${ptr}): the block is already free`);
    }
    throw invalidPointer(operation, ptr, "not the start of a block");
  }

  /** Frees the used block at `block` of `order`, merging it with its buddy as long as the buddy is free. */
  private release(u32: Uint32Array, block: number, order: number): void {
    const rootOrder = u32[this.rootOrderIndex];
    const words = u32[this.bitmapIndex] >>> 2;
    let offset = block - this.treeBase;
    let node = (offset >>> NODE_UNIT_BITS) + (1 << order) - 1;
    clearBit(u32, words, node);
    while (order < rootOrder) {
      // A left child's buddy follows it, a right child's precedes it; their parent lies between them.
      const isRight = (offset >>> (order + MIN_BLOCK_BITS)) & 1;
      const buddyNode = node + (2 << order) - isRight * (4 << order);
      if (bitOf(u32, words, buddyNode)) break;
      const size = MIN_BLOCK_SIZE << order;
      this.unlink(u32, this.treeBase + ((offset ^ size) >>> 0), order);
      // The parent, split until now, becomes the free block.
      node += (1 << order) - isRight * (2 << order);
      clearBit(u32, words, node);
      offset = (offset & ~size) >>> 0;
      order++;
    }
    this.push(u32, this.treeBase + offset, order);
  }

  /**
   * Marks the node at `block` of order `from` used, then splits it down to `to`, keeping the left half each time
   * and freeing the right one. `from` is free (just unlinked) or used (a block being shrunk).
   */
  private splitDown(u32: Uint32Array, block: number, from: number, to: number): void {
    const words = u32[this.bitmapIndex] >>> 2;
    const leaf = (block - this.treeBase) >>> NODE_UNIT_BITS;
    let node = leaf + (1 << from) - 1;
    setBit(u32, words, node);
    for (let order = from - 1; order >= to; order--) {
      this.push(u32, block + (MIN_BLOCK_SIZE << order), order);
      node = leaf + (1 << order) - 1;
      setBit(u32, words, node);
    }
  }

  /** Grows the used block at `ptr` from `order` to `wanted` by merging free right buddies, if all of them are. */
  private growInPlace(u32: Uint32Array, ptr: number, order: number, wanted: number): boolean {
    const words = u32[this.bitmapIndex] >>> 2;
    const offset = ptr - this.treeBase;
    const leaf = offset >>> NODE_UNIT_BITS;
    for (let level = order; level < wanted; level++) {
      if ((offset >>> (level + MIN_BLOCK_BITS)) & 1) return false;
      const buddyNode = leaf + (1 << level) - 1 + (2 << level);
      if (bitOf(u32, words, buddyNode)) return false;
    }
    for (let level = order; level < wanted; level++) {
      this.unlink(u32, ptr + (MIN_BLOCK_SIZE << level), level);
      // The node leaves the tree; its parent, split until now, becomes the used block.
      const node = leaf + (1 << level) - 1;
      clearBit(u32, words, node);
    }
    return true;
  }

  private push(u32: Uint32Array, block: number, order: number): void {
    const head = this.headsIndex + order;
    const next = u32[head];
    const at = block >>> 2;
    u32[at + NEXT_WORD] = next;
    u32[at + PREV_WORD] = 0;
    if (next !== 0) u32[(next >>> 2) + PREV_WORD] = block;
    u32[head] = block;
    u32[this.freeMaskIndex] |= 1 << order;
  }

  private unlink(u32: Uint32Array, block: number, order: number): void {
    const at = block >>> 2;
    const next = u32[at + NEXT_WORD];
    const prev = u32[at + PREV_WORD];
    if (prev === 0) {
      u32[this.headsIndex + order] = next;
      if (next === 0) u32[this.freeMaskIndex] &= ~(1 << order);
    } else {
      u32[(prev >>> 2) + NEXT_WORD] = next;
    }
    if (next !== 0) u32[(next >>> 2) + PREV_WORD] = prev;
  }

  /**
   * Doubles the tree, as often as it takes in one step, until it has a free block of order `wanted`. The memory
   * grows first, so running out of it changes nothing. The bitmap moves to the lowest block of its new order in
   * the new part of the tree, unless that is the block needed; its old block is then freed like any other.
   */
  private growFor(wanted: number, size: number): void {
    const rootOrder = this.memory.u32[this.rootOrderIndex];
    // One doubling adds free blocks up to order rootOrder - 1. A larger block takes the right half of a tree twice
    // its size, unless that half is a block of the old tree's size, where the bitmap moves: then the tree doubles
    // once more.
    const newRootOrder = wanted < rootOrder ? rootOrder + 1 : wanted === rootOrder ? rootOrder + 2 : wanted + 1;
    // Beyond the largest tree, 16 << newRootOrder would wrap around: the power of two gives the end as it is.
    const end = this.treeBase + 2 ** (newRootOrder + MIN_BLOCK_BITS);
    if (newRootOrder > MAX_ROOT_ORDER || end > ADDRESS_LIMIT) {
      throw new AllocationTrap("OUT_OF_MEMORY", `allocate(${size}): the heap cannot grow to ${end} bytes`);
    }
    if (!ensureMemory(this.memory, end)) {
      throw new AllocationTrap("OUT_OF_MEMORY", `allocate(${size}): the memory cannot grow to ${end} bytes`);
    }
    const u32 = this.memory.u32;
    const u8 = this.memory.u8;
    const oldBitmap = u32[this.bitmapIndex];
    const oldBitmapOrder = rootOrder - BITMAP_BELOW_ROOT;
    const bitmapOrder = newRootOrder - BITMAP_BELOW_ROOT;
    const bitmap = this.treeBase + blockSize(Math.max(bitmapOrder, rootOrder));
    // Node numbers do not change as the tree grows, so the old bits are the start of the new bitmap.
    u8.copyWithin(bitmap, oldBitmap, oldBitmap + blockSize(oldBitmapOrder));
    u8.fill(0, bitmap + blockSize(oldBitmapOrder), bitmap + blockSize(bitmapOrder));
    u32[this.bitmapIndex] = bitmap;
    this.layOut(u32, this.treeBase, newRootOrder, rootOrder, bitmap, bitmapOrder);
    u32[this.rootOrderIndex] = newRootOrder;
    this.release(u32, oldBitmap, oldBitmapOrder);
  }

  /**
   * Builds the node at `block` of `order` and the nodes below it, for a new tree (`keptOrder` -1) or a grown one
   * (the old tree, of `keptOrder` at T, stays as it is). Nodes wholly below `start` and the bitmap's node are used
   * blocks; nodes clear of them, of the bitmap and of the old tree are free blocks; the rest are split. The bits of
   * new nodes are 0 to begin with. Right halves go on the free lists first, so each list starts at its lowest block.
   */
  private layOut(
    u32: Uint32Array,
    block: number,
    order: number,
    keptOrder: number,
    bitmap: number,
    bitmapOrder: number,
  ): void {
    if (order === keptOrder && block === this.treeBase) return;
    const size = blockSize(order);
    const end = block + size;
    const node = ((block - this.treeBase) >>> NODE_UNIT_BITS) + 2 ** order - 1;
    const words = bitmap >>> 2;
    if (end <= this.start || (block === bitmap && order === bitmapOrder)) {
      setBit(u32, words, node);
      return;
    }
    const laidOut = keptOrder < 0 ? this.start : this.treeBase + blockSize(keptOrder);
    if (block >= laidOut && (block >= bitmap + blockSize(bitmapOrder) || end <= bitmap)) {
      this.push(u32, block, order);
      return;
    }
    setBit(u32, words, node);
    this.layOut(u32, block + size / 2, order - 1, keptOrder, bitmap, bitmapOrder);
    this.layOut(u32, block, order - 1, keptOrder, bitmap, bitmapOrder);
  }

  /** Where a new heap's bitmap goes for a tree of `rootOrder`: the first block of its order from `start`. */
  private initialBitmap(rootOrder: number): number {
    const size = blockSize(rootOrder - BITMAP_BELOW_ROOT);
    return this.treeBase + alignUp(this.start - this.treeBase, size);
  }

  /** Calls `visit` for every block of the tree, free and used, the state's and the bitmap's included, in order. */
  private forEachBlock(visit: (ptr: number, order: number, used: boolean) => void): void {
    const u32 = this.memory.u32;
    walkTree(u32, u32[this.bitmapIndex] >>> 2, this.treeBase, u32[this.rootOrderIndex], (block, order, _node, used) =>
      visit(block, order, used),
    );
  }
}

/** The heap ends with its tree. */
const BUDDY_EXTENT: HeapExtent = {
  magic: BUDDY_MAGIC,
  end: (state: Uint32Array, heapBase: number): number =>
    heapBase - (heapBase % TREE_ALIGNMENT) + blockSize(state[(heapBase + ROOT_ORDER_OFFSET) >>> 2] as number),
};

/** `buddy(memory, { heapBase })` makes a new buddy heap; `buddy.attach(memory, heapBase)` binds to an existing one. */
export const buddy = allocatorFactory(BuddyAllocator, BUDDY_EXTENT);
