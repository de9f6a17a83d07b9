// The TLSF's speed on the ring workload (1,024 live blocks, 8..512 bytes, seed 1), two ways:
//
// - inside WebAssembly: the loop of bench/wasm-ring/ring.ts compiled with linmem's TLSF module and, alike, with
//   AssemblyScript's runtime TLSF, once with -O3 and once with -Oz; and the loop alone, for what it costs itself;
// - from JavaScript: the loop of src/bench/ring.ts calling the TypeScript TLSF, the TLSF module through the
//   `Allocator` that loadAllocator returns and through its bare exports, and AssemblyScript's TLSF's exports.
//
// Contenders take turns within each round, in an order that rotates from round to round, and every run has a fresh
// heap. Figures are nanoseconds per step: the median over the rounds, then the fastest and slowest run.
//
//     npm run build && node bench/wasm-ring.mjs [--steps 2000000] [--rounds 7]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { freshCopy } from "../dist/bench/fresh-copy.js";
import { seededRandom } from "../dist/bench/random.js";
import { LinearMemory, loadAllocator, tlsf } from "../dist/index.js";

const LIVE_BLOCKS = 1024;
const MIN_SIZE = 8;
const MAX_SIZE = 512;
const SEED = 1;

const { values } = parseArgs({
  options: { steps: { type: "string", default: "2000000" }, rounds: { type: "string", default: "7" } },
});
const steps = Number(values.steps);
const rounds = Number(values.rounds);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(rounds) || rounds < 1) {
  throw new RangeError("--steps and --rounds take whole numbers from 1");
}

// The sizes of every block, as src/bench/ring.ts draws them, and the sums the WebAssembly loops must report.
const sizes = new Uint32Array(LIVE_BLOCKS + steps);
const random = seededRandom(SEED);
for (let block = 0; block < sizes.length; block++) {
  sizes[block] = MIN_SIZE + Math.floor(random() * (MAX_SIZE - MIN_SIZE + 1));
}
const sumOf = (from, to) => sizes.subarray(from, to).reduce((sum, size) => (sum + size) >>> 0, 0);
const fillSum = sumOf(0, LIVE_BLOCKS);
const runSum = sumOf(LIVE_BLOCKS, LIVE_BLOCKS + steps);

async function wasmModule(name) {
  const file = new URL(`../build/wasm/${name}.wasm`, import.meta.url);
  try {
    return await WebAssembly.compile(await readFile(file));
  } catch (error) {
    throw new Error(`cannot load ${file.pathname}: run \`npm run build\` first`, { cause: error });
  }
}

/**
 * A contender inside WebAssembly: a fresh instance fills its ring, then runs the steps, timed. The sums say the
 * loop drew the sizes the JavaScript loop draws; linmem's heap must also pass the TypeScript twin's check.
 */
async function inWasm(label, name, check) {
  const module = await wasmModule(name);
  let checked = false;
  return {
    label,
    run() {
      const { exports } = new WebAssembly.Instance(module, {});
      if (exports.fill() >>> 0 !== fillSum) throw new Error(`${name}: the ring's first sizes differ`);
      const start = performance.now();
      const sum = exports.run(steps) >>> 0;
      const time = performance.now() - start;
      if (sum !== runSum) throw new Error(`${name}: the sizes differ from src/bench/ring.ts's`);
      if (check && !checked) {
        tlsf.attach(exports.memory, exports.heapBase()).check();
        checked = true;
      }
      return time;
    },
  };
}

/** The timed loop of src/bench/ring.ts; each contender gets a copy of its own (see src/bench/fresh-copy.ts). */
function ringLoop(heap, ring, sizes, steps) {
  const liveBlocks = ring.length;
  let slot = 0;
  for (let step = 0; step < steps; step++) {
    heap.free(ring[slot]);
    ring[slot] = heap.allocate(sizes[liveBlocks + step]);
    if (++slot === liveBlocks) slot = 0;
  }
}

/** A contender called from JavaScript: `makeHeap` gives a fresh heap with `allocate` and `free`. */
function fromJs(label, makeHeap) {
  const loop = freshCopy(ringLoop);
  return {
    label,
    async run() {
      const heap = await makeHeap();
      const ring = new Uint32Array(LIVE_BLOCKS);
      for (let slot = 0; slot < LIVE_BLOCKS; slot++) ring[slot] = heap.allocate(sizes[slot]);
      const start = performance.now();
      loop(heap, ring, sizes, steps);
      return performance.now() - start;
    },
  };
}

const asTlsfPeer = await wasmModule("assemblyscript-tlsf");

const sections = [];
for (const optimisation of ["O3", "Oz"]) {
  sections.push({
    title: `Inside WebAssembly, the loop and the allocator compiled together with asc -${optimisation}`,
    ratio: ["linmem TLSF", "AssemblyScript TLSF"],
    contenders: [
      await inWasm("linmem TLSF", `ring-linmem-tlsf-${optimisation}`, true),
      await inWasm("AssemblyScript TLSF", `ring-assemblyscript-tlsf-${optimisation}`, false),
      await inWasm("the loop alone", `ring-loop-only-${optimisation}`, false),
    ],
  });
}
sections.push({
  title: "From JavaScript, the loop of src/bench/ring.ts",
  ratio: ["linmem TLSF module, as an Allocator", "linmem TLSF, TypeScript"],
  contenders: [
    fromJs("linmem TLSF, TypeScript", () => tlsf(LinearMemory.create())),
    fromJs("linmem TLSF module, as an Allocator", () => loadAllocator("tlsf", LinearMemory.create())),
    fromJs("linmem TLSF module, bare exports", async () => {
      const { exports } = await loadAllocator("tlsf", LinearMemory.create());
      return { allocate: exports.allocate_memory, free: exports.free_memory };
    }),
    fromJs("AssemblyScript TLSF, bare exports", () => {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const { exports } = new WebAssembly.Instance(asTlsfPeer, { env: { memory } });
      return { allocate: exports.malloc, free: exports.free };
    }),
  ],
});

const nanosPerStep = (ms) => (ms * 1e6) / steps;
const format = (ms) => nanosPerStep(ms).toFixed(1).padStart(6);

console.log(
  `Ring: ${LIVE_BLOCKS.toLocaleString("en-US")} live blocks of ${MIN_SIZE}..${MAX_SIZE} bytes, ` +
    `${steps.toLocaleString("en-US")} steps, seed ${SEED}; ${rounds} interleaved rounds; ns per step, ` +
    "median (fastest, slowest)",
);
for (const section of sections) {
  const times = new Map(section.contenders.map((contender) => [contender.label, []]));
  for (let round = 0; round < rounds; round++) {
    const count = section.contenders.length;
    for (let turn = 0; turn < count; turn++) {
      const contender = section.contenders[(round + turn) % count];
      times.get(contender.label).push(await contender.run());
    }
  }
  const medians = new Map();
  console.log(`\n${section.title}`);
  for (const [label, runs] of times) {
    runs.sort((a, b) => a - b);
    const median = runs[Math.floor(runs.length / 2)];
    medians.set(label, median);
    console.log(`  ${label.padEnd(40)} ${format(median)}  (${format(runs[0])}, ${format(runs.at(-1))})`);
  }
  const [subject, reference] = section.ratio;
  const ratio = medians.get(subject) / medians.get(reference);
  console.log(`  ${subject} takes ${ratio.toFixed(2)} times as long as ${reference}`);
}
