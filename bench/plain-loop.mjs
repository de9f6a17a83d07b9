// The ring as a program writes it: a plain loop over `heap.free` and `heap.allocate`, with the TypeScript TLSF and the
// TLSF module (through `loadAllocator`) on memories of their own. The two alternate round by round in one process, so
// that the machine's load falls on both alike; each line gives the median of 7 rounds of 2,000,000 steps, and the
// ratio of the TypeScript build's time to the module's.
//
//     npm run build && node bench/plain-loop.mjs [--live 100,1024]
import { parseArgs } from "node:util";
import { LinearMemory, loadAllocator, tlsf } from "../dist/index.js";

const STEPS = 2_000_000;
const ROUNDS = 7;

const { values } = parseArgs({ options: { live: { type: "string", default: "100,1024" } } });
const liveCounts = values.live.split(",").map(Number);

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

const typescript = tlsf(LinearMemory.create());
const module = await loadAllocator("tlsf", LinearMemory.create());
for (const live of liveCounts) {
  const blockSizes = sizes(live + STEPS);
  const times = { typescript: [], module: [] };
  for (let round = 0; round < ROUNDS; round++) {
    times.typescript.push(ring(typescript, live, blockSizes));
    times.module.push(ring(module, live, blockSizes));
  }
  const [a, b] = [median(times.typescript), median(times.module)];
  console.log(`ring of ${live}: tlsf ${a.toFixed(1)} ns, tlsf-wasm ${b.toFixed(1)} ns, ratio ${(a / b).toFixed(2)}`);
}
