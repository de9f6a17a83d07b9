import { describe, expect, it } from "vitest";
import { ARENA_FORMAT, ARENA_STATE_SIZE } from "../../src/allocator/arena.js";
import type { Allocator } from "../../src/allocator/contract.js";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { TLSF_CONTROL_SIZE } from "../../src/allocator/tlsf.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import * as arena from "../../src/standalone/arena.js";
import * as buddy from "../../src/standalone/buddy.js";
import type { StandaloneHeap } from "../../src/standalone/standalone-heap.js";
import * as tlsf from "../../src/standalone/tlsf.js";

/** What each ready-made heap does beyond the part they share: where its first block lands, and how it frees. */
interface Case {
  heap: StandaloneHeap<Allocator>;
  /** The first block after a reset, where the heap's format fixes it. */
  firstBlock?: number;
  /** Given a first block of 10 bytes and a second of 100,000, checks what freeing them does. */
  frees(first: number, second: number): void;
}

const cases: Record<string, Case> = {
  arena: {
    heap: arena,
    firstBlock: arena.HEAP_BASE + ARENA_STATE_SIZE + ARENA_FORMAT.BLOCK_OVERHEAD,
    frees(first, second) {
      expect(second).toBe(first + 16);
      // An arena frees only all at once: freeing a block gives nothing back, and the next block comes after, past
      // the 100,000 bytes, their header and the rounding of both to 8.
      arena.free_memory(first);
      arena.free_memory(second);
      expect(arena.allocate_memory(1)).toBe(second + 100_000 + ARENA_FORMAT.BLOCK_OVERHEAD + 4);
    },
  },
  tlsf: {
    heap: tlsf,
    firstBlock: tlsf.HEAP_BASE + TLSF_CONTROL_SIZE + 4,
    frees(first, second) {
      tlsf.free_memory(first);
      expect(tlsf.allocate_memory(10)).toBe(first);
      tlsf.free_memory(first);
      tlsf.free_memory(second);
      expect(() => tlsf.free_memory(second)).toThrow(AllocationTrap);
    },
  },
  buddy: {
    heap: buddy,
    frees(first, second) {
      // 100,000 bytes take a block of 128 KiB, aligned to its size.
      expect(second % 131072).toBe(0);
      buddy.free_memory(first);
      buddy.free_memory(second);
      expect(() => buddy.free_memory(first)).toThrow(AllocationTrap);
    },
  },
};

describe.each(Object.entries(cases))("linmem/allocator/%s", (_name, { heap, firstBlock, frees }) => {
  it("allocates, frees and resets on a memory of its own, right after the null-pointer reserve", () => {
    expect(heap.memory).toBeInstanceOf(LinearMemory);
    expect(heap.allocator.memory).toBe(heap.memory);
    expect(heap.HEAP_BASE).toBe(8);
    expect(heap.allocator.heapBase).toBe(heap.HEAP_BASE);
    heap.reset_memory();
    const first = heap.allocate_memory(10);
    if (firstBlock !== undefined) expect(first).toBe(firstBlock);
    const second = heap.allocate_memory(100_000);
    expect(heap.memory.byteLength).toBeGreaterThanOrEqual(second + 100_000);
    heap.free_memory(0);
    frees(first, second);
    heap.allocator.check();
    heap.reset_memory();
    expect(heap.allocator.stats().blocksInUse).toBe(0);
    expect(heap.allocator.stats().bytesFree).toBeGreaterThan(PAGE_SIZE);
    expect(heap.allocate_memory(10)).toBe(first);
    expect(heap.allocator.stats().blocksInUse).toBe(1);
    heap.allocator.check();
  });
});
