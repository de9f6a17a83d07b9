import { describe, expect, it } from "vitest";
import { type TlsfAllocator, tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { replay } from "../../src/trace/replay.js";
import { itOnEachSharedTrace } from "../support/shared-traces.js";

/** The footprint limit on a trace: the highest address in use within 10% of the peak live bytes. */
const FOOTPRINT_LIMIT = 1.1;

describe("tlsf replays", () => {
  it("the project's sample trace, every block verified and the heap checked after every event", () => {
    const trace = loadTrace(SAMPLE_TRACE);
    const heap = tlsf(LinearMemory.create(), { heapBase: 64 });
    const result = replay(trace, heap, { verify: true, checkEveryStep: true });
    expect(result.peakLiveBlocks).toBeGreaterThan(0);
    expect(result.peakFootprint).toBeGreaterThanOrEqual(result.peakLiveBytes);
    expect(result.peakFootprint).toBeLessThanOrEqual(FOOTPRINT_LIMIT * result.peakLiveBytes);
    // Once emptied, the heap is one free block again.
    heap.reset();
    heap.check();
    expect(heap.stats().bytesInUse).toBe(0);
  }, 30_000);

  it("the sample trace through two instances of one heap, taking turns call by call", () => {
    const memory = LinearMemory.create();
    const instances = [tlsf(memory, { heapBase: 8 }), tlsf.attach(memory, 8)];
    let turn = 0;
    const next = () => instances[turn++ & 1] as TlsfAllocator;
    const alternating = Object.assign(Object.create(instances[0] as TlsfAllocator) as TlsfAllocator, {
      allocate: (size: number, align?: number) => next().allocate(size, align),
      free: (ptr: number) => next().free(ptr),
      reallocate: (ptr: number, size: number) => next().reallocate(ptr, size),
    });
    replay(loadTrace(SAMPLE_TRACE), alternating, { verify: true });
    expect(turn).toBeGreaterThan(0);
    for (const instance of instances) instance.check();
    expect((instances[0] as TlsfAllocator).stats()).toEqual((instances[1] as TlsfAllocator).stats());
  }, 30_000);
});

describe("tlsf replays the traces of real programs", () => {
  itOnEachSharedTrace(
    (name) => `${name}, every block verified, within the footprint limit`,
    (path) => {
      const trace = loadTrace(path);
      const heap = tlsf(LinearMemory.create());
      const result = replay(trace, heap, { verify: true });
      heap.check();
      expect(result.peakFootprint).toBeLessThanOrEqual(FOOTPRINT_LIMIT * result.peakLiveBytes);
    },
    60_000,
  );
});
