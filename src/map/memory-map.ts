/**
 * A heap's whole linear memory, as a picture shows it: what each byte from address 0 to the end of memory is. The
 * model is read from the allocator itself: its blocks from `walk()`, and where its own state lies from its format (the
 * TLSF control structure and region sentinels, the buddy allocator's bitmap and tree). Its figures are those `stats()`
 * gives, counted from the same walk. Nothing here changes the heap.
 *
 * Blocks and areas tile the memory, in address order, without a gap or an overlap. A block spans its header too (a
 * TLSF block begins with a 4-byte header, `blockOverhead` bytes before its pointer); an area is everything else:
 *
 *     null       the null-pointer reserve, addresses 0 to 7
 *     static     static data, from 8 up to the heap's base
 *     header     the 8 bytes every heap begins with: magic and lock
 *     state      the allocator's own state after the header (TLSF: its control structure; buddy: its list heads, up to
 *                the first block)
 *     bitmap     the buddy allocator's bitmap: a block of the tree that the heap keeps for itself
 *     sentinel   the 4-byte end of a TLSF region
 *     foreign    memory between two TLSF regions that someone else grew, and so not the heap's
 *     spare      memory after the heap's end that it has not taken yet (past the buddy allocator's tree)
 */
import type { BuddyAllocator } from "../allocator/buddy.js";
import { HEADER_SIZE } from "../allocator/heap-header.js";
import { TLSF_FORMAT, TlsfAllocator } from "../allocator/tlsf.js";
import { BlockList } from "./block-list.js";

export type AreaKind = "null" | "static" | "header" | "state" | "bitmap" | "sentinel" | "foreign" | "spare";

/** A stretch of memory that is not a block: `start` to `end`, one past its last byte. */
export interface Area {
  kind: AreaKind;
  start: number;
  end: number;
}

/** The figures a map shows beside the picture. Bytes, unless named otherwise. */
export interface HeapFigures {
  /** Live blocks, as `stats().blocksInUse` counts them. */
  blocksInUse: number;
  /** Usable bytes of the live blocks, as `stats().bytesInUse`. */
  bytesInUse: number;
  /** One past the highest byte in use, by a live block or the allocator's state, less the heap's base: `stats()`'s. */
  footprint: number;
  memorySize: number;
  /** Free blocks, as `walk()` reports them. */
  freeBlocks: number;
  /** Usable bytes of the free blocks. */
  freeBytes: number;
  /** Usable bytes of the largest free block: the largest request that needs no growth. */
  largestFree: number;
  /** 1 - largestFree / freeBytes: 0 when all free memory is one block (or there is none), towards 1 as it splinters. */
  fragmentation: number;
}

export interface MemoryMap {
  /** The allocator's name: "tlsf" or "buddy". */
  allocator: string;
  memorySize: number;
  heapBase: number;
  /** The bytes of a block before its pointer: its header. A block spans `ptr - blockOverhead` to `ptr + size`. */
  blockOverhead: number;
  /** Every block, free and used, in address order, as `walk()` reports it. */
  blocks: BlockList;
  /** Everything that is not a block, in address order. */
  areas: Area[];
  figures: HeapFigures;
}

/** The allocators a map can be drawn of: those that can list their blocks and whose state the map knows. */
export type MappableAllocator = TlsfAllocator | BuddyAllocator;

/** A TLSF block's header, before its pointer; a region's end sentinel is a header too. */
const TLSF_BLOCK_OVERHEAD = TLSF_FORMAT.BLOCK_OVERHEAD;
/** The null-pointer reserve: addresses 0 to 7, before static data. */
const NULL_RESERVE = 8;

/** The map of `allocator`'s memory as it is now. */
export function mapMemory(allocator: MappableAllocator): MemoryMap {
  const blocks = new BlockList();
  allocator.walk(blocks.add);
  const { ptrs, sizes } = blocks;
  const memorySize = allocator.memory.byteLength;
  const heapBase = allocator.heapBase;
  const areas = new AreaList(heapBase);
  let blockOverhead: number;
  if (allocator instanceof TlsfAllocator) {
    blockOverhead = TLSF_BLOCK_OVERHEAD;
    areas.add("state", allocator.stateEnd());
    // Blocks tile each region; a region ends with its sentinel, a header of its own, and what lies between regions is
    // someone else's.
    for (let index = 0; index < blocks.length; index++) {
      const ptr = ptrs[index] as number;
      if (ptr - TLSF_BLOCK_OVERHEAD > areas.end) {
        areas.add("sentinel", areas.end + TLSF_BLOCK_OVERHEAD);
        areas.add("foreign", ptr - TLSF_BLOCK_OVERHEAD);
      }
      areas.skipTo(ptr + (sizes[index] as number));
    }
    areas.add("sentinel", areas.end + TLSF_BLOCK_OVERHEAD);
  } else {
    blockOverhead = 0;
    areas.add("state", allocator.start);
    const bitmap = allocator.bitmap();
    // The tree is tiled by the blocks `walk` reports and by the bitmap, the one block it leaves out.
    for (let index = 0; index < blocks.length; index++) {
      const ptr = ptrs[index] as number;
      if (ptr > areas.end) areas.add(areas.end === bitmap.ptr ? "bitmap" : "state", ptr);
      areas.skipTo(ptr + (sizes[index] as number));
    }
    const treeEnd = allocator.treeEnd();
    if (treeEnd > areas.end) areas.add(areas.end === bitmap.ptr ? "bitmap" : "state", treeEnd);
  }
  areas.add("spare", memorySize);
  return {
    allocator: allocator.name,
    memorySize,
    heapBase,
    blockOverhead,
    blocks,
    areas: areas.list,
    figures: heapFigures(allocator, blocks, memorySize),
  };
}

/**
 * The figures, from the blocks `walk()` reported and the end of the allocator's state: the same as `stats()` gives for
 * what both tell (blocks and bytes in use, footprint), without a second pass over the heap.
 */
function heapFigures(allocator: MappableAllocator, blocks: BlockList, memorySize: number): HeapFigures {
  let blocksInUse = 0;
  let bytesInUse = 0;
  let heapEnd = allocator.stateEnd();
  let freeBlocks = 0;
  let freeBytes = 0;
  let largestFree = 0;
  const { ptrs, sizes, used } = blocks;
  for (let index = 0; index < blocks.length; index++) {
    const size = sizes[index] as number;
    if (used[index] === 1) {
      blocksInUse++;
      bytesInUse += size;
      const end = (ptrs[index] as number) + size;
      if (end > heapEnd) heapEnd = end;
    } else {
      freeBlocks++;
      freeBytes += size;
      if (size > largestFree) largestFree = size;
    }
  }
  return {
    blocksInUse,
    bytesInUse,
    footprint: heapEnd - allocator.heapBase,
    memorySize,
    freeBlocks,
    freeBytes,
    largestFree,
    fragmentation: freeBytes === 0 ? 0 : 1 - largestFree / freeBytes,
  };
}

/** Areas laid down in address order, from 0: the null reserve, static data and the heap's header come first. */
class AreaList {
  readonly list: Area[] = [];
  /** Where the next area or block begins. */
  end = 0;

  constructor(heapBase: number) {
    if (heapBase >= NULL_RESERVE) this.add("null", NULL_RESERVE);
    this.add("static", heapBase);
    this.add("header", heapBase + HEADER_SIZE);
  }

  /** An area from the current end up to `end`; nothing when it would be empty. */
  add(kind: AreaKind, end: number): void {
    if (end <= this.end) return;
    this.list.push({ kind, start: this.end, end });
    this.end = end;
  }

  /** Moves past a block, which ends at `end`. */
  skipTo(end: number): void {
    this.end = end;
  }
}
