import { describe, expect, it } from "vitest";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { ReplayError, replay } from "../../src/trace/replay.js";
import { parseTrace } from "../../src/trace/trace.js";

const TRACE = parseTrace("a 0 10\na 1 20\nm 2 64 30\nr 0 100\nf 1\na 3 0\nf 0\nr 2 5\n", "small.trace");

describe("ReplayCursor", () => {
  it("stops after any event, going on from there as if it had never stopped", () => {
    const whole = new ReplayCursor(TRACE, tlsf(LinearMemory.create()));
    whole.advanceTo(TRACE.length);
    const stepped = new ReplayCursor(TRACE, tlsf(LinearMemory.create()));
    for (const target of [0, 2, 2, 5, 8, 100]) {
      stepped.advanceTo(target);
      expect(stepped.position).toBe(Math.min(target, TRACE.length));
    }
    expect(stepped.pointers).toEqual(whole.pointers);
    expect(stepped.allocator.memory.u8).toEqual(whole.allocator.memory.u8);
  });

  it("keeps the pointer of each live block, 0 for a freed one, and tells each event to an observer", () => {
    const heap = tlsf(LinearMemory.create());
    const cursor = new ReplayCursor(TRACE, heap);
    const seen: [number, number, number][] = [];
    cursor.advanceTo(TRACE.length, (event, id, ptr) => seen.push([event, id, ptr]));
    expect(seen.map(([event, id]) => [event, id])).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 0],
      [4, 1],
      [5, 3],
      [6, 0],
      [7, 2],
    ]);
    expect([...cursor.pointers]).toEqual([0, 0, seen[7]?.[2], seen[5]?.[2]]);
    expect((cursor.pointers[2] as number) % 64).toBe(0);
    expect(seen[4]?.[2]).toBe(0);
    expect(heap.stats().blocksInUse).toBe(2);
    // The same heap a verified replay leaves.
    const verified = tlsf(LinearMemory.create());
    replay(TRACE, verified, { verify: true });
    expect(verified.stats()).toEqual(heap.stats());
  });

  it("names the line of an event the heap refuses, stopping at it with what the allocator threw as the cause", () => {
    const trace = parseTrace("a 0 16\n\na 1 1073741825\na 2 16\n", "refused.trace");
    const cursor = new ReplayCursor(trace, tlsf(LinearMemory.create()));
    let thrown: unknown;
    try {
      cursor.advanceTo(trace.length);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ReplayError);
    expect((thrown as ReplayError).line).toBe(3);
    expect((thrown as Error).message).toMatch(/^refused\.trace:3 \(a 1 1073741825\): allocate\(1073741825\)/);
    expect((thrown as Error).cause).toBeInstanceOf(AllocationTrap);
    expect(cursor.position).toBe(1);
    cursor.allocator.check();
  });
});
