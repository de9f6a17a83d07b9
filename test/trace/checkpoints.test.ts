import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import type { BlockAllocator } from "../../src/allocator/contract.js";
import { tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { CheckpointedReplay } from "../../src/trace/checkpoints.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import type { Trace } from "../../src/trace/trace.js";
import { firstEvents } from "../support/first-events.js";

const sample = loadTrace(SAMPLE_TRACE);
/** The first 12,000 events: enough for the heap to grow its memory several times. */
const trace: Trace = firstEvents(sample, 12_000);

/** The heap, and the live blocks' pointers, of a replay from the start to `event`. */
function fresh(factory: (memory: LinearMemory) => BlockAllocator, event: number) {
  const cursor = new ReplayCursor(trace, factory(LinearMemory.create()));
  cursor.advanceTo(event);
  return { bytes: cursor.allocator.memory.u8, pointers: cursor.pointers };
}

/** The first place two arrays differ, or -1 when they hold the same bytes (compared natively: they are megabytes long). */
function firstDifference(actual: Uint8Array | Uint32Array, expected: Uint8Array | Uint32Array): number {
  const bytes = (array: Uint8Array | Uint32Array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  if (bytes(actual).equals(bytes(expected))) return -1;
  let index = 0;
  while (index < Math.min(actual.length, expected.length) && actual[index] === expected[index]) index++;
  return index;
}

describe("CheckpointedReplay", () => {
  const factories: [string, (memory: LinearMemory) => BlockAllocator][] = [
    ["tlsf", (memory) => tlsf(memory, { heapBase: 16 })],
    ["buddy", (memory) => buddy(memory)],
  ];
  for (const [name, factory] of factories) {
    it(`${name}: any event, in any order, gives the heap a replay from the start gives`, () => {
      const replay = new CheckpointedReplay(trace, factory, 1000);
      let observed = 0;
      replay.record(() => observed++);
      expect(observed).toBe(trace.length);
      expect(replay.position).toBe(trace.length);
      expect(replay.checkpointBytes).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: trace.length }), { minLength: 1, maxLength: 6 }), (events) => {
          for (const event of events) {
            const allocator = replay.seek(event);
            expect(replay.position).toBe(event);
            const expected = fresh(factory, event);
            // Byte for byte: restoring a checkpoint and replaying forward leaves nothing behind, not even stale words.
            expect(firstDifference(allocator.memory.u8, expected.bytes)).toBe(-1);
            expect(firstDifference(replay.pointers, expected.pointers)).toBe(-1);
            allocator.check();
          }
        }),
        { numRuns: 12 },
      );
    });
  }

  it("refuses to seek before recording, or outside the trace", () => {
    const replay = new CheckpointedReplay(trace, (memory) => tlsf(memory), 5000);
    expect(() => replay.seek(0)).toThrow(/record the trace before seeking/);
    replay.record();
    expect(() => replay.seek(trace.length + 1)).toThrow(RangeError);
    expect(() => replay.seek(-1)).toThrow(RangeError);
    expect(() => replay.record()).toThrow(/recorded already/);
    expect(() => new CheckpointedReplay(trace, (memory) => tlsf(memory), 0)).toThrow(RangeError);
  });
});
