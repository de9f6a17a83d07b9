/**
 * The threads workload: several threads on one shared heap, each in a worker of its own (threads-worker.ts), doing
 * the ring's steps at once, in two ways:
 *
 * - independent: each thread has a ring of its own (its live blocks, its sizes), and frees its own blocks;
 * - producer/consumer: threads in pairs, one allocating blocks and passing them through a queue, the other freeing
 *   them, so that every block is freed by another thread than the one that allocated it.
 *
 * A step is one allocation and one free. Throughput is the steps of all threads over the time from the first thread's
 * start to the last one's end, a round at a time; the rounds of the allocators are interleaved, as in runner.ts. And
 * once more with one thread, on a memory of its own that is not shared: what the lock costs a thread that is alone.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { LinearMemory } from "../memory/linear-memory.js";
import type { AllocatorModuleName } from "../wasm/modules.js";
import type { WebAssemblyMemory } from "../webassembly-types.js";
import type { Progress } from "./progress.js";
import { SILENT_PROGRESS } from "./progress.js";
import type { RingOptions } from "./ring.js";
import { type Spread, spread } from "./statistics.js";
import { createHeap, queueBuffer, type RoundTimes, type ThreadRole, type ThreadsWorkerData } from "./threads-worker.js";

/** An allocator the threads workload runs: linmem's own, in one of its builds; peers have no shared heap. */
export interface ThreadsContender {
  name: string;
  allocator: AllocatorModuleName;
  build: "TypeScript" | "WebAssembly";
}

/** linmem's allocators that reuse memory, by the names of the benchmark's registry (contenders.ts). */
export const THREADS_CONTENDERS: readonly ThreadsContender[] = [
  { name: "tlsf", allocator: "tlsf", build: "TypeScript" },
  { name: "tlsf-wasm", allocator: "tlsf", build: "WebAssembly" },
  { name: "buddy", allocator: "buddy", build: "TypeScript" },
  { name: "buddy-wasm", allocator: "buddy", build: "WebAssembly" },
];

export type ThreadsMode = "independent" | "producer/consumer";

export interface ThreadsOptions {
  /** The thread counts to run; producer/consumer runs the even ones. */
  threads: readonly number[];
  /** The ring of each thread (its `steps` a round's steps per thread, or per pair), as the ring workload's. */
  ring: RingOptions;
  /** Timed rounds, after WARM_UP_ROUNDS untimed ones. */
  runs: number;
  progress?: Progress;
}

/** One allocator, one way, one thread count, on a shared memory or, for one thread, an unshared one. */
export interface ThreadsResult {
  contender: string;
  mode: ThreadsMode;
  threads: number;
  shared: boolean;
  /** Steps of all threads per second, each timed round. */
  runs: number[];
  /** Steps per second over the rounds. */
  throughput: Spread;
}

export interface ThreadsReport {
  /** The ring of each thread: its live blocks, sizes and seed, and its steps per round. */
  ring: RingOptions;
  threads: number[];
  runs: number;
  contenders: string[];
  results: ThreadsResult[];
}

const WARM_UP_ROUNDS = 2;
const HEAP_BASE = 8;
const WORKER_MODULE = new URL("./threads-worker.js", import.meta.url);

/** Whether the threads workload can run here: it needs the compiled worker module. */
function canRunThreads(): boolean {
  return existsSync(fileURLToPath(WORKER_MODULE));
}

/** One allocator, way, thread count and memory: its workers, ready to run rounds. */
interface Setup {
  result: ThreadsResult;
  workers: Worker[];
  gate: Int32Array;
  /** The steps of all threads in a round. */
  steps: number;
}

export async function runThreads(
  contenders: readonly ThreadsContender[],
  options: ThreadsOptions,
): Promise<ThreadsReport> {
  const { threads, ring, runs, progress = SILENT_PROGRESS } = options;
  if (!canRunThreads()) throw new Error("the threads workload needs the compiled package: run `npm run build`");
  const groups: { mode: ThreadsMode; threads: number; shared: boolean }[] = [];
  for (const count of threads) {
    if (count === 1) groups.push({ mode: "independent", threads: 1, shared: false });
    groups.push({ mode: "independent", threads: count, shared: true });
  }
  for (const count of threads) {
    if (count % 2 === 0) groups.push({ mode: "producer/consumer", threads: count, shared: true });
  }
  const rounds = WARM_UP_ROUNDS + runs;
  progress.start(groups.length * contenders.length * rounds);
  const results: ThreadsResult[] = [];
  let done = 0;
  try {
    for (const group of groups) {
      const setups: Setup[] = [];
      try {
        for (const contender of contenders) setups.push(await setUp(contender, group, ring));
        for (let round = 1; round <= rounds; round++) {
          for (const setup of setups) {
            const { contender, mode } = setup.result;
            progress.update(done++, `threads: ${contender}, ${mode}, ${group.threads} of them, round ${round}`);
            const seconds = await runRound(setup, round);
            if (round > WARM_UP_ROUNDS) setup.result.runs.push(setup.steps / seconds);
          }
        }
      } finally {
        await Promise.all(setups.flatMap(({ workers }) => workers.map((worker) => worker.terminate())));
      }
      for (const { result } of setups) {
        result.throughput = spread(result.runs);
        results.push(result);
      }
    }
  } finally {
    progress.stop();
  }
  return { ring, threads: [...threads], runs, contenders: contenders.map(({ name }) => name), results };
}

/** Makes the heap (a shared one) and starts the workers, each of which says when it is ready. */
async function setUp(
  contender: ThreadsContender,
  group: { mode: ThreadsMode; threads: number; shared: boolean },
  ring: RingOptions,
): Promise<Setup> {
  let memory: WebAssemblyMemory | null = null;
  if (group.shared) {
    const shared = LinearMemory.create({ shared: true, maximumPages: 65536 });
    await createHeap(contender.build, contender.allocator, shared, HEAP_BASE);
    memory = shared.memory;
  }
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const roles: ThreadRole[] = [];
  const queues: (SharedArrayBuffer | null)[] = [];
  for (let thread = 0; thread < group.threads; thread++) {
    if (group.mode === "independent") {
      roles.push("ring");
      queues.push(null);
    } else {
      roles.push(thread % 2 === 0 ? "producer" : "consumer");
      queues.push(thread % 2 === 0 ? queueBuffer(ring.liveBlocks) : (queues[thread - 1] as SharedArrayBuffer));
    }
  }
  const workers = roles.map((role, thread) => {
    const workerData: ThreadsWorkerData = {
      memory,
      heapBase: HEAP_BASE,
      allocator: contender.allocator,
      build: contender.build,
      role,
      liveBlocks: ring.liveBlocks,
      steps: ring.steps,
      minSize: ring.minSize,
      maxSize: ring.maxSize,
      seed: ring.seed + thread,
      gate: gate.buffer as SharedArrayBuffer,
      queue: queues[thread] ?? null,
    };
    return new Worker(WORKER_MODULE, { workerData });
  });
  await Promise.all(workers.map((worker) => answer(worker)));
  const pairs = group.mode === "independent" ? group.threads : group.threads / 2;
  return {
    result: { ...group, contender: contender.name, runs: [], throughput: { median: 0, min: 0, max: 0 } },
    workers,
    gate,
    steps: pairs * ring.steps,
  };
}

/** Opens the gate for `round` and waits for every thread: the seconds from the first start to the last end. */
async function runRound(setup: Setup, round: number): Promise<number> {
  const answers = setup.workers.map((worker) => answer<RoundTimes>(worker));
  Atomics.store(setup.gate, 0, round);
  Atomics.notify(setup.gate, 0);
  const times = await Promise.all(answers);
  const began = Math.min(...times.map((time) => time.began));
  const ended = Math.max(...times.map((time) => time.ended));
  return (ended - began) / 1000;
}

/** A worker's next message, or its failure. */
function answer<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const settle = (message: T | { error: string }): void => {
      worker.off("error", fail);
      worker.off("exit", exited);
      if (typeof message === "object" && message !== null && "error" in message) reject(new Error(message.error));
      else resolve(message as T);
    };
    const fail = (error: Error): void => {
      worker.off("message", settle);
      worker.off("exit", exited);
      reject(error);
    };
    const exited = (code: number): void => {
      worker.off("message", settle);
      worker.off("error", fail);
      reject(new Error(`a thread of the workload exited with status ${code}`));
    };
    worker.once("message", settle);
    worker.once("error", fail);
    worker.once("exit", exited);
  });
}
