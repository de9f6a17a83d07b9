/**
 * The buddy heap's checker: every invariant of the format drawn at the top of buddy.ts, verified from the bytes alone.
 *
 * - The state: the magic, a root order the heap can have, a tree that lies inside the memory, and a bitmap that is
 *   a block of its order inside the tree.
 * - Every bit of the bitmap: each block's nodes below it are 0, the bit past the last node is 0, no free block lies
 *   below the heap's start or on the bitmap, the memory below `start` is covered by used blocks, and the bitmap's
 *   own block is a used block.
 * - Each free list against the free blocks of the tree: the same blocks, doubly linked, with the free mask to match.
 */

import type { LinearMemory } from "../memory/linear-memory.js";
import { BUDDY_FORMAT, BUDDY_MAGIC, bitOf, blockSize, walkTree } from "./buddy.js";
import { HeapCorruptionError } from "./errors.js";
import { expectHeader } from "./heap-header.js";

// buddy.ts imports this file, so the format's constants are read when a check runs, not when the module loads.

/** Where a buddy heap lies: what the allocator derives from its heap base. */
export interface BuddyHeapPlace {
  readonly heapBase: number;
  /** T: the tree's base. */
  readonly treeBase: number;
  /** The first byte a block may hold. */
  readonly start: number;
  /** The order of a new heap's tree, the smallest the heap can have. */
  readonly initialRootOrder: number;
}

/** Throws a HeapCorruptionError naming the first broken invariant of the buddy heap at `place.heapBase`. */
export function checkBuddyHeap(memory: LinearMemory, place: BuddyHeapPlace): void {
  const { BITMAP_BELOW_ROOT, BITMAP_OFFSET, MAX_ROOT_ORDER, ROOT_ORDER_OFFSET } = BUDDY_FORMAT;
  const { heapBase, treeBase, start } = place;
  expectHeader(memory, heapBase, BUDDY_MAGIC);
  const memorySize = memory.byteLength;
  if (start > memorySize) {
    throw new HeapCorruptionError(heapBase, `the heap's state runs past the end of memory ${memorySize}`);
  }
  const u32 = memory.u32;
  const rootOrder = u32[(heapBase + ROOT_ORDER_OFFSET) >>> 2] as number;
  if (rootOrder < place.initialRootOrder || rootOrder > MAX_ROOT_ORDER) {
    throw new HeapCorruptionError(
      heapBase + ROOT_ORDER_OFFSET,
      `root order ${rootOrder} is outside ${place.initialRootOrder}..${MAX_ROOT_ORDER}`,
    );
  }
  const treeEnd = treeBase + blockSize(rootOrder);
  if (treeEnd > memorySize) {
    throw new HeapCorruptionError(
      heapBase + ROOT_ORDER_OFFSET,
      `the tree ends at ${treeEnd}, past the end of memory ${memorySize}`,
    );
  }
  const bitmap = u32[(heapBase + BITMAP_OFFSET) >>> 2] as number;
  const bitmapOrder = rootOrder - BITMAP_BELOW_ROOT;
  const bitmapSize = blockSize(bitmapOrder);
  if ((bitmap - treeBase) % bitmapSize !== 0 || bitmap < start || bitmap + bitmapSize > treeEnd) {
    throw new HeapCorruptionError(
      heapBase + BITMAP_OFFSET,
      `the bitmap at ${bitmap} is not a block of ${bitmapSize} bytes inside the tree`,
    );
  }
  const bits = new BitmapReader(u32, bitmap);
  const spare = 2 ** (rootOrder + 1) - 1;
  if (bits.bit(spare)) throw bits.corrupt(spare, "the bit past the last node is set");
  const freeBlocks = checkBlocks(bits, place, rootOrder, bitmapOrder);
  checkFreeLists(u32, bits, place, rootOrder, freeBlocks);
}

/** The bitmap, read bit by bit, with the place of a node's bit for messages. */
class BitmapReader {
  private readonly words: number;

  constructor(
    readonly u32: Uint32Array,
    private readonly bitmap: number,
  ) {
    this.words = bitmap >>> 2;
  }

  bit(node: number): number {
    return bitOf(this.u32, this.words, node);
  }

  /** The first set bit among nodes `first` to `last`, or -1 when they are all 0: a word at a time where it can. */
  firstSet(first: number, last: number): number {
    let node = first;
    while (node <= last) {
      if (node % 32 === 0 && node + 31 <= last && this.u32[this.words + node / 32] === 0) {
        node += 32;
      } else if (this.bit(node)) {
        return node;
      } else {
        node++;
      }
    }
    return -1;
  }

  corrupt(node: number, message: string): HeapCorruptionError {
    return new HeapCorruptionError(this.bitmap + Math.floor(node / 8), `node ${node}: ${message}`);
  }

  /** Walks the tree of `rootOrder` at `treeBase`, as the allocator does. */
  walk(
    treeBase: number,
    rootOrder: number,
    visit: (block: number, order: number, node: number, used: boolean) => void,
  ) {
    walkTree(this.u32, this.words, treeBase, rootOrder, visit);
  }
}

/**
 * Verifies every block of the tree, and counts the free blocks of each order. The walk takes a node with a set bit
 * and both children clear for a used block, so what it must still check is that the nodes below each block are clear.
 */
function checkBlocks(bits: BitmapReader, place: BuddyHeapPlace, rootOrder: number, bitmapOrder: number): number[] {
  const { BITMAP_OFFSET } = BUDDY_FORMAT;
  const { treeBase, start } = place;
  const bitmap = bits.u32[(place.heapBase + BITMAP_OFFSET) >>> 2] as number;
  const bitmapEnd = bitmap + blockSize(bitmapOrder);
  const freeBlocks: number[] = [];
  let bitmapSeen = false;
  bits.walk(treeBase, rootOrder, (block, order, node, used) => {
    const below = 2 ** order - 1;
    const setBefore = bits.firstSet(node - below, node - 1);
    const set = setBefore !== -1 ? setBefore : bits.firstSet(node + 1, node + below);
    if (set !== -1) throw bits.corrupt(set, `set, but lies below the block at ${block}`);
    const end = block + blockSize(order);
    const overlapsBitmap = block < bitmapEnd && bitmap < end;
    if (!used) {
      if (block < start) throw bits.corrupt(node, `a free block at ${block} lies below the heap's start`);
      if (overlapsBitmap) throw bits.corrupt(node, `a free block at ${block} overlaps the bitmap`);
      freeBlocks[order] = (freeBlocks[order] ?? 0) + 1;
    } else if (block === bitmap && order === bitmapOrder) {
      bitmapSeen = true;
    } else if (end > start) {
      if (block < start) throw bits.corrupt(node, `a used block at ${block} straddles the heap's start`);
      if (overlapsBitmap) throw bits.corrupt(node, `a used block at ${block} overlaps the bitmap`);
    }
  });
  if (!bitmapSeen) throw new HeapCorruptionError(bitmap, `the bitmap is not a used block of order ${bitmapOrder}`);
  return freeBlocks;
}

/** True when the node of `order` at `block` is a free block: its bit is 0, and its parent and its buddy are set. */
function isFreeBlock(bits: BitmapReader, treeBase: number, block: number, order: number): boolean {
  const { NODE_UNIT_BITS } = BUDDY_FORMAT;
  const offset = block - treeBase;
  const node = offset / 2 ** NODE_UNIT_BITS + 2 ** order - 1;
  const isRight = Math.floor(offset / blockSize(order)) % 2 === 1;
  const parent = isRight ? node - 2 ** order : node + 2 ** order;
  const buddy = isRight ? node - 2 ** (order + 1) : node + 2 ** (order + 1);
  return bits.bit(node) === 0 && bits.bit(parent) === 1 && bits.bit(buddy) === 1;
}

/** Each free list holds exactly the tree's free blocks of its order, doubly linked, and the free mask says which. */
function checkFreeLists(
  u32: Uint32Array,
  bits: BitmapReader,
  place: BuddyHeapPlace,
  rootOrder: number,
  freeBlocks: number[],
): void {
  const { FREE_MASK_OFFSET, HEADS_OFFSET, MAX_BLOCK_ORDER, NEXT_OFFSET, PREV_OFFSET } = BUDDY_FORMAT;
  const { heapBase, treeBase, start } = place;
  const freeMaskAt = heapBase + FREE_MASK_OFFSET;
  const freeMask = u32[freeMaskAt >>> 2] as number;
  const treeEnd = treeBase + blockSize(rootOrder);
  if (freeMask >>> (MAX_BLOCK_ORDER + 1) !== 0) {
    throw new HeapCorruptionError(
      freeMaskAt,
      `free mask 0x${freeMask.toString(16)} has bits past order ${MAX_BLOCK_ORDER}`,
    );
  }
  for (let order = 0; order <= MAX_BLOCK_ORDER; order++) {
    const headAt = heapBase + HEADS_OFFSET + 4 * order;
    const head = u32[headAt >>> 2] as number;
    if ((head !== 0) !== (((freeMask >>> order) & 1) === 1)) {
      throw new HeapCorruptionError(
        freeMaskAt,
        `free mask bit ${order} disagrees with the list of order ${order}, whose head is ${head}`,
      );
    }
    const size = blockSize(order);
    const expected = freeBlocks[order] ?? 0;
    let count = 0;
    let previous = 0;
    for (let block = head; block !== 0; block = u32[(block + NEXT_OFFSET) >>> 2] as number) {
      const linkAt = previous === 0 ? headAt : previous + NEXT_OFFSET;
      if (count === expected) {
        throw new HeapCorruptionError(
          linkAt,
          `the free list of order ${order} holds more than the ${expected} free blocks of that order in the tree`,
        );
      }
      const inTree = block >= start && (block - treeBase) % size === 0 && block + size <= treeEnd;
      if (!inTree || order >= rootOrder || !isFreeBlock(bits, treeBase, block, order)) {
        throw new HeapCorruptionError(linkAt, `listed block ${block} is not a free block of order ${order}`);
      }
      const back = u32[(block + PREV_OFFSET) >>> 2] as number;
      if (back !== previous) {
        throw new HeapCorruptionError(block + PREV_OFFSET, `block ${block} links back to ${back}, not ${previous}`);
      }
      previous = block;
      count++;
    }
    if (count !== expected) {
      throw new HeapCorruptionError(
        headAt,
        `the free list of order ${order} holds ${count} blocks, the tree ${expected} free ones`,
      );
    }
  }
}
