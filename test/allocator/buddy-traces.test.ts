import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { replay } from "../../src/trace/replay.js";
import { firstEvents } from "../support/first-events.js";
import { itOnEachSharedTrace } from "../support/shared-traces.js";

describe("buddy replays traces", () => {
  it("replays the project's sample trace with every block verified", () => {
    const trace = loadTrace(SAMPLE_TRACE);
    const heap = buddy(LinearMemory.create());
    const result = replay(trace, heap, { verify: true });
    heap.check();
    expect(result.peakLiveBlocks).toBeGreaterThan(0);
    expect(result.peakFootprint).toBeGreaterThanOrEqual(result.peakLiveBytes);
    // Power-of-two blocks cost memory; the tree itself adds a bitmap of 1/64 and little fragmentation beyond that.
    expect(result.peakFootprint).toBeLessThan(2 * result.peakLiveBytes);
  });

  it("checks the whole heap after each of the sample trace's first events", () => {
    const trace = firstEvents(loadTrace(SAMPLE_TRACE), 3000);
    const heap = buddy(LinearMemory.create(), { heapBase: 1024 });
    replay(trace, heap, { verify: true, checkEveryStep: true });
  });

  describe("the traces of real programs", () => {
    itOnEachSharedTrace(
      (name) => `replays ${name} with every block verified`,
      (path) => {
        const trace = loadTrace(path);
        const heap = buddy(LinearMemory.create());
        const result = replay(trace, heap, { verify: true });
        heap.check();
        expect(result.events).toBe(trace.length);
        expect(result.peakFootprint).toBeGreaterThanOrEqual(result.peakLiveBytes);
        expect(result.peakFootprint).toBeLessThan(2 * result.peakLiveBytes);
      },
      60_000,
    );
  });
});
