/**
 * Runs every contender on every workload and measures them.
 *
 * For each workload, each contender first runs it once with every block's bytes verified: that run measures the
 * footprint, and a heap that loses a byte fails there, before any time is taken. Then come untimed runs to warm up,
 * and the timed runs, interleaved (A B C, A B C, ...) so that whatever disturbs the machine for a while (another
 * process, the CPU's clock) is shared among the contenders rather than falling on one. Each contender runs in a worker
 * of its own where it can (isolated-entrant.ts), and each run as entrant.ts describes.
 *
 * Runs are timed by hand with `process.hrtime.bigint()`: each is one long batch of operations, milliseconds to
 * seconds, where the clock's resolution does not matter, and interleaving whole runs is what the measurement needs.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Contender, HeapMaker } from "./contender.js";
import { CONTENDERS } from "./contenders.js";
import { type Entrant, localEntrant, type RunOutcome } from "./entrant.js";
import { canIsolate, isolatedEntrant } from "./isolated-entrant.js";
import { type Progress, SILENT_PROGRESS } from "./progress.js";
import { type Unavailable, unavailableAmong } from "./requirement.js";
import { type Spread, spread } from "./statistics.js";
import type { Footprint, Workload } from "./workload.js";

export interface RunnerOptions {
  /** Timed runs of each contender on each workload. */
  runs: number;
  /** The longest, in seconds, a verified run may take; a contender slower than that is left out of the workload. */
  timeLimit: number;
  progress?: Progress;
  /**
   * Run each contender of the registry in a worker of its own (default true). Other contenders, and all of them when
   * the compiled worker module is absent, run in this process.
   */
  isolate?: boolean;
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
  /** True when it ran in a worker of its own. */
  isolated: boolean;
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
  /** False for a heap that never reuses memory. */
  reusesMemory: boolean;
}

export interface BenchResult {
  runs: number;
  workloads: WorkloadSummary[];
  contenders: ContenderSummary[];
  /** Contenders not available here, left out, and what they need. */
  unavailable: Unavailable[];
  /** One per workload and contender, workload by workload. */
  results: PairResult[];
}

/** A contender ready to run: its heap maker, or why it did not load. */
type Loaded = { contender: Contender } & ({ makeHeap: HeapMaker } | { loadFailure: string });

interface Pair {
  contender: Contender;
  loaded: Loaded;
  entrant: Entrant | null;
  result: PairResult;
}

export async function runBenchmark(
  workloads: readonly Workload[],
  contenders: readonly Contender[],
  options: RunnerOptions,
): Promise<BenchResult> {
  const { runs, timeLimit, progress = SILENT_PROGRESS, isolate = true } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a whole number from 1, got ${runs}`);

  const unavailable = unavailableAmong(contenders);
  const ready: Loaded[] = [];
  for (const contender of contenders) {
    if (unavailable.some(({ name }) => name === contender.name)) continue;
    try {
      ready.push({ contender, makeHeap: await contender.load() });
    } catch (error) {
      // Available, yet it did not load: a failure of the contender's, on every workload.
      ready.push({ contender, loadFailure: `it did not load: ${(error as Error).message}` });
    }
  }
  const inWorker = (contender: Contender): boolean => isolate && CONTENDERS.includes(contender) && canIsolate();

  /** The verified run, the warm-up runs (counted as one) and the timed runs. */
  const unitsPerPair = 2 + runs;
  let done = 0;
  progress.start(workloads.length * ready.length * unitsPerPair);
  const results: PairResult[] = [];
  try {
    for (const workload of workloads) {
      const pairs: Pair[] = ready.map((loaded) => ({
        contender: loaded.contender,
        loaded,
        entrant: null,
        result: {
          workload: workload.name,
          contender: loaded.contender.name,
          status: "measured",
          reason: null,
          runs: [],
          time: null,
          footprint: null,
          isolated: inWorker(loaded.contender),
        },
      }));
      try {
        for (const pair of pairs) {
          const doing = `${workload.name}: ${pair.contender.name}, verified run`;
          progress.update(done, doing);
          await verify(workload, pair, timeLimit, (fraction) => progress.update(done + fraction, doing));
          done += pair.result.status === "measured" ? 1 : unitsPerPair;
          await nextTurn();
        }
        for (const pair of pairs) {
          if (pair.entrant === null) continue;
          progress.update(done, `${workload.name}: ${pair.contender.name}, warming up`);
          record(pair, await pair.entrant.warmUp(), null);
          done += pair.result.status === "measured" ? 1 : 1 + runs;
        }
        for (let round = 1; round <= runs; round++) {
          for (const pair of pairs) {
            if (pair.entrant === null) continue;
            progress.update(done, `${workload.name}: ${pair.contender.name}, run ${round} of ${runs}`);
            record(pair, await pair.entrant.time(), workload.operations);
            done += pair.result.status === "measured" ? 1 : runs - round + 1;
          }
        }
      } finally {
        await Promise.all(pairs.map((pair) => pair.entrant?.close()));
      }
      for (const { result } of pairs) {
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
    contenders: ready.map(({ contender: { name, description, origin, reusesMemory } }) => ({
      name,
      description,
      origin,
      reusesMemory,
    })),
    unavailable,
    results,
  };
}

/**
 * Makes the pair's entrant and its verified run. A contender that cannot run the workload, that fails the run or
 * takes too long, is left without an entrant, and its result says why.
 */
async function verify(
  workload: Workload,
  pair: Pair,
  timeLimit: number,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const { contender, loaded, result } = pair;
  if ("loadFailure" in loaded) {
    result.status = "failed";
    result.reason = loaded.loadFailure;
    return;
  }
  if (!contender.reusesMemory && workload.bytesAllocated > NO_REUSE_LIMIT) {
    result.status = "skipped";
    result.reason = `it never reuses memory, and this workload asks for ${mebibytes(workload.bytesAllocated)} in all`;
    return;
  }
  const entrant = result.isolated
    ? isolatedEntrant(contender.name, workload.source)
    : localEntrant(workload, loaded.makeHeap);
  const outcome = await entrant.verify(timeLimit, onProgress);
  if (outcome.status === "measured") {
    result.footprint = outcome.footprint;
    pair.entrant = entrant;
  } else {
    result.status = outcome.status;
    result.reason = outcome.reason;
    await entrant.close();
  }
}

/** Keeps a run's time per operation (none for a warm-up run), or fails the pair. */
function record(pair: Pair, outcome: RunOutcome, operations: number | null): void {
  if ("failure" in outcome) {
    pair.result.status = "failed";
    pair.result.reason = `${operations === null ? "a warm-up run" : "a timed run"}: ${outcome.failure}`;
    void pair.entrant?.close();
    pair.entrant = null;
  } else if (operations !== null) {
    pair.result.runs.push(outcome.nanoseconds / Math.max(operations, 1));
  }
}

function mebibytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(0)} MiB`;
}
