import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import { tlsf } from "../../src/allocator/tlsf.js";
import type { MappableAllocator } from "../../src/map/memory-map.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { replay } from "../../src/trace/replay.js";
import { parseTrace, type Trace } from "../../src/trace/trace.js";
import { binCount, binMaxima, binOf, FootprintRecorder, liveTotals } from "../../src/view/timeline.js";
import { firstEvents } from "../support/first-events.js";

const sample = loadTrace(SAMPLE_TRACE);
const EVENTS = 6_000;
const prefix: Trace = firstEvents(sample, EVENTS);

describe("liveTotals", () => {
  it("follows the bytes and blocks the program holds, event by event", () => {
    const totals = liveTotals(sample);
    expect(totals.bytes).toHaveLength(sample.length + 1);
    expect(totals.bytes[0]).toBe(0);
    const result = replay(sample, tlsf(LinearMemory.create()));
    expect(Math.max(...totals.bytes)).toBe(result.peakLiveBytes);
    expect(Math.max(...totals.blocks)).toBe(result.peakLiveBlocks);
    const maxima = binMaxima(totals.bytes, 100);
    expect(maxima).toHaveLength(100);
    expect(Math.max(...maxima)).toBe(result.peakLiveBytes);
    expect(maxima[99]).toBe(Math.max(...totals.bytes.subarray(1 + (sample.length * 99) / 100)));
  });
});

describe("FootprintRecorder", () => {
  for (const [name, factory] of [
    ["tlsf", tlsf],
    ["buddy", buddy],
  ] as const) {
    it(`${name}: the footprint and memory size of stats() after every event, the largest of each bin`, () => {
      const bins = 1_000;
      const recorded = factory(LinearMemory.create()) as MappableAllocator;
      const recorder = new FootprintRecorder(prefix, recorded, bins);
      new ReplayCursor(prefix, recorded).advanceTo(prefix.length, recorder.observe);

      const footprint = new Float64Array(bins);
      const memorySize = new Float64Array(bins);
      const heap = factory(LinearMemory.create());
      const cursor = new ReplayCursor(prefix, heap);
      for (let event = 0; event < prefix.length; event++) {
        cursor.advanceTo(event + 1);
        const stats = heap.stats();
        const bin = binOf(event, prefix.length, bins);
        footprint[bin] = Math.max(footprint[bin] as number, stats.heapEnd - stats.heapStart);
        memorySize[bin] = Math.max(memorySize[bin] as number, stats.memorySize);
      }
      expect(recorder.footprint).toEqual(footprint);
      expect(recorder.memorySize).toEqual(memorySize);
    });

    it(`${name}: the footprint falls when the highest block is freed: it is the heap's now, not its peak`, () => {
      const trace = parseTrace("a 0 100\na 1 5000\nf 1\n");
      const heap = factory(LinearMemory.create()) as MappableAllocator;
      const recorder = new FootprintRecorder(trace, heap, trace.length);
      new ReplayCursor(trace, heap).advanceTo(trace.length, recorder.observe);
      const [first, second, third] = recorder.footprint;
      expect(second).toBeGreaterThan(first as number);
      expect(third).toBeLessThan(second as number);
      expect(third).toBe(heap.stats().heapEnd - heap.heapBase);
    });
  }

  it("makes one bin per event up to the limit", () => {
    expect(binCount(10, 2048)).toBe(10);
    expect(binCount(1_000_000, 2048)).toBe(2048);
    expect(binCount(0, 2048)).toBe(1);
    expect(binOf(999_999, 1_000_000, 2048)).toBe(2047);
  });
});
