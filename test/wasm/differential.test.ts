/**
 * Each allocator module, in both unshared builds, against its TypeScript twin: random operation sequences and the
 * sample trace, run on both side by side, must give the same pointers (or the same refusals) and leave the same bytes
 * in memory.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { BlockAllocator } from "../../src/allocator/contract.js";
import { ALIGNMENT } from "../../src/allocator/size.js";
import { PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { EVENT_ALLOCATE, EVENT_ALLOCATE_ALIGNED, EVENT_FREE } from "../../src/trace/trace.js";
import { BUILD_CASES } from "./support/cases.js";
import { Lockstep } from "./support/lockstep.js";
import { LiveBlocks, steps } from "./support/steps.js";

/** Memories from empty to a few pages, with a maximum low enough that large requests run out of memory. */
const memories = fc
  .record({ initialPages: fc.integer({ min: 0, max: 3 }), extraPages: fc.integer({ min: 0, max: 300 }) })
  .map(({ initialPages, extraPages }) => ({ initialPages, maximumPages: initialPages + extraPages }));

/** Heap bases from 0 to past the first page. */
const heapBases = fc.integer({ min: 0, max: (2 * PAGE_SIZE) / 8 }).map((n) => n * 8);

/** The trace's memories are compared in full this often; pointers are compared at every event. */
const TRACE_COMPARE_EVERY = 1000;

/** The byte a trace's block is filled with: different for neighbouring ids, never 0. */
function blockByte(id: number): number {
  return (Math.imul(id, 0x9e3779b1) >>> 24) | 1;
}

describe.each(BUILD_CASES)("the $name module's $build and its TypeScript twin", (moduleCase) => {
  it("return the same pointers and traps, and leave the same bytes, after every step of random workloads", async () => {
    await fc.assert(
      fc.asyncProperty(
        memories,
        heapBases,
        steps({ reallocate: moduleCase.reallocate }),
        async (memory, heapBase, workload) => {
          const pair = await Lockstep.create(moduleCase, { ...memory, heapBase });
          // A heap with no room for its state was refused alike by both: nothing to run.
          if (typeof pair === "string") return;
          const live = new LiveBlocks(pair);
          for (const [index, step] of workload.entries()) {
            live.run(step);
            pair.expectSameMemory(`after step ${index}, ${JSON.stringify(step)}`);
          }
          pair.check();
        },
      ),
      { numRuns: 200 },
    );
  });

  it("replay the sample trace with the same pointers at every event and the same bytes throughout", async () => {
    const trace = loadTrace(SAMPLE_TRACE);
    const pair = await Lockstep.create(moduleCase, { heapBase: 1024 });
    if (typeof pair === "string") throw new Error(`no heap: ${pair}`);
    const { kinds, ids, sizes, aligns } = trace;
    const pointers = new Uint32Array(trace.blockCount);
    for (let event = 0; event < trace.length; event++) {
      const kind = kinds[event] as number;
      const id = ids[event] as number;
      const size = sizes[event] as number;
      if (kind === EVENT_FREE) {
        pair.free(pointers[id] as number);
      } else {
        let ptr: number;
        if (kind === EVENT_ALLOCATE) {
          ptr = value(pair.allocate(size), event);
        } else if (kind === EVENT_ALLOCATE_ALIGNED) {
          ptr = value(pair.allocate(size, Math.max(aligns[event] as number, ALIGNMENT)), event);
        } else if (moduleCase.reallocate) {
          ptr = value(
            pair.run(`reallocate, event ${event}`, (heap) =>
              (heap as BlockAllocator).reallocate(pointers[id] as number, size),
            ),
            event,
          );
        } else {
          // A resize for an allocator that cannot: a new block (filled below), the old block freed.
          ptr = value(pair.allocate(size), event);
          pair.free(pointers[id] as number);
        }
        pointers[id] = ptr;
        pair.fill(ptr, size, blockByte(id));
      }
      if (event % TRACE_COMPARE_EVERY === 0) pair.expectSameMemory(`at event ${event}`);
    }
    pair.expectSameMemory("at the end");
    pair.check();
  });
});

/** The pointer a lockstep call returned; the trace's calls are all valid, so a refusal fails the test. */
function value(outcome: ReturnType<Lockstep["run"]>, event: number): number {
  if (!("value" in outcome) || outcome.value === undefined)
    throw new Error(`event ${event} refused: ${JSON.stringify(outcome)}`);
  return outcome.value;
}
