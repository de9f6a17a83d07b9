import { describe, expect, it } from "vitest";
import { arena } from "../../src/allocator/arena.js";
import type { Allocator } from "../../src/allocator/contract.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { type Heap, heapOf } from "../../src/trace/heap.js";
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
    // The arena moves a resized block to its top: 12 state + 16 + 40 + 8, then a header and 100 bytes.
    expect(result.peakFootprint).toBe(12 + 16 + 40 + 8 + 4 + 100);
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
    const trace = parseTrace("a 0 16\n\na 1 7\nf 0\n");
    let caught: unknown;
    try {
      replay(trace, broken, { verify: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ReplayError);
    // The line of the trace, counting from 1 and the blank line included, as a parse error names it.
    expect((caught as ReplayError).line).toBe(4);
    expect((caught as Error).message).toBe("trace:4 (f 0): block 0 (at 24, 16 bytes): byte 0 changed");
  });

  it("names the event where the allocator failed", () => {
    const heap = arena(LinearMemory.create({ initialPages: 1, maximumPages: 1 }));
    const trace = parseTrace("a 0 10\na 1 100000\n");
    expect(() => replay(trace, heap)).toThrow(/^trace:2 \(a 1 100000\): allocate\(100000\)/);
  });

  it("replays on a heap outside linear memory, with no footprint to report", () => {
    const blocks: Uint8Array[] = [new Uint8Array(0)];
    const heap: Heap = {
      allocate: (size) => blocks.push(new Uint8Array(size)) - 1,
      free: () => {},
      reallocate: (ptr, size) => {
        const resized = new Uint8Array(size);
        resized.set((blocks[ptr] as Uint8Array).subarray(0, size));
        blocks[ptr] = resized;
        return ptr;
      },
      bytes: (ptr, size) => (blocks[ptr] as Uint8Array).subarray(0, size),
      heapBase: null,
      memorySize: () => null,
      reset: () => {
        blocks.length = 1;
      },
    };
    const result = replay(parseTrace("a 0 10\na 1 30\nr 0 50\nf 1\n"), heap, { verify: true });
    expect(result).toEqual({ events: 4, peakLiveBytes: 80, peakLiveBlocks: 2, peakFootprint: null, memorySize: null });
    expect(() => replay(parseTrace("a 0 1\n"), heap, { checkEveryStep: true })).toThrow(/has no check\(\)/);
  });

  it("finds a block overwritten after its last event, at the end", () => {
    const allocator = arena(LinearMemory.create());
    const heap = heapOf(allocator);
    let first = 0;
    const corrupting: Heap = {
      ...heap,
      allocate: (size) => {
        const ptr = heap.allocate(size);
        // The second block's allocation writes over the first block's last byte.
        if (size === 8) first = ptr;
        else allocator.memory.u8[first + 7] = 0;
        return ptr;
      },
    };
    expect(() => replay(parseTrace("a 0 8\na 1 5\n"), corrupting, { verify: true })).toThrow(
      /^trace, at the end: block 0 \(at \d+, 8 bytes\): byte 7 changed$/,
    );
  });

  it("passes what the progress callback throws on as it is", () => {
    const stop = new Error("stop");
    let calls = 0;
    const onProgress = (events: number): void => {
      calls++;
      if (events > 0) throw stop;
    };
    const events = Array.from({ length: 10_000 }, (_, id) => `a ${id} 8`).join("\n");
    expect(() => replay(parseTrace(events), arena(LinearMemory.create()), { onProgress })).toThrow(stop);
    expect(calls).toBe(2);
  });
});
