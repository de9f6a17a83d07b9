// Builds the benchmark's Emscripten peers, dlmalloc and emmalloc, into build/wasm/ with emcc, when emcc is installed
// (Debian: `apt-get install -y emscripten`). Each is emcc's own system library, chosen with `-sMALLOC=`, linked with
// bench/peers/emscripten-malloc.c and called from JavaScript (src/bench/peers/emscripten-malloc.ts). Without emcc this
// prints one line and builds nothing, and the benchmark reports the two unavailable; with emcc, a failed build fails.
import { execFile } from "node:child_process";
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

const PEERS = ["dlmalloc", "emmalloc"];

/**
 * Built for speed as a C program's allocator would be (`-O2`), as a module of its own (no JavaScript glue), without a
 * `main`. The memory is imported, so that a heap reset on the same memory keeps its size, and grows to 4 GiB; static
 * data and a 64 KiB stack take the memory's first two pages, and the heap begins after them.
 */
const FLAGS = [
  "-O2",
  "-sSTANDALONE_WASM",
  "--no-entry",
  "-sIMPORTED_MEMORY",
  "-sALLOW_MEMORY_GROWTH",
  "-sMAXIMUM_MEMORY=4GB",
  "-sTOTAL_STACK=65536",
  "-sINITIAL_MEMORY=131072",
  "-sEXPORTED_FUNCTIONS=_malloc,_free,_realloc,_memalign",
];

const ENTRY = "bench/peers/emscripten-malloc.c";

/** True when `emcc` runs; false when it is not installed. */
async function emccInstalled() {
  try {
    await run("emcc", ["--version"]);
    return true;
  } catch (error) {
    if (error.code === "ENOENT") return false;
    throw error;
  }
}

async function compile(peer) {
  const output = `build/wasm/${peer}.wasm`;
  try {
    await run("emcc", [ENTRY, "-o", output, `-sMALLOC=${peer}`, ...FLAGS]);
  } catch (error) {
    process.stderr.write(error.stderr ?? "");
    throw new Error(`emcc failed to build ${output}: ${error.message}`);
  }
  return output;
}

async function build() {
  process.chdir(fileURLToPath(new URL("..", import.meta.url)));
  if (!(await emccInstalled())) {
    process.stdout.write(`${PEERS.join(", ")}: not built, emcc not found (apt-get install -y emscripten adds them)\n`);
    return;
  }
  await mkdir("build/wasm", { recursive: true });
  for (const output of await Promise.all(PEERS.map(compile))) {
    const { length } = await readFile(output);
    process.stdout.write(`${output}: ${length} bytes\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
