// The ring workload of `linmem bench` (1,024 live blocks, 8..512 bytes, seed 1) run inside WebAssembly: the loop of
// bench/wasm-ring/ring.ts compiled together with linmem's TLSF module and, alike, with AssemblyScript's runtime TLSF,
// once with -O3 and once with -Oz, the way the modules ship; and the loop alone, for what it costs itself. What the
// same allocators cost called from JavaScript, `linmem bench` measures (tlsf, tlsf-wasm, as-tlsf).
//
// The runs follow the benchmark's rules (src/bench/runner.ts): an untimed warm-up run each, then the timed runs
// interleaved, a full garbage collection before each, every run on a fresh instance; the figures are the benchmark's
// own spread (src/bench/statistics.ts): nanoseconds per step, the median with the fastest and the slowest run.
//
//     npm run build && node bench/wasm-ring.mjs [--steps 2000000] [--runs 7]
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { collectGarbage } from "../dist/bench/garbage-collection.js";
import { seededRandom } from "../dist/bench/random.js";
import { RING_DEFAULTS } from "../dist/bench/ring.js";
import { spread } from "../dist/bench/statistics.js";
import { formatNanoseconds } from "../dist/bench/units.js";
import { tlsf } from "../dist/index.js";

/** The ring compiled into the modules: `linmem bench`'s default ring, which bench/wasm-ring/ring.ts hard-codes. */
const { liveBlocks, minSize, maxSize, seed } = RING_DEFAULTS;

const { values } = parseArgs({
  options: { steps: { type: "string", default: "2000000" }, runs: { type: "string", default: "7" } },
});
const steps = Number(values.steps);
const runs = Number(values.runs);
if (!Number.isInteger(steps) || steps < 1 || steps > 0xffff_ffff || !Number.isInteger(runs) || runs < 1) {
  throw new RangeError("--steps takes a whole number from 1 to 2^32 - 1, --runs a whole number from 1");
}

// The sizes of every block, as src/bench/ring.ts draws them: the sums the modules report must be theirs.
const random = seededRandom(seed);
let fillSum = 0;
let runSum = 0;
for (let block = 0; block < liveBlocks + steps; block++) {
  const size = minSize + Math.floor(random() * (maxSize - minSize + 1));
  if (block < liveBlocks) fillSum = (fillSum + size) >>> 0;
  else runSum = (runSum + size) >>> 0;
}

async function wasmModule(name) {
  const file = new URL(`../build/wasm/${name}.wasm`, import.meta.url);
  try {
    return await WebAssembly.compile(await readFile(file));
  } catch (error) {
    throw new Error(`cannot load ${file.pathname}: run \`npm run build\` first`, { cause: error });
  }
}

/**
 * One build of the ring: each run is a fresh instance that fills its ring, untimed, then runs the steps, timed. The
 * sums say the module drew the sizes `linmem bench` draws; linmem's heap must also pass its TypeScript twin's check.
 */
async function ringBuild(label, name, checkHeap) {
  const module = await wasmModule(name);
  return {
    label,
    /** Nanoseconds per step of one run. */
    run() {
      const { exports } = new WebAssembly.Instance(module, {});
      if (exports.fill() >>> 0 !== fillSum) throw new Error(`${name}: the ring's first sizes differ`);
      collectGarbage();
      const start = process.hrtime.bigint();
      const sum = exports.run(steps) >>> 0;
      const nanoseconds = Number(process.hrtime.bigint() - start);
      if (sum !== runSum) throw new Error(`${name}: the sizes differ from src/bench/ring.ts's`);
      if (checkHeap) tlsf.attach(exports.memory, exports.heapBase()).check();
      return nanoseconds / steps;
    },
  };
}

console.log(
  `Ring inside WebAssembly: ${liveBlocks.toLocaleString("en-US")} live blocks of ${minSize}..${maxSize} bytes, ` +
    `${steps.toLocaleString("en-US")} steps, seed ${seed}; ${runs} timed runs each, interleaved; ns per step, ` +
    "median (fastest, slowest)",
);
for (const optimisation of ["O3", "Oz"]) {
  const builds = [
    await ringBuild("linmem TLSF", `ring-linmem-tlsf-${optimisation}`, true),
    await ringBuild("AssemblyScript TLSF", `ring-assemblyscript-tlsf-${optimisation}`, false),
    await ringBuild("the loop alone", `ring-loop-only-${optimisation}`, false),
  ];
  for (const build of builds) build.run();
  const times = builds.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (const [index, build] of builds.entries()) times[index].push(build.run());
  }
  const spreads = times.map(spread);
  const format = ({ median, min, max }) =>
    `${formatNanoseconds(median)} (${formatNanoseconds(min)}, ${formatNanoseconds(max)})`;
  console.log(`\nThe loop and the allocator compiled together with asc -${optimisation}`);
  for (const [index, build] of builds.entries()) console.log(`  ${build.label.padEnd(20)} ${format(spreads[index])}`);
  const ratio = spreads[0].median / spreads[1].median;
  console.log(`  linmem TLSF takes ${ratio.toFixed(2)} times as long as AssemblyScript TLSF`);
}
