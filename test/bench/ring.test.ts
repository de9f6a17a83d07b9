import { describe, expect, it } from "vitest";
import { RING_DEFAULTS, ringWorkload } from "../../src/bench/ring.js";
import type { Heap } from "../../src/trace/heap.js";
import { arenaContender, corruptingContender } from "./contenders.js";

/** A heap that counts the calls made on it. */
function countingHeap(): Heap & { allocations: number; frees: number; sizes: number[] } {
  let next = 8;
  const heap = {
    allocations: 0,
    frees: 0,
    sizes: [] as number[],
    allocate(size: number) {
      heap.allocations++;
      heap.sizes.push(size);
      next += 8;
      return next;
    },
    free() {
      heap.frees++;
    },
    reallocate: (ptr: number) => ptr,
    bytes: () => new Uint8Array(0),
    heapBase: null,
    memorySize: () => null,
    reset() {},
  };
  return heap;
}

describe("the ring workload", () => {
  const small = { ...RING_DEFAULTS, liveBlocks: 16, steps: 1000 };

  it("fills the ring, then frees one block and allocates one per step, sizes within bounds", () => {
    const workload = ringWorkload(small);
    const heap = countingHeap();
    const run = workload.ownLoop()(heap);
    expect(heap.allocations).toBe(16);
    run();
    expect(heap.allocations).toBe(16 + 1000);
    expect(heap.frees).toBe(1000);
    expect(Math.min(...heap.sizes)).toBeGreaterThanOrEqual(8);
    expect(Math.max(...heap.sizes)).toBeLessThanOrEqual(512);
    expect(workload.operations).toBe(1000);
    expect(workload.bytesAllocated).toBe(heap.sizes.reduce((sum, size) => sum + size, 0));
  });

  it("is the same for the same seed, and different for another", () => {
    expect(ringWorkload(small).peakLiveBytes).toBe(ringWorkload(small).peakLiveBytes);
    expect(ringWorkload(small).bytesAllocated).not.toBe(ringWorkload({ ...small, seed: 2 }).bytesAllocated);
  });

  it("measures the footprint of a verified run", async () => {
    const workload = ringWorkload(small);
    const heap = await (await arenaContender.load())(workload);
    const footprint = workload.verify(heap);
    // The arena never reuses a byte: its footprint is its state and every block ever allocated, rounded to 8.
    expect(footprint.peakFootprint).toBeGreaterThanOrEqual(workload.bytesAllocated);
    expect(footprint.peakLiveBytes).toBe(workload.peakLiveBytes);
    expect(footprint.memorySize).toBeGreaterThanOrEqual(footprint.peakFootprint as number);
  });

  it("names the step and the block whose bytes changed", async () => {
    const workload = ringWorkload(small);
    const heap = await (await corruptingContender(100).load())(workload);
    expect(() => workload.verify(heap)).toThrow(
      /^ring 16, step \d+: block 98 \(at \d+, \d+ bytes\): byte \d+ changed$/,
    );
  });

  it("refuses a ring it cannot run", () => {
    expect(() => ringWorkload({ ...small, liveBlocks: 0 })).toThrow(/liveBlocks must be a whole number from 1/);
    expect(() => ringWorkload({ ...small, minSize: 10, maxSize: 9 })).toThrow(/maxSize must be a whole number from 10/);
  });
});
