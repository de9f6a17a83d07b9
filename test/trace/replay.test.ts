import { describe, expect, it } from "vitest";
import { arena } from "../../src/allocator/arena.js";
import type { Allocator } from "../../src/allocator/contract.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { ReplayError, replay } from "../../src/trace/replay.js";
import { parseTrace } from "../../src/trace/trace.js";

describe("replay", () => {
  it("measures live bytes, blocks and footprint", () => {
    const trace = parseTrace("a 0 10\na 1 30\nf 0\na 2 4\nr 1 100\n");
    const heap = arena(LinearMemory.create(), { heapBase: 8 });
    const result = replay(trace, heap, { verify: true, checkEveryStep: true });
    expect(result.events).toBe(5);
    expect(result.peakLiveBlocks).toBe(2);
    expect(result.peakLiveBytes).toBe(104);
    // The arena moves a resized block to its top: 16 state + 16 + 32 + 8, then 100 bytes.
    expect(result.peakFootprint).toBe(16 + 16 + 32 + 8 + 100);
  });

  it("replays the project's sample trace with every block verified", () => {
    const trace = loadTrace(SAMPLE_TRACE);
    const result = replay(trace, arena(LinearMemory.create()), { verify: true });
    expect(result.peakLiveBlocks).toBeGreaterThan(0);
    expect(result.peakFootprint).toBeGreaterThanOrEqual(result.peakLiveBytes);
  });

  it("catches an allocator that hands out a live block again", () => {
    const heap = arena(LinearMemory.create());
    const broken: Allocator = Object.assign(Object.create(heap), {
      allocate: (size: number) => (size === 7 ? heap.heapBase + 16 : heap.allocate(size)),
    });
    const trace = parseTrace("a 0 16\na 1 7\nf 0\n");
    let caught: unknown;
    try {
      replay(trace, broken, { verify: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReplayError);
    expect((caught as ReplayError).event).toBe(2);
    expect((caught as Error).message).toMatch(/event 2: block 0 \(at 24, 16 bytes\): byte 0 changed/);
  });

  it("names the event where the allocator failed", () => {
    const heap = arena(LinearMemory.create({ initialPages: 1, maximumPages: 1 }));
    const trace = parseTrace("a 0 10\na 1 100000\n");
    expect(() => replay(trace, heap)).toThrow(/event 1: allocate\(100000\)/);
  });
});
