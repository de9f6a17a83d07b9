// The ring as a program writes it: a plain loop over `heap.free` and `heap.allocate`, with the TypeScript TLSF and the
// TLSF module (through `loadAllocator`), in its build for size and its build for speed. Each runs in a worker thread of
// its own, so that one's calls leave the others' code as V8 would compile it in a program that has one kind of heap;
// the three take their rounds in turn, so that the machine's load falls on all alike. Each line gives the median of 7
// rounds of 2,000,000 steps, and the ratio of the TypeScript build's time to each module build's.
//
//     npm run build && node bench/plain-loop.mjs [--live 100,1024]
import { parseArgs } from "node:util";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { LinearMemory, loadAllocator, tlsf } from "../dist/index.js";

const STEPS = 2_000_000;
const ROUNDS = 7;

/** The heaps compared, by the name the benchmark gives them. */
const HEAPS = {
  tlsf: async () => tlsf(LinearMemory.create()),
  "tlsf-wasm": () => loadAllocator("tlsf", LinearMemory.create()),
  "tlsf-wasm-fast": () => loadAllocator("tlsf", LinearMemory.create(), { fast: true }),
};

/** Block sizes from 8 to 512 bytes, the same on every run. */
function sizes(count) {
  let state = 1;
  return Uint32Array.from({ length: count }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return 8 + Math.floor((state / 2 ** 32) * 505);
  });
}

/** Nanoseconds a step: free the oldest block, allocate a new one. */
function ring(heap, live, blockSizes) {
  heap.reset();
  const slots = new Uint32Array(live);
  for (let slot = 0; slot < live; slot++) slots[slot] = heap.allocate(blockSizes[slot]);
  const start = performance.now();
  let slot = 0;
  for (let step = 0; step < STEPS; step++) {
    heap.free(slots[slot]);
    slots[slot] = heap.allocate(blockSizes[live + step]);
    if (++slot === live) slot = 0;
  }
  return ((performance.now() - start) * 1e6) / STEPS;
}

function median(values) {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}

/** A worker: one heap, a round of the ring for each message naming the live blocks, answered with its time. */
async function serve() {
  const heap = await HEAPS[workerData.heap]();
  const blockSizes = new Map();
  parentPort.on("message", (live) => {
    if (!blockSizes.has(live)) blockSizes.set(live, sizes(live + STEPS));
    parentPort.postMessage(ring(heap, live, blockSizes.get(live)));
  });
}

/** A round on one worker, and its time. */
function round(worker, live) {
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", (time) => {
      worker.off("error", reject);
      resolve(time);
    });
    worker.postMessage(live);
  });
}

async function main() {
  const { values } = parseArgs({ options: { live: { type: "string", default: "100,1024" } } });
  const workers = Object.keys(HEAPS).map((heap) => new Worker(new URL(import.meta.url), { workerData: { heap } }));
  for (const live of values.live.split(",").map(Number)) {
    const times = workers.map(() => []);
    for (let index = 0; index < ROUNDS; index++) {
      for (const [which, worker] of workers.entries()) times[which].push(await round(worker, live));
    }
    const [typescript, module, fast] = times.map(median);
    console.log(
      `ring of ${live}: tlsf ${typescript.toFixed(1)} ns, tlsf-wasm ${module.toFixed(1)} ns, ` +
        `tlsf-wasm-fast ${fast.toFixed(1)} ns; ratios ${(typescript / module).toFixed(2)} and ${(typescript / fast).toFixed(2)}`,
    );
  }
  for (const worker of workers) await worker.terminate();
}

await (isMainThread ? main() : serve());
