import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BlockInfo } from "../../src/allocator/contract.js";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { TLSF_CONTROL_SIZE, TLSF_FORMAT, type TlsfAllocator, tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { expectRefused, HeapModel, hugeSizes, runWorkload, workloads } from "../support/heap-model.js";

/** Every block the heap holds, in address order. */
function blocks(heap: TlsfAllocator): BlockInfo[] {
  const all: BlockInfo[] = [];
  heap.walk((block) => all.push(block));
  return all;
}

/** Request sizes just around the lower bounds of the size classes, where rounding changes class. */
const nearClassBounds: fc.Arbitrary<number> = fc
  .tuple(fc.integer({ min: 4, max: 22 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: -20, max: 12 }))
  .map(([power, slice, offset]) => Math.max(0, 2 ** power + slice * 2 ** Math.max(power - 4, 3) - 4 + offset));

/** A heap whose memory cannot grow beyond `pages`, with a few live blocks. */
function boundedHeap(pages = 2): HeapModel {
  const memory = LinearMemory.create({ initialPages: 1, maximumPages: pages });
  const model = new HeapModel(tlsf(memory, { heapBase: 64 }));
  for (const size of [3, 100, 0, 4000, 24]) model.allocate(size);
  return model;
}

describe("tlsf keeps the contract", () => {
  it("through random workloads of allocate, aligned allocate, free, reallocate and reset", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 64 }),
        workloads({ aligned: true, reallocate: true, maxLength: 80 }),
        (base, workload) => {
          const model = new HeapModel(tlsf(LinearMemory.create(), { heapBase: base * 8 }));
          runWorkload(model, workload);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("with sizes around the class bounds", () => {
    const steps = fc.array(
      fc.oneof(
        nearClassBounds.map((size) => ({ kind: "allocate" as const, size })),
        fc.nat().map((pick) => ({ kind: "free" as const, pick })),
        fc.record({ kind: fc.constant("reallocate" as const), pick: fc.nat(), size: nearClassBounds }),
      ),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(steps, (workload) => {
        const model = new HeapModel(tlsf(LinearMemory.create()));
        runWorkload(model, workload);
        for (const block of model.live) {
          expect((model.allocator as TlsfAllocator).usableSize(block.ptr)).toBeGreaterThanOrEqual(block.size);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("hands out blocks up to 1 GiB, exactly 1 GiB and 512 MiB included, and takes them back", () => {
    fc.assert(
      fc.property(fc.oneof(hugeSizes, fc.constantFrom(MAX_ALLOCATION, MAX_ALLOCATION / 2)), (size) => {
        const model = new HeapModel(tlsf(LinearMemory.create()));
        model.allocate(16);
        const huge = model.allocate(size);
        model.allocate(16);
        expect((model.allocator as TlsfAllocator).usableSize(huge)).toBeGreaterThanOrEqual(size);
        model.verifyAll();
        model.free(huge);
        model.verifyAll();
        // The block freed is found again for the same size, without growing.
        const memorySize = model.allocator.memory.byteLength;
        expect(model.allocate(size)).toBe(huge);
        expect(model.allocator.memory.byteLength).toBe(memorySize);
        model.verifyAll();
      }),
      { numRuns: 4 },
    );
  });

  it("finds a freed block again for the same size, even when the memory cannot grow", () => {
    const request = fc.oneof(
      fc.integer({ min: 0, max: 600 }),
      nearClassBounds.filter((size) => size < 16384),
    );
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 200 }), fc.nat(), (sizes, choice) => {
        const heap = tlsf(LinearMemory.create({ initialPages: 1, maximumPages: 1 }), { heapBase: 8 });
        const live: { ptr: number; size: number }[] = [];
        // Fill the heap until it refuses, cycling through the sizes.
        for (let i = 0; ; i++) {
          const size = sizes[i % sizes.length] as number;
          try {
            live.push({ ptr: heap.allocate(size), size });
          } catch (error) {
            expect((error as AllocationTrap).code).toBe("OUT_OF_MEMORY");
            break;
          }
        }
        const victim = live[choice % live.length] as { ptr: number; size: number };
        heap.free(victim.ptr);
        expect(heap.allocate(victim.size)).toBe(victim.ptr);
        heap.check();
      }),
      { numRuns: 60 },
    );
  });
});

describe("tlsf allocation", () => {
  it("lays out its documented format on a fresh heap", () => {
    const memory = LinearMemory.create();
    const heap = tlsf(memory, { heapBase: 24 });
    const u32 = memory.u32;
    const first = 24 + TLSF_CONTROL_SIZE;
    const tail = PAGE_SIZE - 4;
    expect(TLSF_CONTROL_SIZE).toBe(1724);
    expect(new TextDecoder().decode(memory.u8.subarray(24, 28))).toBe("TLS2");
    expect(u32[(24 + 4) >>> 2]).toBe(0);
    expect(u32[(24 + 8) >>> 2]).toBe(tail);
    // One free block spans the region: size | F, its back link at its end, and the sentinel after it says P | S.
    expect(u32[first >>> 2]).toBe((tail - first) | 1);
    expect(u32[(tail - 4) >>> 2]).toBe(first);
    expect(u32[tail >>> 2]).toBe(2 | 4);
    // Exactly one list holds it, and the bitmaps say so.
    const flMap = u32[(24 + 12) >>> 2] as number;
    expect(flMap & (flMap - 1)).toBe(0);
    const firstLevel = 31 - Math.clz32(flMap);
    const slMap = u32[((24 + 16) >>> 2) + firstLevel] as number;
    expect(slMap & (slMap - 1)).toBe(0);
    const list = 16 * firstLevel + (31 - Math.clz32(slMap));
    expect(u32[((24 + 116) >>> 2) + list]).toBe(first);
    // The state ends where the first block begins: an empty heap's end, the floor of its footprint.
    expect(heap.stateEnd()).toBe(first);
    expect(heap.stats().heapEnd).toBe(first);
    expect(heap.allocate(1)).toBe(first + 4);
  });

  it("spends a 4-byte header per block, in 8-byte steps, and gives allocate(0) a block of its own", () => {
    const heap = tlsf(LinearMemory.create());
    const first = heap.allocate(0);
    const second = heap.allocate(0);
    expect(second - first).toBe(16);
    expect(heap.usableSize(first)).toBe(12);
    const a = heap.allocate(20);
    const b = heap.allocate(21);
    expect(b - a).toBe(24);
    expect(heap.usableSize(a)).toBe(20);
    expect(heap.usableSize(b)).toBe(28);
  });

  it("rounds a large request up to its class, and no further", () => {
    const heap = tlsf(LinearMemory.create());
    for (let size = 100; size < 100_000; size = Math.ceil(size * 1.37)) {
      const ptr = heap.allocate(size);
      const usable = heap.usableSize(ptr);
      expect(usable).toBeGreaterThanOrEqual(size);
      // A class spans 1/16 of its power of two; with the header and the step of 8 that bounds the rounding.
      expect(usable - size).toBeLessThan(size / 16 + 16);
    }
    heap.check();
  });

  it("aligns to any power of two from 8 to 65536, keeping the gap as a free block", () => {
    for (let align = 8; align <= 65536; align *= 2) {
      const heap = tlsf(LinearMemory.create({ initialPages: 4 }));
      const before = blocks(heap);
      heap.allocate(40);
      const plain = heap.allocate(100);
      const ptr = heap.allocate(100, align);
      expect(ptr % align).toBe(0);
      expect(heap.usableSize(ptr) - heap.usableSize(plain)).toBeLessThan(16);
      heap.check();
      // Whatever the alignment skipped went back to the lists: freeing everything restores the empty heap.
      heap.reset();
      expect(blocks(heap)).toEqual(before);
      const lone = heap.allocate(100, align);
      heap.free(lone);
      expect(blocks(heap)).toEqual(before);
    }
  });
});

describe("the designated victim", () => {
  /** A heap whose 1,000-byte block was freed, between used blocks, then split by a request of 100 bytes. */
  function splitHeap() {
    const memory = LinearMemory.create();
    const heap = tlsf(memory, { heapBase: 8 });
    const model = new HeapModel(heap);
    const big = model.allocate(1000);
    model.allocate(24);
    model.free(big);
    const first = model.allocate(100);
    const victim = () => memory.u32[(8 + TLSF_FORMAT.VICTIM_OFFSET) >>> 2] as number;
    return { heap, model, memory, big, first, victim };
  }

  it("is what was left of a block split off a larger class, in no list, and the next requests are carved from it", () => {
    const { model, big, first, victim } = splitHeap();
    expect(first).toBe(big);
    expect(victim()).toBe(first - 4 + 104);
    const second = model.allocate(100);
    expect(second).toBe(first + 104);
    expect(victim()).toBe(second - 4 + 104);
    model.verifyAll();
  });

  it("takes in a block freed next to it", () => {
    const { model, first, victim } = splitHeap();
    model.free(first);
    expect(victim()).toBe(first - 4);
    model.verifyAll();
  });

  it("goes to its list when a larger class is split again", () => {
    const { heap, model, victim } = splitHeap();
    const old = victim();
    // A guard too large to be carved from the victim keeps the hole from merging with the end of the heap.
    const hole = model.allocate(3000);
    model.allocate(1000);
    model.free(hole);
    const taken = model.allocate(2000);
    expect(taken).toBe(hole);
    expect(victim()).toBe(hole - 4 + 2008);
    const free: number[] = [];
    heap.walk((block) => {
      if (!block.used) free.push(block.ptr - 4);
    });
    expect(free).toContain(old);
    model.verifyAll();
  });

  it("is never the end of a region, which is carved from in order anyway", () => {
    const memory = LinearMemory.create();
    const heap = tlsf(memory, { heapBase: 8 });
    for (let i = 0; i < 10; i++) heap.allocate(100);
    expect(memory.u32[(8 + TLSF_FORMAT.VICTIM_OFFSET) >>> 2]).toBe(0);
    heap.check();
  });
});

describe("tlsf free", () => {
  it("merges a freed block with free neighbours on both sides", () => {
    const heap = tlsf(LinearMemory.create());
    const [a, b, c, d] = [heap.allocate(30), heap.allocate(50), heap.allocate(70), heap.allocate(90)] as number[];
    heap.free(a as number);
    heap.free(c as number);
    expect(blocks(heap).filter((block) => !block.used)).toHaveLength(3);
    heap.free(b as number);
    const free = blocks(heap).filter((block) => !block.used);
    expect(free).toHaveLength(2);
    expect(free[0]?.ptr).toBe(a);
    expect((free[0] as BlockInfo).ptr + (free[0] as BlockInfo).size + 4).toBe(d);
    heap.check();
  });

  it("traps DOUBLE_FREE for a block freed twice, whether it stood alone or merged left or right", () => {
    const heap = tlsf(LinearMemory.create());
    const ptrs = Array.from({ length: 6 }, (_, i) => heap.allocate(8 * i + 5));
    const [alone, left, mergedLeft, mergedRight, right] = ptrs as number[];
    heap.free(alone as number);
    heap.free(left as number);
    heap.free(mergedLeft as number);
    heap.free(right as number);
    heap.free(mergedRight as number);
    for (const ptr of [alone, left, mergedLeft, mergedRight, right] as number[]) {
      expectRefused(heap, () => heap.free(ptr), "DOUBLE_FREE");
      expectRefused(heap, () => heap.reallocate(ptr, 8), "DOUBLE_FREE");
    }
  });

  it("traps DOUBLE_FREE for every free block and for pointers from before a reset", () => {
    fc.assert(
      fc.property(workloads({ aligned: true, reallocate: true }), (workload) => {
        const model = new HeapModel(tlsf(LinearMemory.create()));
        runWorkload(model, workload);
        const heap = model.allocator as TlsfAllocator;
        for (const block of blocks(heap).filter((info) => !info.used)) {
          expectRefused(heap, () => heap.free(block.ptr), "DOUBLE_FREE");
        }
        const old = model.live.map((block) => block.ptr);
        model.reset();
        for (const ptr of old) expectRefused(heap, () => heap.free(ptr), "DOUBLE_FREE");
      }),
      { numRuns: 40 },
    );
  });

  it("traps INVALID_POINTER for pointers outside the heap, misaligned, or not at a block", () => {
    const model = boundedHeap();
    const heap = model.allocator as TlsfAllocator;
    const zeroed = heap.allocateZeroed(64);
    const { heapBase } = heap;
    const tail = heap.memory.u32[(heapBase + 8) >>> 2] as number;
    const outside = [8, heapBase, heapBase + TLSF_CONTROL_SIZE, tail + 4, heap.memory.byteLength + 8, 2 ** 32];
    const malformed = [-8, 100.5, Number.NaN, zeroed + 4, zeroed + 8, zeroed + 32];
    for (const ptr of [...outside, ...malformed]) {
      expectRefused(heap, () => heap.free(ptr), "INVALID_POINTER");
      expectRefused(heap, () => heap.reallocate(ptr, 8), "INVALID_POINTER");
      expectRefused(heap, () => heap.usableSize(ptr), "INVALID_POINTER");
    }
    heap.free(0);
    model.verifyAll();
  });
});

describe("tlsf reallocate", () => {
  it("allocates when given 0", () => {
    const heap = tlsf(LinearMemory.create());
    const ptr = heap.reallocate(0, 40);
    expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(40);
    heap.check();
  });

  it("shrinks in place, freeing the rest, merged with a free neighbour", () => {
    const model = new HeapModel(tlsf(LinearMemory.create()));
    const heap = model.allocator as TlsfAllocator;
    const ptr = model.allocate(1000);
    const after = model.allocate(100);
    model.free(after);
    expect(model.reallocate(ptr, 100)).toBe(ptr);
    expect(heap.usableSize(ptr)).toBeLessThan(120);
    const next = blocks(heap).find((block) => block.ptr > ptr) as BlockInfo;
    expect(next.used).toBe(false);
    expect(next.ptr).toBe(ptr + heap.usableSize(ptr) + 4);
    model.verifyAll();
    // A shrink that leaves too little to stand as a block keeps the block as it is.
    const size = heap.usableSize(ptr);
    expect(model.reallocate(ptr, size - 4)).toBe(ptr);
    expect(heap.usableSize(ptr)).toBe(size);
  });

  it("grows in place into a free right neighbour", () => {
    const model = new HeapModel(tlsf(LinearMemory.create()));
    const ptr = model.allocate(100);
    const neighbour = model.allocate(500);
    model.allocate(8);
    model.free(neighbour);
    expect(model.reallocate(ptr, 400)).toBe(ptr);
    model.verifyAll();
    expect(model.reallocate(ptr, 604)).toBe(ptr);
    model.verifyAll();
  });

  it("moves when the right neighbour is used or too small, keeping the bytes", () => {
    const model = new HeapModel(tlsf(LinearMemory.create()));
    const ptr = model.allocate(100);
    model.allocate(8);
    const moved = model.reallocate(ptr, 5000);
    expect(moved).not.toBe(ptr);
    model.verifyAll();
    expect(blocks(model.allocator as TlsfAllocator).find((block) => block.ptr === ptr)?.used).toBe(false);
  });

  it("traps OUT_OF_MEMORY when it must move and cannot, leaving the old block untouched", () => {
    const model = boundedHeap(2);
    const ptr = model.allocate(30_000);
    model.allocate(10);
    expectRefused(model.allocator, () => (model.allocator as TlsfAllocator).reallocate(ptr, 100_000), "OUT_OF_MEMORY");
    model.verifyAll();
    expect(model.reallocate(ptr, 20)).toBe(ptr);
    model.verifyAll();
  });

  it("traps INVALID_SIZE and leaves the block as it was", () => {
    const model = boundedHeap();
    const ptr = (model.live[1] as { ptr: number }).ptr;
    for (const size of [-1, 2.5, Number.NaN, MAX_ALLOCATION + 1]) {
      expectRefused(model.allocator, () => (model.allocator as TlsfAllocator).reallocate(ptr, size), "INVALID_SIZE");
    }
    model.verifyAll();
  });
});

describe("tlsf refusals change nothing", () => {
  it("OUT_OF_MEMORY when the memory cannot grow enough, and the heap still serves what fits", () => {
    const model = boundedHeap(3);
    const { allocator } = model;
    expectRefused(allocator, () => allocator.allocate(3 * PAGE_SIZE), "OUT_OF_MEMORY");
    expectRefused(allocator, () => allocator.allocate(2 * PAGE_SIZE, 65536), "OUT_OF_MEMORY");
    model.verifyAll();
    // What growth can give is given: the memory grows to its maximum for a block that fits there.
    expect(model.allocate(2 * PAGE_SIZE)).toBeGreaterThan(0);
    expect(allocator.memory.pages).toBe(3);
    model.verifyAll();
  });

  it("OUT_OF_MEMORY when a fixed buffer has no room even for the control structure", () => {
    expect(() => tlsf(new ArrayBuffer(TLSF_CONTROL_SIZE + 16))).toThrow(AllocationTrap);
    const heap = tlsf(new ArrayBuffer(TLSF_CONTROL_SIZE + 64), { heapBase: 8 });
    expect(heap.allocate(30)).toBe(8 + TLSF_CONTROL_SIZE + 4);
    expectRefused(heap, () => heap.allocate(30), "OUT_OF_MEMORY");
  });
});

describe("tlsf growth", () => {
  it("grows on demand, extending the last block, and never fails right after growing", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 * PAGE_SIZE }), { minLength: 1, maxLength: 30 }), (sizes) => {
        const model = new HeapModel(tlsf(LinearMemory.create({ initialPages: 1 })));
        for (const size of sizes) model.allocate(size);
        model.verifyAll();
        for (const block of [...model.live]) model.free(block.ptr);
        // One region, and once empty, one free block.
        expect(blocks(model.allocator as TlsfAllocator)).toHaveLength(1);
      }),
      { numRuns: 50 },
    );
  });

  it("grows by exactly what a block needs when the maximum forbids doubling", () => {
    for (let pages = 2; pages <= 6; pages++) {
      const heap = tlsf(LinearMemory.create({ initialPages: 1, maximumPages: pages }));
      const size = (pages - 1) * PAGE_SIZE - 64;
      const ptr = heap.allocate(size);
      expect(heap.memory.pages).toBe(pages);
      expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(size);
    }
  });

  it("makes memory grown by someone else a gap, and its own new memory a region of its own", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    const model = new HeapModel(tlsf(memory, { heapBase: 16 }));
    const heap = model.allocator as TlsfAllocator;
    model.allocate(1000);
    model.allocate(20_000);
    // Another holder of the same WebAssembly.Memory grows it and fills its pages.
    const foreignStart = memory.byteLength;
    (memory.memory as WebAssembly.Memory).grow(2);
    const foreignEnd = memory.byteLength;
    memory.u8.fill(0xee, foreignStart, foreignEnd);
    const big = model.allocate(3 * PAGE_SIZE);
    expect(big).toBeGreaterThanOrEqual(foreignEnd);
    model.allocate(60_000);
    model.verifyAll();
    expect(memory.u8.subarray(foreignStart, foreignEnd).every((byte) => byte === 0xee)).toBe(true);
    for (const block of blocks(heap)) {
      expect(block.ptr + block.size <= foreignStart || block.ptr >= foreignEnd).toBe(true);
    }
    // Freed, the two regions stay apart; reset keeps both.
    for (const block of [...model.live]) model.free(block.ptr);
    expect(blocks(heap).map((block) => block.used)).toEqual([false, false]);
    model.reset();
    expect(blocks(heap)).toHaveLength(2);
    model.allocate(PAGE_SIZE);
    model.verifyAll();
    expect(memory.u8.subarray(foreignStart, foreignEnd).every((byte) => byte === 0xee)).toBe(true);
  });
});

describe("tlsf growth shared with others", () => {
  type Step = { kind: "allocate"; size: number } | { kind: "free"; pick: number } | { kind: "foreign"; pages: number };
  const steps: fc.Arbitrary<Step[]> = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 3 * PAGE_SIZE }).map((size) => ({ kind: "allocate" as const, size })),
      nearClassBounds.map((size) => ({ kind: "allocate" as const, size })),
      fc.nat().map((pick) => ({ kind: "free" as const, pick })),
      fc.integer({ min: 1, max: 2 }).map((pages) => ({ kind: "foreign" as const, pages })),
    ),
    { maxLength: 40 },
  );

  it("keeps the contract while another holder grows the memory, up to a maximum", () => {
    fc.assert(
      fc.property(steps, (workload) => {
        const memory = LinearMemory.create({ initialPages: 1, maximumPages: 16 });
        const model = new HeapModel(tlsf(memory, { heapBase: 8 }));
        const foreign: [number, number][] = [];
        for (const step of workload) {
          if (step.kind === "foreign") {
            const start = memory.byteLength;
            if (memory.pages + step.pages <= 16) {
              (memory.memory as WebAssembly.Memory).grow(step.pages);
              memory.u8.fill(0xee, start, memory.byteLength);
              foreign.push([start, memory.byteLength]);
            }
          } else if (step.kind === "free") {
            const block = model.pick(step.pick);
            if (block !== undefined) model.free(block.ptr);
          } else {
            try {
              model.allocate(step.size);
            } catch (error) {
              expect((error as AllocationTrap).code).toBe("OUT_OF_MEMORY");
              expectRefused(model.allocator, () => model.allocator.allocate(step.size), "OUT_OF_MEMORY");
            }
          }
          model.verifyAll();
          for (const [start, end] of foreign) {
            expect(memory.u8.subarray(start, end).every((byte) => byte === 0xee)).toBe(true);
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it("asks for the header and sentinel of a new region too, and traps cleanly when they do not fit", () => {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 3 });
    const heap = tlsf(memory, { heapBase: 8 });
    heap.allocate(60_000);
    (memory.memory as WebAssembly.Memory).grow(1);
    // The one page left cannot hold a block of 65,536 bytes once the new region's first header and sentinel take 8...
    expectRefused(heap, () => heap.allocate(65_532), "OUT_OF_MEMORY");
    // ...but holds one of 63,488, the class bound below.
    expect(heap.allocate(63_484)).toBe(2 * PAGE_SIZE + 8);
    heap.check();
  });
});

describe("tlsf in memory", () => {
  it("shares one heap between instances attached to the same memory, with no state of their own", () => {
    fc.assert(
      fc.property(workloads({ reallocate: true }), workloads({ reallocate: true }), (first, second) => {
        const memory = LinearMemory.create();
        const model = new HeapModel(tlsf(memory, { heapBase: 40 }));
        runWorkload(model, first);
        const other = tlsf.attach(memory, 40);
        expect(other.stats()).toEqual(model.allocator.stats());
        // The same model, driven through the second instance, then the first again.
        const shared = new HeapModel(other);
        shared.live.push(...model.live);
        runWorkload(shared, second);
        model.live.length = 0;
        model.live.push(...shared.live);
        model.allocate(3 * PAGE_SIZE);
        model.verifyAll();
        other.check();
      }),
      { numRuns: 40 },
    );
  });

  it("sees the memory another instance grew as its own heap's", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    const first = tlsf(memory);
    const second = tlsf.attach(memory, 8);
    const ptr = second.allocate(5 * PAGE_SIZE);
    second.free(ptr);
    const pages = memory.pages;
    expect(first.allocate(4 * PAGE_SIZE)).toBe(ptr);
    expect(memory.pages).toBe(pages);
    expect(blocks(first)).toEqual(blocks(second));
    first.check();
  });

  it("refuses to attach to anything but a sound TLSF heap", () => {
    const memory = LinearMemory.create();
    expect(() => tlsf.attach(memory, 8)).toThrow(/expected a "TLS2" heap/);
    const heap = tlsf(memory, { heapBase: 8 });
    heap.allocate(100);
    memory.u32[(8 + 8) >>> 2] = 12345;
    expect(() => tlsf.attach(memory, 8)).toThrow(/tail 12345/);
    expect(() => tlsf(memory, { heapBase: 12 })).toThrow(RangeError);
  });
});

describe("tlsf reports its heap", () => {
  it("walks every block in address order and reports stats that add up", () => {
    fc.assert(
      fc.property(workloads({ aligned: true, reallocate: true }), (workload) => {
        const model = new HeapModel(tlsf(LinearMemory.create(), { heapBase: 32 }));
        runWorkload(model, workload);
        const heap = model.allocator as TlsfAllocator;
        const all = blocks(heap);
        const start = 32 + TLSF_CONTROL_SIZE + 4;
        expect(all[0]?.ptr).toBe(start);
        for (let i = 1; i < all.length; i++) {
          const before = all[i - 1] as BlockInfo;
          expect((all[i] as BlockInfo).ptr).toBe(before.ptr + before.size + 4);
          expect(before.used || (all[i] as BlockInfo).used).toBe(true);
        }
        const last = all.at(-1) as BlockInfo;
        expect(last.ptr + last.size).toBe(heap.memory.byteLength - 4);
        const used = all.filter((block) => block.used);
        expect(used.map((block) => block.ptr).sort()).toEqual(model.live.map((block) => block.ptr).sort());
        const stats = heap.stats();
        expect(stats.blocksInUse).toBe(model.live.length);
        expect(stats.bytesInUse).toBe(used.reduce((sum, block) => sum + block.size, 0));
        expect(stats.bytesFree).toBe(all.reduce((sum, block) => sum + (block.used ? 0 : block.size), 0));
        const ends = used.map((block) => block.ptr + block.size);
        expect(stats.heapEnd).toBe(Math.max(32 + TLSF_CONTROL_SIZE, ...ends));
        expect(stats.heapStart).toBe(32);
        expect(stats.memorySize).toBe(heap.memory.byteLength);
      }),
      { numRuns: 60 },
    );
  });

  it("visits the heap as it was when walk was called, even if the visitor frees", () => {
    const heap = tlsf(LinearMemory.create());
    const ptrs = [heap.allocate(10), heap.allocate(20), heap.allocate(30)];
    const seen: number[] = [];
    heap.walk((block) => {
      seen.push(block.ptr);
      if (block.used) heap.free(block.ptr);
    });
    expect(seen.slice(0, 3)).toEqual(ptrs);
    expect(blocks(heap)).toHaveLength(1);
  });
});
