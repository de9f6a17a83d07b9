import { describe, expect, it } from "vitest";
import { HeapCorruptionError } from "../../src/allocator/errors.js";
import { TLSF_CONTROL_SIZE, TLSF_FORMAT, type TlsfAllocator, tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";

const HEAP_BASE = 16;
/** Word offsets from heapBase, as the format in tlsf.ts draws them. */
const TAIL = HEAP_BASE + 8;
const FL_MAP = HEAP_BASE + 12;
const SL_MAPS = HEAP_BASE + 16;
const HEADS = HEAP_BASE + 116;

/**
 * A heap of used and free blocks, in address order: used 40, free 200, used 24, free 72, used 1000, and the free rest.
 * Returns the heap and the header address of every block.
 */
function sampleHeap(): { heap: TlsfAllocator; u32: () => Uint32Array; headers: number[] } {
  const memory = LinearMemory.create();
  const heap = tlsf(memory, { heapBase: HEAP_BASE });
  const ptrs = [40, 200, 24, 72, 1000].map((size) => heap.allocate(size));
  heap.free(ptrs[1] as number);
  heap.free(ptrs[3] as number);
  heap.check();
  const headers = ptrs.map((ptr) => ptr - 4);
  const rest = (ptrs[4] as number) - 4 + (memory.u32[((ptrs[4] as number) - 4) >>> 2] as number);
  headers.push(rest);
  return { heap, u32: () => memory.u32, headers };
}

/** The error check() throws, which must be a HeapCorruptionError. */
function corruption(heap: TlsfAllocator): HeapCorruptionError {
  try {
    heap.check();
  } catch (error) {
    expect(error).toBeInstanceOf(HeapCorruptionError);
    return error as HeapCorruptionError;
  }
  return expect.fail("check() passed a corrupt heap");
}

/** The list a free block of `size` bytes belongs to, as the format defines it. */
function listOf(size: number): number {
  if (size < 128) return size >>> 3;
  const power = 31 - Math.clz32(size);
  return 16 * (power - 6) + ((size >>> (power - 4)) & 15);
}

describe("tlsf check finds what is wrong and where", () => {
  it("a victim that is listed, used, or not where a block is; and a reserved word that is not 0", () => {
    const { heap, u32, headers } = sampleHeap();
    const victimAt = HEAP_BASE + TLSF_FORMAT.VICTIM_OFFSET;
    u32()[victimAt >>> 2] = headers[1] as number;
    let error = corruption(heap);
    expect(error.offset).toBe(victimAt);
    expect(error.message).toMatch(/the victim \d+ is not a free block outside the lists/);
    for (const wrong of [headers[0], (headers[1] as number) + 8]) {
      u32()[victimAt >>> 2] = wrong as number;
      expect(corruption(heap).offset).toBe(victimAt);
    }
    u32()[victimAt >>> 2] = 0;
    u32()[(victimAt + 4) >>> 2] = 1;
    error = corruption(heap);
    expect(error.offset).toBe(victimAt + 4);
    u32()[(victimAt + 4) >>> 2] = 0;
    heap.check();
  });

  it("a tail that is not the last sentinel", () => {
    const { heap, u32, headers } = sampleHeap();
    const tail = u32()[TAIL >>> 2] as number;
    u32()[TAIL >>> 2] = headers[3] as number;
    let error = corruption(heap);
    expect(error.offset).toBe(headers[3]);
    expect(error.message).toMatch(/the tail \d+ is not a region sentinel/);
    u32()[TAIL >>> 2] = tail + 8;
    error = corruption(heap);
    expect(error.offset).toBe(TAIL);
  });

  it("a block size that runs past the heap", () => {
    const { heap, u32, headers } = sampleHeap();
    u32()[(headers[2] as number) >>> 2] = 1 << 24;
    const error = corruption(heap);
    expect(error.offset).toBe(headers[2]);
    expect(error.message).toMatch(/does not fit the heap/);
  });

  it("a previous-free bit that disagrees with the block before", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    words[(headers[2] as number) >>> 2] = (words[(headers[2] as number) >>> 2] as number) & ~2;
    const error = corruption(heap);
    expect(error.offset).toBe(headers[2]);
    expect(error.message).toMatch(/previous-free bit .* the block before is free/);
  });

  it("a free block whose back link does not point at it", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    const block = headers[1] as number;
    const size = (words[block >>> 2] as number) & ~7;
    words[(block + size - 4) >>> 2] = block + 8;
    const error = corruption(heap);
    expect(error.offset).toBe(block + size - 4);
    expect(error.message).toMatch(/back link/);
  });

  it("two free blocks side by side", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    // Mark the used block between two free ones free, with a back link, as an unmerged free would leave it.
    const block = headers[2] as number;
    const size = words[block >>> 2] as number;
    words[block >>> 2] = size | 1 | 2;
    words[(block + size - 4) >>> 2] = block;
    const next = headers[3] as number;
    words[next >>> 2] = (words[next >>> 2] as number) | 2;
    const error = corruption(heap);
    expect(error.offset).toBe(block);
    expect(error.message).toMatch(/not merged/);
  });

  it("a first-level bit without a second-level map, and the other way round", () => {
    const { heap, u32 } = sampleHeap();
    const words = u32();
    const flMap = words[FL_MAP >>> 2] as number;
    const empty = [...Array(25).keys()].find((level) => (flMap & (1 << level)) === 0) as number;
    words[FL_MAP >>> 2] = flMap | (1 << empty);
    const error = corruption(heap);
    expect(error.offset).toBe(SL_MAPS + 4 * empty);
    expect(error.message).toMatch(/first-level bit \d+ disagrees/);
    words[FL_MAP >>> 2] = flMap | (1 << 30);
    expect(corruption(heap).message).toMatch(/bits beyond level 24/);
  });

  it("a list bit that disagrees with the list's head", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    const list = listOf((words[(headers[1] as number) >>> 2] as number) & ~7);
    const slMapAt = SL_MAPS + 4 * (list >>> 4);
    words[slMapAt >>> 2] = (words[slMapAt >>> 2] as number) ^ (1 << (list & 15)) ^ (1 << ((list + 1) & 15));
    const error = corruption(heap);
    expect(error.message).toMatch(/bitmap bit of list \(\d+, \d+\) disagrees with its head/);
  });

  it("a free block in no list", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    const block = headers[3] as number;
    const list = listOf((words[block >>> 2] as number) & ~7);
    // Take it off its list (it is alone there) and clear the list's bits.
    expect(words[(HEADS + 4 * list) >>> 2]).toBe(block);
    words[(HEADS + 4 * list) >>> 2] = 0;
    const slMapAt = SL_MAPS + 4 * (list >>> 4);
    words[slMapAt >>> 2] = (words[slMapAt >>> 2] as number) & ~(1 << (list & 15));
    if (words[slMapAt >>> 2] === 0) words[FL_MAP >>> 2] = (words[FL_MAP >>> 2] as number) & ~(1 << (list >>> 4));
    const error = corruption(heap);
    expect(error.offset).toBe(block);
    expect(error.message).toMatch(/in no list/);
  });

  it("a list holding a used block, a block twice, or a block of another class", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    const free = headers[1] as number;
    const list = listOf((words[free >>> 2] as number) & ~7);
    // Its next link points at a used block.
    words[(free >>> 2) + 1] = headers[2] as number;
    expect(corruption(heap).message).toMatch(/not a free block or listed twice/);
    // Its next link points back at itself: a cycle.
    words[(free >>> 2) + 1] = free;
    expect(corruption(heap).message).toMatch(/listed twice/);
    words[(free >>> 2) + 1] = 0;
    heap.check();
    // Moved to the list of another class, bits and all.
    const other = list + 1;
    words[(HEADS + 4 * list) >>> 2] = 0;
    words[(HEADS + 4 * other) >>> 2] = free;
    const slMapAt = SL_MAPS + 4 * (list >>> 4);
    words[slMapAt >>> 2] = ((words[slMapAt >>> 2] as number) & ~(1 << (list & 15))) | (1 << (other & 15));
    const error = corruption(heap);
    expect(error.offset).toBe(free);
    expect(error.message).toMatch(/which belongs in/);
  });

  it("a previous link that does not lead back", () => {
    const { heap, u32, headers } = sampleHeap();
    const words = u32();
    words[((headers[1] as number) >>> 2) + 2] = headers[3] as number;
    const error = corruption(heap);
    expect(error.offset).toBe((headers[1] as number) + 8);
    expect(error.message).toMatch(/links back to/);
  });

  it("a sentinel marked free", () => {
    const { heap, u32 } = sampleHeap();
    const words = u32();
    const tail = words[TAIL >>> 2] as number;
    words[tail >>> 2] = (words[tail >>> 2] as number) | 1;
    const error = corruption(heap);
    expect(error.offset).toBe(tail);
    expect(error.message).toMatch(/sentinel .* marked free/);
  });

  it("a heap that is not a TLSF heap at all", () => {
    const { heap, u32 } = sampleHeap();
    u32()[HEAP_BASE >>> 2] = 0;
    const error = corruption(heap);
    expect(error.offset).toBe(HEAP_BASE);
    expect(TLSF_CONTROL_SIZE).toBeGreaterThan(0);
  });
});
