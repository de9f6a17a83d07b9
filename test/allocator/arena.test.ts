import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_FORMAT, ARENA_STATE_SIZE, type ArenaAllocator, arena } from "../../src/allocator/arena.js";

const { BLOCK_OVERHEAD, TOP_OFFSET } = ARENA_FORMAT;

import type { BlockInfo } from "../../src/allocator/contract.js";
import { AllocationTrap, HeapCorruptionError } from "../../src/allocator/errors.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { expectRefused, HeapModel, hugeSizes, runWorkload, workloads } from "../support/heap-model.js";

describe("arena", () => {
  it("keeps the contract through random workloads: aligned, disjoint, bytes kept, check passing", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 64 }), workloads({ aligned: true }), (base, workload) => {
        const model = new HeapModel(arena(LinearMemory.create(), { heapBase: base * 8 }));
        runWorkload(model, workload);
      }),
      { numRuns: 200 },
    );
  });

  it("bumps: each block follows the previous one, its size word before it, rounded to 8", () => {
    const heap = arena(LinearMemory.create(), { heapBase: 24 });
    const first = heap.allocate(5);
    expect(first).toBe(24 + ARENA_STATE_SIZE + BLOCK_OVERHEAD);
    expect(heap.allocate(0)).toBe(first + 16);
    expect(heap.allocate(0)).toBe(first + 24);
    expect(heap.allocate(12)).toBe(first + 32);
    expect(heap.allocate(1, 64)).toBe(128);
    expect(heap.usableSize(first)).toBe(12);
    expect(heap.usableSize(first + 16)).toBe(4);
  });

  it("walks its blocks: the padding before an aligned block and freed blocks are not in use", () => {
    const heap = arena(LinearMemory.create(), { heapBase: 8 });
    const a = heap.allocate(20);
    const b = heap.allocate(8, 256);
    heap.free(a);
    const blocks: BlockInfo[] = [];
    heap.walk((block) => blocks.push(block));
    expect(blocks).toEqual([
      { ptr: a, size: 20, used: false },
      { ptr: a + 24, size: b - a - 28, used: false },
      { ptr: b, size: 12, used: true },
    ]);
    expect(heap.stats()).toMatchObject({ blocksInUse: 1, bytesInUse: 12, heapEnd: b + 12 });
  });

  it("resizes the last block where it is, keeps a large enough block, and moves the others", () => {
    const heap = arena(LinearMemory.create(), { heapBase: 8 });
    const model = new HeapModel(heap);
    const first = model.allocate(40);
    const last = model.allocate(10);
    expect(model.reallocate(last, 3 * PAGE_SIZE)).toBe(last);
    expect(model.reallocate(last, 1)).toBe(last);
    expect(heap.stats().heapEnd).toBe(last + 4);
    expect(model.reallocate(first, 44)).toBe(first);
    const moved = model.reallocate(first, 45);
    expect(moved).toBe(last + 8);
    expect(() => heap.free(first)).toThrow(/already free/);
    model.verifyAll();
  });

  it("starts over on reset, and free releases nothing", () => {
    const heap = arena(LinearMemory.create());
    const first = heap.allocate(100);
    const second = heap.allocate(100);
    heap.free(first);
    expect(heap.allocate(100)).toBeGreaterThan(second);
    heap.reset();
    expect(heap.allocate(100)).toBe(first);
    expect(heap.stats().blocksInUse).toBe(1);
  });

  it("grows memory on demand, even for a heap that starts beyond its end", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    const heap = arena(memory, { heapBase: 3 * PAGE_SIZE });
    expect(memory.byteLength).toBeGreaterThanOrEqual(3 * PAGE_SIZE + ARENA_STATE_SIZE);
    const ptr = heap.allocate(5 * PAGE_SIZE);
    expect(memory.byteLength).toBeGreaterThanOrEqual(ptr + 5 * PAGE_SIZE);
    heap.check();
  });

  it("hands out blocks up to 1 GiB", () => {
    fc.assert(
      fc.property(hugeSizes, (size) => {
        const model = new HeapModel(arena(LinearMemory.create()));
        model.allocate(16);
        model.allocate(size);
        model.allocate(16);
        model.verifyAll();
      }),
      { numRuns: 3 },
    );
  });

  it("reports its shape", () => {
    const memory = LinearMemory.create();
    const heap = arena(memory, { heapBase: 16 });
    heap.allocate(10);
    heap.allocate(0);
    heap.free(heap.allocate(100));
    expect(heap.stats()).toEqual({
      heapStart: 16,
      heapEnd: 16 + ARENA_STATE_SIZE + 128,
      bytesInUse: 16,
      bytesFree: PAGE_SIZE - (16 + ARENA_STATE_SIZE + 128),
      blocksInUse: 2,
      memorySize: PAGE_SIZE,
    });
  });
});

describe("arena refusals change nothing", () => {
  function usedHeap() {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 2 });
    const model = new HeapModel(arena(memory, { heapBase: 64 }));
    for (const size of [3, 100, 0, 4000]) model.allocate(size);
    return model;
  }

  it("OUT_OF_MEMORY when the memory cannot grow enough", () => {
    const model = usedHeap();
    const trap = expectRefused(model.allocator, () => model.allocator.allocate(2 * PAGE_SIZE), "OUT_OF_MEMORY");
    expect(trap.message).toMatch(/cannot grow/);
    model.verifyAll();
    expect(model.allocate(PAGE_SIZE)).toBeGreaterThan(0);
  });

  it("INVALID_POINTER for pointers it never handed out, DOUBLE_FREE for a block freed twice", () => {
    const model = usedHeap();
    const allocator = model.allocator as ArenaAllocator;
    const small = model.live[0]?.ptr as number;
    for (const ptr of [3, 64, 64 + ARENA_STATE_SIZE, allocator.stats().heapEnd, PAGE_SIZE * 4, -8, 100.5]) {
      expectRefused(allocator, () => allocator.free(ptr), "INVALID_POINTER");
    }
    // A pointer into a block: the word before it is the block's bytes, which the allocator never takes for a header.
    const zeroed = allocator.allocateZeroed(64);
    expectRefused(allocator, () => allocator.free(zeroed + 16), "INVALID_POINTER");
    expectRefused(allocator, () => allocator.usableSize(zeroed + 16), "INVALID_POINTER");
    model.free(small);
    expectRefused(allocator, () => allocator.free(small), "DOUBLE_FREE");
    expectRefused(allocator, () => allocator.reallocate(small, 8), "DOUBLE_FREE");
    model.verifyAll();
  });
});

describe("arena in memory", () => {
  it("shares one heap between instances attached to the same memory", () => {
    const memory = LinearMemory.create();
    const first = new HeapModel(arena(memory, { heapBase: 40 }));
    first.allocate(24);
    const second = arena.attach(memory, 40);
    expect(second.stats()).toEqual(first.allocator.stats());
    const model = new HeapModel(second);
    model.live.push(...first.live);
    model.allocate(8);
    first.allocate(8);
    model.live.push(first.live.at(-1) as (typeof model.live)[number]);
    model.verifyAll();
  });

  it("refuses to attach to anything but an arena", () => {
    const memory = LinearMemory.create();
    expect(() => arena.attach(memory, 8)).toThrow(HeapCorruptionError);
    expect(() => arena(memory, { heapBase: 12 })).toThrow(RangeError);
  });

  it("check names what is corrupt and where", () => {
    const memory = LinearMemory.create();
    const heap = arena(memory, { heapBase: 8 });
    const ptr = heap.allocate(16);
    const topAt = (8 + TOP_OFFSET) >>> 2;
    const top = memory.u32[topAt] as number;
    memory.u32[topAt] = 13;
    expect(() => heap.check()).toThrow(/heap corrupt at 16: top 13 is not 4 past a multiple of 8/);
    memory.u32[topAt] = PAGE_SIZE * 2 + 4;
    expect(() => heap.check()).toThrow(/beyond the end of memory/);
    memory.u32[topAt] = top;
    memory.u32[(ptr - 4) >>> 2] = 32;
    expect(() => heap.check()).toThrow(`heap corrupt at ${ptr - 4}: block ${ptr - 4} has size 32`);
    memory.u32[(ptr - 4) >>> 2] = 24 | 3;
    expect(() => heap.check()).toThrow(/has flags 3, which mean nothing/);
    memory.u32[(ptr - 4) >>> 2] = 24;
    heap.check();
    memory.u32[2] = 0;
    const error = (() => {
      try {
        heap.check();
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(HeapCorruptionError);
    expect((error as HeapCorruptionError).offset).toBe(8);
  });

  it("traps OUT_OF_MEMORY when even its state does not fit", () => {
    expect(() => arena(new ArrayBuffer(16), { heapBase: 8 })).toThrow(AllocationTrap);
  });
});
