import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARENA_STATE_SIZE, arena } from "../../src/allocator/arena.js";
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

  it("bumps: each block follows the previous one, rounded to 8", () => {
    const heap = arena(LinearMemory.create(), { heapBase: 24 });
    const first = heap.allocate(5);
    expect(first).toBe(24 + ARENA_STATE_SIZE);
    expect(heap.allocate(0)).toBe(first + 8);
    expect(heap.allocate(0)).toBe(first + 16);
    expect(heap.allocate(9)).toBe(first + 24);
    expect(heap.allocate(1, 64)).toBe(128);
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
    expect(heap.stats()).toEqual({
      heapStart: 16,
      heapEnd: 16 + ARENA_STATE_SIZE + 24,
      bytesInUse: 24,
      bytesFree: PAGE_SIZE - (16 + ARENA_STATE_SIZE + 24),
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

  it("INVALID_POINTER for pointers it never handed out", () => {
    const model = usedHeap();
    const { allocator } = model;
    for (const ptr of [3, 64, allocator.stats().heapEnd, PAGE_SIZE * 4, -8, 100.5]) {
      expectRefused(allocator, () => allocator.free(ptr), "INVALID_POINTER");
    }
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
    heap.allocate(16);
    memory.u32[(8 + 8) >>> 2] = 13;
    expect(() => heap.check()).toThrow(/heap corrupt at 16: top 13 is not a multiple of 8/);
    memory.u32[(8 + 8) >>> 2] = PAGE_SIZE * 2;
    expect(() => heap.check()).toThrow(/beyond the end of memory/);
    memory.u32[(8 + 8) >>> 2] = 48;
    memory.u32[(8 + 12) >>> 2] = 100;
    expect(() => heap.check()).toThrow(/100 blocks cannot fit/);
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
