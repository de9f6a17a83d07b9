/**
 * One thread of the threads workload (threads.ts): it attaches to the shared heap the benchmark made, with the
 * TypeScript build or the WebAssembly module, or makes a heap of its own on an unshared memory; then, each time the
 * gate opens for a round, it takes its steps and answers when it began and ended them.
 *
 * - ring: a ring of its own, as src/bench/ring.ts: each step frees the oldest block and allocates a new one;
 * - producer: each step allocates a block and passes it on through the queue;
 * - consumer: each step takes a block from the queue and frees it.
 *
 * The queue is a ring buffer in a SharedArrayBuffer, for one producer and one consumer. Each side publishes its index
 * every QUEUE_BATCH steps, and before it waits, so that the queue's own atomic operations cost little beside the
 * heap's. A side with nothing to do spins briefly, then sleeps until the other side's next publication, at most a
 * millisecond.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { BlockAllocator } from "../allocator/contract.js";
import { LinearMemory } from "../memory/linear-memory.js";
import { loadAllocator } from "../wasm/loader.js";
import type { AllocatorModuleName } from "../wasm/modules.js";
import { TYPESCRIPT_TWINS } from "../wasm/twins.js";
import type { WebAssemblyMemory } from "../webassembly-types.js";
import { seededRandom } from "./random.js";

export type ThreadRole = "ring" | "producer" | "consumer";

export interface ThreadsWorkerData {
  /** The shared memory and its heap, or null for a heap of the thread's own on an unshared memory. */
  memory: WebAssemblyMemory | null;
  heapBase: number;
  allocator: AllocatorModuleName;
  build: "TypeScript" | "WebAssembly";
  role: ThreadRole;
  /** The ring's live blocks, or the queue's capacity. */
  liveBlocks: number;
  /** Steps per round. */
  steps: number;
  minSize: number;
  maxSize: number;
  seed: number;
  /** An Int32Array's buffer: word 0 is the round the thread may run. */
  gate: SharedArrayBuffer;
  /** The queue, for a producer and its consumer. */
  queue: SharedArrayBuffer | null;
}

/** What a thread answers after a round: when it began and ended, in milliseconds since the epoch. */
export interface RoundTimes {
  round: number;
  began: number;
  ended: number;
}

/** The queue's words: the consumer's index, the producer's, whether either sleeps, then the slots. */
const QUEUE_HEAD = 0;
const QUEUE_TAIL = 16;
const QUEUE_HEAD_SLEEPS = 32;
const QUEUE_TAIL_SLEEPS = 48;
const QUEUE_SLOTS = 64;
const QUEUE_BATCH = 16;
const SPINS = 1000;

/** The queue's buffer, for `capacity` blocks. */
export function queueBuffer(capacity: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (QUEUE_SLOTS + capacity));
}

/** Lays a new heap out in `memory`, with the build named. */
export async function createHeap(
  build: ThreadsWorkerData["build"],
  allocator: AllocatorModuleName,
  memory: LinearMemory,
  heapBase: number,
): Promise<BlockAllocator> {
  return build === "TypeScript"
    ? TYPESCRIPT_TWINS[allocator](memory, { heapBase })
    : await loadAllocator(allocator, memory, { heapBase });
}

async function attach(data: ThreadsWorkerData): Promise<BlockAllocator> {
  const { memory, heapBase, allocator, build } = data;
  if (memory === null) return createHeap(build, allocator, LinearMemory.create(), heapBase);
  const shared = LinearMemory.wrap(memory);
  return build === "TypeScript"
    ? TYPESCRIPT_TWINS[allocator].attach(shared, heapBase)
    : await loadAllocator.attach(allocator, shared, heapBase);
}

/** Waits while the word at `index` is `seen`: a spin, then sleeps of at most a millisecond, flagged at `sleeps`. */
function waitWhile(queue: Int32Array, index: number, sleeps: number, seen: number): number {
  for (let spin = 0; spin < SPINS; spin++) {
    const now = Atomics.load(queue, index);
    if (now !== seen) return now;
  }
  for (;;) {
    Atomics.store(queue, sleeps, 1);
    Atomics.wait(queue, index, seen, 1);
    Atomics.store(queue, sleeps, 0);
    const now = Atomics.load(queue, index);
    if (now !== seen) return now;
  }
}

function publish(queue: Int32Array, index: number, sleeps: number, value: number): void {
  Atomics.store(queue, index, value);
  if (Atomics.load(queue, sleeps) !== 0) Atomics.notify(queue, index, 1);
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("threads-worker runs in a worker thread");
  const data = workerData as ThreadsWorkerData;
  const heap = await attach(data);
  const gate = new Int32Array(data.gate);
  const random = seededRandom(data.seed);
  const span = data.maxSize - data.minSize + 1;
  const sizes = new Uint32Array(data.steps);
  const nextSizes = (): void => {
    for (let i = 0; i < sizes.length; i++) sizes[i] = data.minSize + Math.floor(random() * span);
  };
  const ring = new Uint32Array(data.role === "ring" ? data.liveBlocks : 0);
  for (let slot = 0; slot < ring.length; slot++) ring[slot] = heap.allocate(data.minSize + Math.floor(random() * span));
  const queue = new Int32Array(data.queue ?? new SharedArrayBuffer(4 * QUEUE_SLOTS));
  const capacity = queue.length - QUEUE_SLOTS;
  let position = 0;
  let cached = 0;
  let slot = 0;

  const ringRound = (): void => {
    for (let step = 0; step < sizes.length; step++) {
      heap.free(ring[slot] as number);
      ring[slot] = heap.allocate(sizes[step] as number);
      if (++slot === ring.length) slot = 0;
    }
  };
  const produce = (): void => {
    for (let step = 0; step < sizes.length; step++) {
      const ptr = heap.allocate(sizes[step] as number);
      if (position - cached >= capacity) {
        publish(queue, QUEUE_TAIL, QUEUE_TAIL_SLEEPS, position);
        cached = Atomics.load(queue, QUEUE_HEAD);
        while (position - cached >= capacity) cached = waitWhile(queue, QUEUE_HEAD, QUEUE_HEAD_SLEEPS, cached);
      }
      queue[QUEUE_SLOTS + (position % capacity)] = ptr;
      if (++position % QUEUE_BATCH === 0) publish(queue, QUEUE_TAIL, QUEUE_TAIL_SLEEPS, position);
    }
    publish(queue, QUEUE_TAIL, QUEUE_TAIL_SLEEPS, position);
  };
  const consume = (): void => {
    for (let step = 0; step < sizes.length; step++) {
      if (position === cached) {
        publish(queue, QUEUE_HEAD, QUEUE_HEAD_SLEEPS, position);
        cached = Atomics.load(queue, QUEUE_TAIL);
        while (position === cached) cached = waitWhile(queue, QUEUE_TAIL, QUEUE_TAIL_SLEEPS, cached);
      }
      heap.free(queue[QUEUE_SLOTS + (position % capacity)] as number);
      if (++position % QUEUE_BATCH === 0) publish(queue, QUEUE_HEAD, QUEUE_HEAD_SLEEPS, position);
    }
    publish(queue, QUEUE_HEAD, QUEUE_HEAD_SLEEPS, position);
  };
  const run = { ring: ringRound, producer: produce, consumer: consume }[data.role];

  port.postMessage({ ready: true });
  for (let round = 1; ; round++) {
    nextSizes();
    Atomics.wait(gate, 0, round - 1);
    const began = performance.timeOrigin + performance.now();
    run();
    const ended = performance.timeOrigin + performance.now();
    port.postMessage({ round, began, ended } satisfies RoundTimes);
  }
}

main().catch((error: unknown) => {
  parentPort?.postMessage({ error: String((error as Error)?.stack ?? error) });
});
