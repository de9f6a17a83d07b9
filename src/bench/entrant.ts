/**
 * An entrant: one contender on one workload, ready to run it. The runner asks it for a verified run, for warm-up runs
 * and for timed runs, and it answers with outcomes rather than exceptions, so that it can run here or in a worker of
 * its own (isolated-entrant.ts) alike.
 */
import type { Heap } from "../trace/heap.js";
import type { HeapMaker, HeapNeeds } from "./contender.js";
import { collectGarbage } from "./garbage-collection.js";
import type { Footprint, Workload } from "./workload.js";

/** How a verified run ended: with the footprint, or with why the contender has no figures for this workload. */
export type VerifyOutcome =
  | { status: "measured"; footprint: Footprint }
  | { status: "failed" | "skipped"; reason: string };

/** A timed run's time in nanoseconds, or why it failed. */
export type RunOutcome = { nanoseconds: number } | { failure: string };

export interface Entrant {
  /** True when it runs in a worker of its own. */
  readonly isolated: boolean;
  /**
   * Runs the workload once with every block's bytes verified, on a heap of its own. A run that lasts more than
   * `timeLimit` seconds is stopped, and the contender skipped as too slow. `onProgress` hears the fraction done.
   */
  verify(timeLimit: number, onProgress: (fraction: number) => void): Promise<VerifyOutcome>;
  /**
   * Untimed runs, so that the JIT has compiled the loop and the allocator before the clock runs: V8 compiles in tiers,
   * in the background, and a short workload may take a few runs to reach its optimized code. At least one run, then
   * more while they add up to less than WARM_UP_TIME, WARM_UP_RUNS at most. Resolves to their time in all.
   */
  warmUp(): Promise<RunOutcome>;
  /** One timed run. */
  time(): Promise<RunOutcome>;
  /** Lets go of the heaps (and the worker). */
  close(): Promise<void>;
}

/** Nanoseconds. */
const WARM_UP_TIME = 500e6;
const WARM_UP_RUNS = 20;

/** Thrown from a verified run that has gone on for longer than the time limit. */
class TimeLimitExceeded extends Error {}

/**
 * An entrant in this process.
 *
 * Every warm-up and timed run uses the same heap, reset, rather than a new one. The JIT compiles the loop for the heap
 * it meets and refers to the heap's objects from the compiled code; with a new heap for every run, the collector
 * would take the old heap after a run, the compiled code with it, and every run would begin by compiling again. A
 * program keeps its heap for long. The memory therefore keeps the size the first run grew it to: the time is that of
 * the allocator's operations, without the growing of the memory.
 */
export function localEntrant(workload: Workload, makeHeap: HeapMaker): Entrant {
  const needs: HeapNeeds = { peakLiveBytes: workload.peakLiveBytes, bytesAllocated: workload.bytesAllocated };
  const prepareRun = workload.ownLoop();
  let heap: Heap | null = null;

  /** One run on the empty heap, timed; everything it needs is made ready before the clock starts. */
  const timeOneRun = async (): Promise<RunOutcome> => {
    try {
      if (heap === null) heap = await makeHeap(needs);
      else heap.reset();
      const run = prepareRun(heap);
      collectGarbage();
      const start = process.hrtime.bigint();
      run();
      return { nanoseconds: Number(process.hrtime.bigint() - start) };
    } catch (error) {
      return { failure: (error as Error).message };
    }
  };

  return {
    isolated: false,

    async verify(timeLimit, onProgress) {
      const startedAt = performance.now();
      const checkProgress = (operationsDone: number): void => {
        if (performance.now() - startedAt > timeLimit * 1000) throw new TimeLimitExceeded();
        onProgress(operationsDone / Math.max(workload.operations, 1));
      };
      try {
        collectGarbage();
        const verifiedHeap = await makeHeap(needs);
        const footprint = workload.verify(verifiedHeap, checkProgress);
        verifiedHeap.check?.();
        return { status: "measured", footprint };
      } catch (error) {
        if (error instanceof TimeLimitExceeded) {
          return { status: "skipped", reason: `too slow: its verified run took more than ${timeLimit} s` };
        }
        return { status: "failed", reason: (error as Error).message };
      }
    },

    async warmUp() {
      let spent = 0;
      for (let run = 0; run < WARM_UP_RUNS && spent < WARM_UP_TIME; run++) {
        const outcome = await timeOneRun();
        if ("failure" in outcome) return outcome;
        spent += outcome.nanoseconds;
      }
      return { nanoseconds: spent };
    },

    time: timeOneRun,

    async close() {
      heap = null;
    },
  };
}
