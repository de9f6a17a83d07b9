import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { arena } from "../../src/allocator/arena.js";
import { BUDDY_STATE_SIZE, type BuddyAllocator, buddy } from "../../src/allocator/buddy.js";
import type { BlockInfo } from "../../src/allocator/contract.js";
import { AllocationTrap, HeapCorruptionError } from "../../src/allocator/errors.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { expectRefused, HeapModel, hugeSizes, runWorkload, walked, workloads } from "../support/heap-model.js";

/** Heap bases: small ones, and ones around the 64 KiB boundary the tree is based on. */
const heapBases = fc.oneof(
  fc.integer({ min: 0, max: 64 }).map((words) => words * 8),
  fc.integer({ min: -40, max: 40 }).map((words) => PAGE_SIZE + words * 8),
);

/** The state's words as the heap reads them: root order, bitmap address, free mask. */
function stateOf(heap: BuddyAllocator) {
  const u32 = heap.memory.u32;
  const at = heap.heapBase >>> 2;
  return { rootOrder: u32[at + 2] as number, bitmap: u32[at + 3] as number, freeMask: u32[at + 4] as number };
}

describe("buddy", () => {
  it("keeps the contract through random workloads: aligned, resized, disjoint, bytes kept, check passing", () => {
    fc.assert(
      fc.property(heapBases, workloads({ aligned: true, reallocate: true }), (heapBase, workload) => {
        const model = new HeapModel(buddy(LinearMemory.create(), { heapBase }));
        runWorkload(model, workload);
      }),
      { numRuns: 150 },
    );
  });

  it("gives a request of exactly 2^k bytes a block of 2^k bytes: blocks carry no header", () => {
    const heap = buddy(LinearMemory.create());
    expect(heap.usableSize(heap.allocate(0))).toBe(16);
    expect(heap.usableSize(heap.allocate(1))).toBe(16);
    for (let k = 4; k <= 20; k++) {
      expect(heap.usableSize(heap.allocate(2 ** k)), `2^${k}`).toBe(2 ** k);
      expect(heap.usableSize(heap.allocate(2 ** k + 1)), `2^${k} + 1`).toBe(2 ** (k + 1));
    }
    heap.check();
  });

  it("splits a block into buddies and merges them back when both are free", () => {
    const heap = buddy(LinearMemory.create());
    const left = heap.allocate(16, 64);
    const right = heap.allocate(16);
    expect(right).toBe(left + 16);
    heap.free(left);
    expect(walked(heap)).toContainEqual({ ptr: left, size: 16, used: false });
    heap.free(right);
    // With both halves free, the 64-byte block split for `left` is whole again, or part of a larger free block.
    const merged = walked(heap).find((block) => block.ptr <= left && block.ptr + block.size > left);
    expect(merged?.used).toBe(false);
    expect(merged?.size).toBeGreaterThanOrEqual(64);
    heap.check();
  });

  it("aligns blocks to their size, so an aligned block wastes nothing", () => {
    const heap = buddy(LinearMemory.create(), { heapBase: 24 });
    for (let align = 8; align <= 65536; align *= 2) {
      const ptr = heap.allocate(24, align);
      expect(ptr % align, `aligned to ${align}`).toBe(0);
      expect(heap.usableSize(ptr)).toBe(32);
    }
    const { bytesInUse, blocksInUse } = heap.stats();
    expect(blocksInUse).toBe(14);
    expect(bytesInUse).toBe(14 * 32);
    heap.check();
  });

  it("tiles the tree with its blocks, in address order, from the heap's start", () => {
    fc.assert(
      fc.property(heapBases, workloads({ aligned: true, reallocate: true }), (heapBase, workload) => {
        const heap = buddy(LinearMemory.create(), { heapBase });
        runWorkload(new HeapModel(heap), workload);
        const { rootOrder, bitmap } = stateOf(heap);
        let expected = heap.start;
        for (const block of walked(heap)) {
          // The bitmap is a block of the tree too, but not one walk reports.
          if (expected === bitmap) expected += 16 * 2 ** (rootOrder - 6);
          expect(block.ptr).toBe(expected);
          expect((block.ptr - heap.treeBase) % block.size, "a block is aligned to its size in the tree").toBe(0);
          expected += block.size;
        }
        if (expected === bitmap) expected += 16 * 2 ** (rootOrder - 6);
        expect(expected).toBe(heap.treeBase + 16 * 2 ** rootOrder);
      }),
      { numRuns: 50 },
    );
  });

  it("reports its shape", () => {
    const memory = LinearMemory.create();
    const heap = buddy(memory, { heapBase: 16 });
    const empty = heap.stats();
    expect(empty.bytesInUse).toBe(0);
    expect(empty.blocksInUse).toBe(0);
    expect(empty.heapEnd).toBe(heap.start + 16);
    const small = heap.allocate(10);
    const large = heap.allocate(3000);
    const stats = heap.stats();
    expect(stats).toMatchObject({ heapStart: 16, bytesInUse: 16 + 4096, blocksInUse: 2, memorySize: PAGE_SIZE });
    expect(stats.heapEnd).toBe(Math.max(small + 16, large + 4096));
    // Everything else in the page can still be handed out, as the tree can double into it, but for the bitmap of a
    // tree of 64 KiB.
    expect(stats.bytesFree).toBe(PAGE_SIZE - heap.start - 16 - 4096 - PAGE_SIZE / 64);
  });

  it("starts over on reset, with the state of a new heap", () => {
    const heap = buddy(LinearMemory.create(), { heapBase: 40 });
    const fresh = buddy(LinearMemory.create(), { heapBase: 40 });
    for (let i = 0; i < 100; i++) heap.allocate(1000 * i);
    heap.reset();
    heap.check();
    expect(stateOf(heap)).toEqual(stateOf(fresh));
    const { bitmap, rootOrder } = stateOf(fresh);
    const stateAndBitmap = (h: BuddyAllocator) => [
      h.memory.u8.slice(h.heapBase, h.start),
      h.memory.u8.slice(bitmap, bitmap + 16 * 2 ** (rootOrder - 6)),
    ];
    expect(stateAndBitmap(heap)).toEqual(stateAndBitmap(fresh));
    expect(walked(heap)).toEqual(walked(fresh));
    expect(heap.stats()).toMatchObject({ bytesInUse: 0, blocksInUse: 0 });
  });
});

describe("buddy grows lazily", () => {
  /** The pages in which some byte differs from `before`. */
  function changedPages(before: Uint8Array, after: Uint8Array): number[] {
    const pages = new Set<number>();
    for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) pages.add(Math.floor(i / PAGE_SIZE));
    return [...pages];
  }

  it("touches one page to create a small heap and make its first allocation", () => {
    const memory = LinearMemory.create({ initialPages: 64 });
    memory.u8.fill(0xaa);
    const before = memory.u8.slice();
    const heap = buddy(memory, { heapBase: 8 });
    const ptr = heap.allocate(16);
    expect(changedPages(before, memory.u8)).toEqual([0]);
    const changedBytes = memory.u8.reduce((count, byte, i) => count + (byte !== before[i] ? 1 : 0), 0);
    expect(changedBytes).toBeLessThan(256);
    expect(ptr + 16).toBeLessThan(1024);
    expect(memory.byteLength).toBe(64 * PAGE_SIZE);
  });

  it("needs no more memory than the first page for a small heap", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    const heap = buddy(memory);
    for (let i = 0; i < 100; i++) heap.allocate(100);
    expect(memory.byteLength).toBe(PAGE_SIZE);
    expect(stateOf(heap).rootOrder).toBeLessThan(12);
  });

  it("doubles the tree and moves the bitmap as the heap grows, keeping every block", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    const model = new HeapModel(buddy(memory));
    const heap = model.allocator as BuddyAllocator;
    const orders: number[] = [];
    for (let i = 0; i < 200; i++) {
      model.allocate(500 + 37 * i);
      const { rootOrder } = stateOf(heap);
      if (orders.at(-1) !== rootOrder) orders.push(rootOrder);
    }
    model.verifyAll();
    expect(orders.length).toBeGreaterThan(4);
    const { rootOrder, bitmap } = stateOf(heap);
    expect(memory.byteLength).toBeGreaterThanOrEqual(heap.treeBase + 16 * 2 ** rootOrder);
    expect(memory.byteLength).toBeLessThanOrEqual(2 * (heap.treeBase + 16 * 2 ** rootOrder));
    expect(bitmap).toBeGreaterThan(heap.start);
  });

  it("grows a heap based beyond the end of memory, or just below a 64 KiB boundary", () => {
    for (const heapBase of [3 * PAGE_SIZE, 3 * PAGE_SIZE - 8, PAGE_SIZE - 64]) {
      const memory = LinearMemory.create({ initialPages: 1 });
      const model = new HeapModel(buddy(memory, { heapBase }));
      model.allocate(5 * PAGE_SIZE);
      model.allocate(16);
      model.allocate(1, 65536);
      model.verifyAll();
    }
  });

  it("hands out blocks up to 1 GiB", () => {
    fc.assert(
      fc.property(hugeSizes, (size) => {
        const model = new HeapModel(buddy(LinearMemory.create()));
        model.allocate(16);
        const huge = model.allocate(size);
        expect(huge % MAX_ALLOCATION).toBe(0);
        model.allocate(16);
        model.verifyAll();
      }),
      { numRuns: 2 },
    );
  });
});

describe("buddy reallocates", () => {
  it("shrinks in place, giving the upper halves back", () => {
    const model = new HeapModel(buddy(LinearMemory.create()));
    const heap = model.allocator as BuddyAllocator;
    const ptr = model.allocate(1000);
    expect(model.reallocate(ptr, 100)).toBe(ptr);
    expect(heap.usableSize(ptr)).toBe(128);
    expect(walked(heap)).toEqual(
      expect.arrayContaining([
        { ptr: ptr + 128, size: 128, used: false },
        { ptr: ptr + 256, size: 256, used: false },
        { ptr: ptr + 512, size: 512, used: false },
      ]),
    );
    model.verifyAll();
  });

  it("grows in place when the buddies to its right are free", () => {
    const model = new HeapModel(buddy(LinearMemory.create()));
    const heap = model.allocator as BuddyAllocator;
    const ptr = model.allocate(16, 4096);
    expect(model.reallocate(ptr, 2000)).toBe(ptr);
    expect(heap.usableSize(ptr)).toBe(2048);
    expect(model.reallocate(ptr, 4096)).toBe(ptr);
    model.verifyAll();
  });

  it("moves when a buddy it needs is in use", () => {
    const model = new HeapModel(buddy(LinearMemory.create()));
    const ptr = model.allocate(16, 4096);
    expect(model.allocate(16)).toBe(ptr + 16);
    const moved = model.reallocate(ptr, 100);
    expect(moved).not.toBe(ptr);
    expect(model.allocate(16)).toBe(ptr);
    model.verifyAll();
  });

  it("allocates for a null pointer", () => {
    const heap = buddy(LinearMemory.create());
    const ptr = heap.reallocate(0, 40);
    expect(heap.usableSize(ptr)).toBe(64);
    heap.check();
  });
});

describe("buddy frees safely", () => {
  function usedHeap() {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 2 });
    const model = new HeapModel(buddy(memory, { heapBase: 64 }));
    for (const size of [3, 100, 0, 4000, 16, 16, 700]) model.allocate(size);
    return model;
  }

  it("traps DOUBLE_FREE for a block freed twice, and never hands it out twice", () => {
    const model = new HeapModel(buddy(LinearMemory.create()));
    const { allocator } = model;
    const left = model.allocate(16, 4096);
    const right = model.allocate(16);
    model.free(right);
    expectRefused(allocator, () => allocator.free(right), "DOUBLE_FREE");
    expectRefused(allocator, () => allocator.free(right), "DOUBLE_FREE");
    // The model fails if a block is handed out while it is live.
    expect(model.allocate(16)).toBe(right);
    for (let i = 0; i < 20; i++) model.allocate(16);
    model.free(left);
    model.verifyAll();
  });

  it("traps DOUBLE_FREE for a freed block merged with its right buddy, INVALID_POINTER once it is merged into its left", () => {
    const model = new HeapModel(buddy(LinearMemory.create()));
    const { allocator } = model;
    const left = model.allocate(16, 4096);
    const right = model.allocate(16);
    expect(right).toBe(left + 16);
    model.free(left);
    expectRefused(allocator, () => allocator.free(left), "DOUBLE_FREE");
    model.free(right);
    // `left` now starts a large free block; `right` lies inside it.
    expectRefused(allocator, () => allocator.free(left), "DOUBLE_FREE");
    expectRefused(allocator, () => allocator.free(right), "INVALID_POINTER");
    model.verifyAll();
  });

  it("traps INVALID_POINTER for pointers into a block, into the state or the bitmap, and outside the heap", () => {
    const model = usedHeap();
    const { allocator } = model;
    const heap = allocator as BuddyAllocator;
    const large = model.live[3]?.ptr as number;
    const { rootOrder, bitmap } = stateOf(heap);
    const treeEnd = heap.treeBase + 16 * 2 ** rootOrder;
    const bad = [3, 8, 64, heap.start - 16, large + 16, large + 2048, large + 3, bitmap, bitmap + 16, treeEnd];
    for (const ptr of [...bad, 2 ** 32, 2 ** 32 + 16, -16, 100.5, Number.NaN]) {
      expectRefused(allocator, () => allocator.free(ptr), "INVALID_POINTER");
      expectRefused(allocator, () => heap.reallocate(ptr, 8), "INVALID_POINTER");
      expectRefused(allocator, () => heap.usableSize(ptr), "INVALID_POINTER");
    }
    model.verifyAll();
  });

  it("refuses every pointer that is not a live block, whatever the heap's shape, and changes nothing", () => {
    fc.assert(
      fc.property(
        workloads({ aligned: true, reallocate: true, maxLength: 40 }),
        fc.array(fc.nat({ max: 8192 }), { minLength: 1, maxLength: 8 }),
        (workload, offsets) => {
          const model = new HeapModel(buddy(LinearMemory.create()));
          const heap = model.allocator as BuddyAllocator;
          const freed: number[] = [];
          for (const step of workload) {
            const before = model.live.map((block) => block.ptr);
            runWorkload(model, [step]);
            freed.push(...before.filter((ptr) => !model.live.some((block) => block.ptr === ptr)));
          }
          const candidates = [...freed, ...offsets.map((offset) => heap.start + offset * 8)];
          for (const ptr of candidates) {
            if (model.live.some((block) => block.ptr === ptr)) continue;
            // A pointer to the start of a free block is a double free; any other is no block at all.
            const startsFreeBlock = walked(heap).some((block) => !block.used && block.ptr === ptr);
            const code = startsFreeBlock ? "DOUBLE_FREE" : "INVALID_POINTER";
            expectRefused(heap, () => heap.free(ptr), code);
            expectRefused(heap, () => heap.reallocate(ptr, 1), code);
          }
          model.verifyAll();
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("buddy refusals change nothing", () => {
  function usedHeap() {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 2 });
    const model = new HeapModel(buddy(memory, { heapBase: 64 }));
    for (const size of [3, 100, 0, 4000]) model.allocate(size);
    return model;
  }

  it("INVALID_SIZE for a reallocate to a negative, fractional, NaN or oversized size", () => {
    const model = usedHeap();
    const heap = model.allocator as BuddyAllocator;
    for (const size of [-1, 2.5, Number.NaN, MAX_ALLOCATION + 1]) {
      expectRefused(heap, () => heap.reallocate(model.live[0]?.ptr as number, size), "INVALID_SIZE");
    }
    model.verifyAll();
  });

  it("OUT_OF_MEMORY when the memory cannot grow enough, for allocate and for a reallocate that must move", () => {
    const model = usedHeap();
    const heap = model.allocator as BuddyAllocator;
    // Two pages hold a tree of 128 KiB, whose right half takes this block; the next one would need 256 KiB.
    model.allocate(PAGE_SIZE);
    const trap = expectRefused(heap, () => heap.allocate(PAGE_SIZE), "OUT_OF_MEMORY");
    expect(trap.message).toMatch(/cannot grow to 262144 bytes/);
    const small = model.live[1]?.ptr as number;
    expectRefused(heap, () => heap.reallocate(small, PAGE_SIZE), "OUT_OF_MEMORY");
    model.verifyAll();
    for (let i = 0; i < 20; i++) model.allocate(1000);
    model.verifyAll();
  });

  it("names the end a tree past the largest would need", () => {
    const heap = buddy(LinearMemory.create());
    heap.allocate(MAX_ALLOCATION);
    expect(() => heap.allocate(MAX_ALLOCATION)).toThrow(
      /allocate\(1073741824\): the heap cannot grow to 4294967296 bytes/,
    );
  });

  it("OUT_OF_MEMORY when even the first tree does not fit", () => {
    expect(() => buddy(new ArrayBuffer(512), { heapBase: 8 })).toThrow(AllocationTrap);
    expect(() => buddy(new ArrayBuffer(1024), { heapBase: 8 })).not.toThrow();
  });
});

describe("buddy in memory", () => {
  /** One allocator made of two instances bound to the same heap, which take turns as `turns` says. */
  function takingTurns(instances: [BuddyAllocator, BuddyAllocator], turns: boolean[]): BuddyAllocator {
    let calls = 0;
    const next = () => instances[turns[calls++ % turns.length] ? 1 : 0];
    return Object.assign(Object.create(instances[0]) as BuddyAllocator, {
      allocate: (size: number, align?: number) =>
        align === undefined ? next().allocate(size) : next().allocate(size, align),
      free: (ptr: number) => next().free(ptr),
      reallocate: (ptr: number, size: number) => next().reallocate(ptr, size),
      reset: () => next().reset(),
      check: () => {
        for (const instance of instances) instance.check();
      },
    });
  }

  it("keeps no state outside the memory: two instances share one heap, call by call", () => {
    fc.assert(
      fc.property(
        workloads({ aligned: true, reallocate: true }),
        fc.array(fc.boolean(), { minLength: 1 }),
        (workload, turns) => {
          const memory = LinearMemory.create();
          const first = buddy(memory, { heapBase: 200 });
          const second = buddy.attach(memory, 200);
          runWorkload(new HeapModel(takingTurns([first, second], turns)), workload);
          expect(first.stats()).toEqual(second.stats());
        },
      ),
      { numRuns: 60 },
    );
  });

  it("attaches to a heap as it is, without changing it", () => {
    const memory = LinearMemory.create();
    const heap = buddy(memory, { heapBase: 40 });
    for (let i = 0; i < 50; i++) heap.allocate(37 * i);
    const before = memory.u8.slice();
    const attached = buddy.attach(memory, 40);
    expect(Buffer.compare(memory.u8, before)).toBe(0);
    expect(attached.stats()).toEqual(heap.stats());
  });

  it("refuses to attach to anything but a buddy heap", () => {
    const memory = LinearMemory.create();
    expect(() => buddy.attach(memory, 8)).toThrow(HeapCorruptionError);
    arena(memory, { heapBase: 8 });
    expect(() => buddy.attach(memory, 8)).toThrow(/expected a "BDY1" heap/);
    expect(() => buddy(memory, { heapBase: 12 })).toThrow(RangeError);
  });

  describe("check names what is corrupt and where", () => {
    function corrupted(corrupt: (heap: BuddyAllocator, u32: Uint32Array) => void): () => void {
      const memory = LinearMemory.create();
      const heap = buddy(memory, { heapBase: 8 });
      const ptrs = [heap.allocate(16), heap.allocate(100), heap.allocate(5000), heap.allocate(16)];
      heap.free(ptrs[1] as number);
      heap.check();
      corrupt(heap, memory.u32);
      return () => heap.check();
    }
    const state = (heap: BuddyAllocator) => heap.heapBase >>> 2;

    it("the root order", () => {
      expect(corrupted((heap, u32) => (u32[state(heap) + 2] = 28))).toThrow(/root order 28 is outside/);
      expect(corrupted((heap, u32) => (u32[state(heap) + 2] = 13))).toThrow(/past the end of memory/);
    });

    it("the bitmap's address", () => {
      expect(corrupted((heap, u32) => (u32[state(heap) + 3] += 16))).toThrow(/the bitmap at \d+ is not a block/);
    });

    it("a bit of a node outside the tree", () => {
      const check = corrupted((heap, u32) => {
        // The nodes below a used block are outside the tree; mark one of them split.
        const large = walked(heap).find((block) => block.used && block.size === 8192) as BlockInfo;
        const { bitmap } = stateOf(heap);
        const node = ((large.ptr + 4096 - heap.treeBase) >>> 3) + 2 ** 6 - 1;
        u32[(bitmap >>> 2) + (node >>> 5)] |= 1 << (node & 31);
      });
      expect(check).toThrow(/set, but lies below the block at \d+/);
    });

    it("a used block marked free", () => {
      const check = corrupted((heap, u32) => {
        const ptr = walked(heap).find((block) => block.used && block.size === 8192)?.ptr as number;
        const { bitmap } = stateOf(heap);
        const node = ((ptr - heap.treeBase) >>> 3) + 2 ** 9 - 1;
        u32[(bitmap >>> 2) + (node >>> 5)] &= ~(1 << (node & 31));
      });
      expect(check).toThrow(/free list of order \d+ holds \d+ blocks, the tree \d+ free ones/);
    });

    it("a free list's links", () => {
      const check = corrupted((heap, u32) => {
        const free = walked(heap).find((block) => !block.used) as BlockInfo;
        u32[(free.ptr >>> 2) + 1] = 12345;
      });
      expect(check).toThrow(/links back to 12345/);
    });

    it("a listed block that is not free", () => {
      const check = corrupted((heap, u32) => {
        const free = walked(heap).find((block) => !block.used) as BlockInfo;
        const used = walked(heap).find((block) => block.used && block.size === free.size);
        u32[free.ptr >>> 2] = used?.ptr ?? free.ptr + free.size;
      });
      expect(check).toThrow(/is not a free block of order|holds more than/);
    });

    it("the free mask", () => {
      expect(corrupted((heap, u32) => (u32[state(heap) + 4] ^= 1 << 20))).toThrow(/free mask bit 20 disagrees/);
    });

    it("the magic", () => {
      const check = corrupted((heap, u32) => (u32[state(heap)] = 0));
      let caught: unknown;
      try {
        check();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(HeapCorruptionError);
      expect((caught as HeapCorruptionError).offset).toBe(8);
    });
  });

  it("keeps its state in the bytes the format draws", () => {
    expect(BUDDY_STATE_SIZE).toBe(128);
    const heap = buddy(LinearMemory.create(), { heapBase: 8 });
    expect(heap.start).toBe(144);
    expect(heap.treeBase).toBe(0);
    expect(stateOf(heap)).toEqual({ rootOrder: 6, bitmap: 144, freeMask: 0b110110 });
    expect(walked(heap)).toEqual([
      { ptr: 160, size: 32, used: false },
      { ptr: 192, size: 64, used: false },
      { ptr: 256, size: 256, used: false },
      { ptr: 512, size: 512, used: false },
    ]);
  });
});

describe("buddy's bitmap and tree, read from outside", () => {
  it("tell where the bitmap is and where the tree ends, which walk() leaves out, as the tree grows", () => {
    const heap = buddy(LinearMemory.create(), { heapBase: 8 });
    for (const size of [0, 100, 5000, 70_000, 1_000_000]) {
      heap.allocate(size);
      const { rootOrder, bitmap } = stateOf(heap);
      expect(heap.bitmap()).toEqual({ ptr: bitmap, size: 16 << (rootOrder - 6) });
      expect(heap.treeEnd()).toBe(heap.treeBase + (16 << rootOrder));
      // The blocks walk() reports, the bitmap and the state below `start` tile the tree.
      const blocks = walked(heap);
      const covered = blocks.reduce((sum, block) => sum + block.size, 0) + heap.bitmap().size + heap.start;
      expect(covered).toBe(heap.treeEnd());
    }
  });

  it("end the heap's state at the bitmap's end, or the header's, the footprint's floor as the tree grows", () => {
    const heap = buddy(LinearMemory.create(), { heapBase: 8 });
    expect(heap.stateEnd()).toBe(heap.stats().heapEnd);
    const ends: number[] = [];
    for (const size of [100, 70_000, 1_000_000]) {
      const ptr = heap.allocate(size);
      const { ptr: bitmap, size: bitmapSize } = heap.bitmap();
      expect(heap.stateEnd()).toBe(Math.max(heap.start, bitmap + bitmapSize));
      heap.free(ptr);
      expect(heap.stats().heapEnd).toBe(heap.stateEnd());
      ends.push(heap.stateEnd());
    }
    // The bitmap moved up as the tree doubled.
    expect(ends[2]).toBeGreaterThan(ends[0] as number);
  });
});
