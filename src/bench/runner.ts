/**
 * Runs every contender on every workload and measures them.
 *
 * For each workload, each contender first runs it once with every block's bytes verified: that run measures the
 * footprint, and a heap that loses a byte fails there, before any time is taken. Then come the timed runs,
 * interleaved (A B C, A B C, ...) so that whatever disturbs the machine for a while (another process, the CPU's clock)
 * is shared among the contenders rather than falling on one; a first, untimed round lets the JIT compile each
 * contender's loop. Each run gets a fresh heap, made before the clock starts, and makes nothing but the allocation
 * calls; a full garbage collection before it keeps the garbage of one run from being collected during another.
 *
 * Runs are timed by hand with `process.hrtime.bigint()`: each is one long batch of operations, milliseconds to
 * seconds, where the clock's resolution does not matter, and interleaving whole runs is what the measurement needs.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Heap } from "../trace/heap.js";
import { type Contender, ContenderUnavailable, type HeapMaker, type HeapNeeds } from "./contender.js";
import { collectGarbage } from "./garbage-collection.js";
import { type Progress, SILENT_PROGRESS } from "./progress.js";
import { type Spread, spread } from "./statistics.js";
import type { Footprint, Workload } from "./workload.js";

export interface RunnerOptions {
  /** Timed runs of each contender on each workload. */
  runs: number;
  /** The longest, in seconds, a verified run may take; a contender slower than that is left out of the workload. */
  timeLimit: number;
  progress?: Progress;
}

/** The most bytes a workload may ask for in all to be run on a heap that never reuses memory (the arena). */
export const NO_REUSE_LIMIT = 1 << 30;

/** The outcome of one contender on one workload. */
export interface PairResult {
  workload: string;
  contender: string;
  /** Measured; failed (an error, or a block whose bytes changed); or skipped (unsuitable, or too slow). */
  status: "measured" | "failed" | "skipped";
  /** Why it failed or was skipped, else null. */
  reason: string | null;
  /** Nanoseconds per operation of each timed run, in the order they ran. */
  runs: number[];
  /** Nanoseconds per operation over the timed runs; null unless measured. */
  time: Spread | null;
  /** From the verified run; null unless it completed. */
  footprint: Footprint | null;
}

export interface WorkloadSummary {
  name: string;
  description: string;
  operation: string;
  operations: number;
  peakLiveBytes: number;
  bytesAllocated: number;
}

export interface ContenderSummary {
  name: string;
  description: string;
  origin: "linmem" | "peer";
}

export interface BenchResult {
  runs: number;
  workloads: WorkloadSummary[];
  contenders: ContenderSummary[];
  /** Contenders that could not run here, and why. */
  unavailable: { name: string; reason: string }[];
  /** One per workload and contender, workload by workload. */
  results: PairResult[];
}

/** Thrown from a verified run that has gone on for longer than the time limit. */
class TimeLimitExceeded extends Error {}

interface Entrant {
  contender: Contender;
  makeHeap: HeapMaker;
  /** The workload's timed loop, this contender's own copy. */
  prepareRun: (heap: Heap) => () => void;
  result: PairResult;
}

export async function runBenchmark(
  workloads: readonly Workload[],
  contenders: readonly Contender[],
  options: RunnerOptions,
): Promise<BenchResult> {
  const { runs, timeLimit, progress = SILENT_PROGRESS } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a whole number from 1, got ${runs}`);

  const ready: { contender: Contender; makeHeap: HeapMaker }[] = [];
  const unavailable: BenchResult["unavailable"] = [];
  for (const contender of contenders) {
    try {
      ready.push({ contender, makeHeap: await contender.load() });
    } catch (error) {
      if (!(error instanceof ContenderUnavailable)) throw error;
      unavailable.push({ name: contender.name, reason: error.message });
    }
  }

  /** The verified run, the warm-up run and the timed runs. */
  const unitsPerPair = 2 + runs;
  let done = 0;
  progress.start(workloads.length * ready.length * unitsPerPair);
  const results: PairResult[] = [];
  try {
    for (const workload of workloads) {
      const needs: HeapNeeds = { peakLiveBytes: workload.peakLiveBytes, bytesAllocated: workload.bytesAllocated };
      const entrants: Entrant[] = ready.map(({ contender, makeHeap }) => ({
        contender,
        makeHeap,
        prepareRun: workload.ownLoop(),
        result: {
          workload: workload.name,
          contender: contender.name,
          status: "measured",
          reason: null,
          runs: [],
          time: null,
          footprint: null,
        },
      }));

      for (const entrant of entrants) {
        const doing = `${workload.name}: ${entrant.contender.name}, verified run`;
        progress.update(done, doing);
        await verify(workload, entrant, needs, timeLimit, (fraction) => progress.update(done + fraction, doing));
        done += entrant.result.status === "measured" ? 1 : unitsPerPair;
        await nextTurn();
      }

      // Round 0 warms up: each contender's copy of the loop is compiled while it runs, so its time is not kept.
      for (let round = 0; round <= runs; round++) {
        for (const entrant of entrants) {
          if (entrant.result.status !== "measured") continue;
          const doing = round === 0 ? "warm-up run" : `run ${round} of ${runs}`;
          progress.update(done, `${workload.name}: ${entrant.contender.name}, ${doing}`);
          const elapsed = await timeOneRun(entrant, needs);
          if (round > 0 && elapsed !== null) entrant.result.runs.push(elapsed / Math.max(workload.operations, 1));
          done += entrant.result.status === "measured" ? 1 : runs - round + 1;
          await nextTurn();
        }
      }

      for (const { result } of entrants) {
        if (result.status === "measured") result.time = spread(result.runs);
        results.push(result);
      }
    }
  } finally {
    progress.stop();
  }

  return {
    runs,
    workloads: workloads.map(({ name, description, operation, operations, peakLiveBytes, bytesAllocated }) => ({
      name,
      description,
      operation,
      operations,
      peakLiveBytes,
      bytesAllocated,
    })),
    contenders: ready.map(({ contender: { name, description, origin } }) => ({ name, description, origin })),
    unavailable,
    results,
  };
}

/** The verified run: footprint and correctness. Leaves the result skipped or failed when it cannot be measured. */
async function verify(
  workload: Workload,
  entrant: Entrant,
  needs: HeapNeeds,
  timeLimit: number,
  onFraction: (fraction: number) => void,
): Promise<void> {
  const { contender, result } = entrant;
  if (!contender.reusesMemory && workload.bytesAllocated > NO_REUSE_LIMIT) {
    result.status = "skipped";
    result.reason = `it never reuses memory, and this workload asks for ${mebibytes(workload.bytesAllocated)} in all`;
    return;
  }
  const startedAt = performance.now();
  const onProgress = (operationsDone: number): void => {
    if (performance.now() - startedAt > timeLimit * 1000) throw new TimeLimitExceeded();
    onFraction(operationsDone / Math.max(workload.operations, 1));
  };
  try {
    collectGarbage();
    const heap = await entrant.makeHeap(needs);
    result.footprint = workload.verify(heap, onProgress);
    heap.check?.();
  } catch (error) {
    if (error instanceof TimeLimitExceeded) {
      result.status = "skipped";
      result.reason = `too slow: its verified run took more than ${timeLimit} s`;
    } else {
      result.status = "failed";
      result.reason = (error as Error).message;
    }
  }
}

/** One run on a fresh heap: its time in nanoseconds, or null when it failed (and the result says why). */
async function timeOneRun(entrant: Entrant, needs: HeapNeeds): Promise<number | null> {
  const { result } = entrant;
  try {
    const run = entrant.prepareRun(await entrant.makeHeap(needs));
    collectGarbage();
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start);
  } catch (error) {
    result.status = "failed";
    result.reason = `timed run ${result.runs.length + 1}: ${(error as Error).message}`;
    return null;
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(0)} MiB`;
}
