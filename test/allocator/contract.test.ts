/**
 * What the contract asks of every allocator alike, tested once for each: the size and alignment rules, the original
 * model's names, and zeroed allocation. Each allocator's own file tests what is its own.
 */
import { describe, expect, it } from "vitest";
import { arena } from "../../src/allocator/arena.js";
import { buddy } from "../../src/allocator/buddy.js";
import type { Allocator, AllocatorFactory, BlockAllocator } from "../../src/allocator/contract.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { expectRefused, HeapModel } from "../support/heap-model.js";

const factories: [string, AllocatorFactory<Allocator>][] = [
  ["arena", arena],
  ["tlsf", tlsf],
  ["buddy", buddy],
];

describe.each(factories)("%s keeps the contract", (_name, factory) => {
  /** A heap with a few live blocks, in a memory that may grow to two pages. */
  function usedHeap(): HeapModel {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 2 });
    const model = new HeapModel(factory(memory, { heapBase: 64 }));
    for (const size of [3, 100, 0, 4000]) model.allocate(size);
    return model;
  }

  it("traps INVALID_SIZE, changing nothing, for negative, fractional, NaN, infinite and oversized requests", () => {
    const model = usedHeap();
    const { allocator } = model;
    for (const size of [-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_ALLOCATION + 1, 2 ** 32]) {
      expectRefused(allocator, () => allocator.allocate(size), "INVALID_SIZE");
      expectRefused(allocator, () => allocator.allocate(size, 64), "INVALID_SIZE");
    }
    model.verifyAll();
  });

  it("traps INVALID_ALIGNMENT, changing nothing, for alignments that are not powers of two from 8 to 65536", () => {
    const model = usedHeap();
    const { allocator } = model;
    for (const align of [0, 4, 12, 2 ** 17, 8.5, -8]) {
      expectRefused(allocator, () => allocator.allocate(8, align), "INVALID_ALIGNMENT");
    }
    model.verifyAll();
  });

  it("refuses a pointer into a block it handed out, changing nothing", () => {
    const model = usedHeap();
    const ptr = model.allocate(48);
    for (const inside of [ptr + 8, ptr + 16, ptr + 40]) {
      expectRefused(model.allocator, () => model.allocator.free(inside), "INVALID_POINTER");
    }
    model.verifyAll();
  });

  it("names a resize it cannot make as the resize, and changes nothing", () => {
    const model = usedHeap();
    const ptr = model.allocate(100);
    model.allocate(8);
    const heap = model.allocator as BlockAllocator;
    const trap = expectRefused(heap, () => heap.reallocate(ptr, 3 * PAGE_SIZE), "OUT_OF_MEMORY");
    expect(trap.message).toMatch(new RegExp(`^reallocate\\(${ptr}, ${3 * PAGE_SIZE}\\): `));
    model.verifyAll();
  });

  it("answers to the original model's names", () => {
    const heap = factory(LinearMemory.create());
    const ptr = heap.allocate_memory(10);
    heap.free_memory(ptr);
    heap.free_memory(0);
    heap.reset_memory();
    expect(heap.stats().blocksInUse).toBe(0);
    expect(heap.allocate_memory(10)).toBe(ptr);
  });

  it("zeroes what allocateZeroed returns, even over old bytes", () => {
    const heap = factory(LinearMemory.create());
    const dirty = heap.allocate(64);
    heap.memory.u8.fill(0xaa, dirty, dirty + 64);
    heap.reset();
    const clean = heap.allocateZeroed(64);
    expect(clean).toBe(dirty);
    expect(heap.memory.u8.subarray(clean, clean + 64).every((byte) => byte === 0)).toBe(true);
  });
});
