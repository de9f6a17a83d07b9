/**
 * Runs every contender on every workload and measures them.
 *
 * For each workload, each contender first runs it once with every block's bytes verified: that run measures the
 * footprint, and a heap that loses a byte fails there, before any time is taken. Then come the timed runs,
 * interleaved (A B C, A B C, ...) so that whatever disturbs the machine for a while (another process, the CPU's clock)
 * is shared among the contenders rather than falling on one; untimed runs before them let the JIT compile each
 * contender's code. Each run starts from an empty heap, made ready before the clock starts, and makes nothing but
 * the allocation calls; a full garbage collection before it keeps the garbage of one run from being collected during
 * another.
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

/** How long warming up takes at least, in nanoseconds, unless WARM_UP_RUNS runs are made first. */
const WARM_UP_TIME = 500e6;
const WARM_UP_RUNS = 20;

/** Thrown from a verified run that has gone on for longer than the time limit. */
class TimeLimitExceeded extends Error {}

interface Entrant {
  contender: Contender;
  makeHeap: HeapMaker;
  /** The workload's timed loop, this contender's own copy. */
  prepareRun: (heap: Heap) => () => void;
  /** The heap of the warm-up and timed runs, reset before each. */
  heap: Heap | null;
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

  /** The verified run, the warm-up runs (counted as one) and the timed runs. */
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
        heap: null,
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

      for (const entrant of entrants) {
        if (entrant.result.status !== "measured") continue;
        progress.update(done, `${workload.name}: ${entrant.contender.name}, warming up`);
        await warmUp(entrant, needs);
        done += entrant.result.status === "measured" ? 1 : 1 + runs;
        await nextTurn();
      }

      for (let round = 1; round <= runs; round++) {
        for (const entrant of entrants) {
          if (entrant.result.status !== "measured") continue;
          progress.update(done, `${workload.name}: ${entrant.contender.name}, run ${round} of ${runs}`);
          const elapsed = await timeOneRun(entrant, needs);
          if (elapsed !== null) entrant.result.runs.push(elapsed / Math.max(workload.operations, 1));
          done += entrant.result.status === "measured" ? 1 : runs - round + 1;
          await nextTurn();
        }
      }

      for (const entrant of entrants) {
        const { result } = entrant;
        if (result.status === "measured") result.time = spread(result.runs);
        results.push(result);
        entrant.heap = null;
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

/**
 * Untimed runs, so that the JIT has compiled the loop and the allocator before the clock runs: V8 compiles in tiers,
 * in the background, and a short workload may need a few runs before its code is optimized. At least one run, then
 * more while they add up to less than WARM_UP_TIME, up to WARM_UP_RUNS.
 */
async function warmUp(entrant: Entrant, needs: HeapNeeds): Promise<void> {
  let spent = 0;
  for (let run = 0; run < WARM_UP_RUNS && spent < WARM_UP_TIME; run++) {
    const elapsed = await timeOneRun(entrant, needs);
    if (elapsed === null) return;
    spent += elapsed;
  }
}

/**
 * One run on an empty heap: its time in nanoseconds, or null when it failed (and the result says why).
 *
 * Every run of a contender uses the same heap, reset, rather than a new one. The JIT compiles the loop for the heap
 * it meets and refers to its objects from the compiled code; were the heap new each time, the collector would take
 * the old one after a run, and with it the compiled code, which the next run would spend compiling again. A
 * program keeps its heap for long. The memory therefore keeps the size the first run grew it to: the time is that
 * of the allocator's operations, without the growing of the memory.
 */
async function timeOneRun(entrant: Entrant, needs: HeapNeeds): Promise<number | null> {
  const { result } = entrant;
  try {
    if (entrant.heap === null) entrant.heap = await entrant.makeHeap(needs);
    else entrant.heap.reset();
    const run = entrant.prepareRun(entrant.heap);
    collectGarbage();
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start);
  } catch (error) {
    result.status = "failed";
    result.reason = `a timed run: ${(error as Error).message}`;
    return null;
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(0)} MiB`;
}
