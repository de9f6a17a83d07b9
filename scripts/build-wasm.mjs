// Compiles the AssemblyScript sources into WebAssembly modules under build/wasm/, with the `asc` compiler from npm.
// Each target names its source, its output and its compiler flags; nothing built is committed.
//
// Every file directly in assembly/ is an allocator module (assembly/shared/ holds what they share), and each comes in
// three builds: for an unshared memory, compiled for size; the same compiled for speed (`-fast`), with its helpers
// inlined, as V8 inlines no call from one WebAssembly function to another; and for a memory shared between threads,
// whose entry points take the heap's lock (assembly/threads/, the same file name). Their bytes are also written,
// base64-encoded, into
// src/wasm/generated/allocator-modules.ts, which TypeScript compiles into dist: that is how the modules ship in the
// package and load in Node and in browsers alike. The generated file is not committed; `npm run build` (which
// `npm test` runs first) writes it before the type check.
//
// Run as a script, this builds everything; imported, it only exports the flags and targets.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import asc from "assemblyscript/asc";
import binaryen from "assemblyscript/binaryen";
import { writeIfChanged } from "./write-if-changed.mjs";

/** What every build of linmem's own allocator modules asks of asc: no runtime, imported memory, no imports besides it. */
const MODULE_FLAGS = ["--noAssert", "--runtime", "stub", "--importMemory", "--noExportMemory", "--use", "abort="];

/** Flags for linmem's own allocator modules: smallest code. */
export const ALLOCATOR_FLAGS = ["-Oz", "--converge", ...MODULE_FLAGS];

/** Flags for the fast builds, before their helpers are inlined (inlineHelpers). */
export const FAST_ALLOCATOR_FLAGS = ["-O3", ...MODULE_FLAGS];

/**
 * Binaryen's inlining limits for the fast builds, in its measure of a function's size: a helper of up to 400 is
 * inlined wherever it is called, and one of up to 800 where it is called once, where asc's -O3 stops at 70 and 200; a
 * function with a loop stays a call, as inlining it made the modules larger and no faster.
 */
const FAST_INLINING = { alwaysInlineMaxSize: 40, flexibleInlineMaxSize: 400, oneCallerInlineMaxSize: 800 };

/**
 * Flags for the shared builds: the same, with WebAssembly threads (atomic instructions, and ASC_FEATURE_THREADS true,
 * which compiles the lock in) and a shared imported memory, which must declare a maximum: the largest, so that it
 * takes any shared memory.
 */
export const SHARED_ALLOCATOR_FLAGS = [
  ...ALLOCATOR_FLAGS,
  "--enable",
  "threads",
  "--sharedMemory",
  "--maximumMemory",
  "65536",
];

/** The benchmark's AssemblyScript peer: the runtime's TLSF, built as BENCHMARKS.md describes (`--runtime minimal`). */
const PEER_FLAGS = ["-O3", "--noAssert", "--runtime", "minimal", "--importMemory", "--use", "abort="];

/**
 * The in-WebAssembly ring benchmark (bench/wasm-ring/, run by bench/wasm-ring.mjs): the same driver compiled with each
 * allocator it compares, all with the same flags, once optimised for speed and once for size as the modules ship.
 * Only the runtime differs: AssemblyScript's TLSF is its `minimal` runtime, and the others need none (`stub`).
 */
const RING_OPTIMISATIONS = { O3: ["-O3"], Oz: ["-Oz", "--converge"] };
const RING_ENTRIES = { "linmem-tlsf": "stub", "assemblyscript-tlsf": "minimal", "loop-only": "stub" };

const ALLOCATOR_SOURCES = new URL("../assembly/", import.meta.url);
const EMBEDDED_MODULES = new URL("../src/wasm/generated/allocator-modules.ts", import.meta.url);

/** The allocator modules: one per file directly in assembly/, named after it. */
export const ALLOCATOR_TARGETS = (await readdir(ALLOCATOR_SOURCES, { withFileTypes: true }))
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
  .map((entry) => entry.name)
  .sort()
  .map((file) => {
    const name = basename(file, ".ts");
    return { name, source: `assembly/${file}`, output: `build/wasm/${name}.wasm`, flags: ALLOCATOR_FLAGS };
  });

/** The fast builds of the allocator modules, of the same names. */
export const FAST_ALLOCATOR_TARGETS = ALLOCATOR_TARGETS.map(({ name, source }) => ({
  name,
  source,
  output: `build/wasm/${name}-fast.wasm`,
  flags: FAST_ALLOCATOR_FLAGS,
  inline: true,
}));

/** The shared builds of the allocator modules, of the same names. */
export const SHARED_ALLOCATOR_TARGETS = ALLOCATOR_TARGETS.map(({ name }) => ({
  name,
  source: `assembly/threads/${name}.ts`,
  output: `build/wasm/${name}-shared.wasm`,
  flags: SHARED_ALLOCATOR_FLAGS,
}));

export const TARGETS = [
  ...ALLOCATOR_TARGETS,
  ...FAST_ALLOCATOR_TARGETS,
  ...SHARED_ALLOCATOR_TARGETS,
  // The lock on its own, for the tests of its protocol.
  { source: "test/wasm/fixtures/lock-probe.ts", output: "build/wasm/lock-probe.wasm", flags: SHARED_ALLOCATOR_FLAGS },
  {
    source: "bench/peers/assemblyscript-tlsf-exports.ts",
    output: "build/wasm/assemblyscript-tlsf.wasm",
    flags: PEER_FLAGS,
  },
  ...Object.entries(RING_OPTIMISATIONS).flatMap(([optimisation, optimise]) =>
    Object.entries(RING_ENTRIES).map(([entry, runtime]) => ({
      source: `bench/wasm-ring/ring-${entry}.ts`,
      output: `build/wasm/ring-${entry}-${optimisation}.wasm`,
      flags: [...optimise, "--noAssert", "--runtime", runtime, "--use", "abort="],
    })),
  ),
];

async function compile(target) {
  const { error, stderr } = await asc.main([target.source, "-o", target.output, ...target.flags]);
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`asc failed on ${target.source}: ${error.message}`);
  }
  if (target.inline) await writeFile(target.output, inlineHelpers(await readFile(target.output)));
}

/** A module optimised again for speed by asc's own Binaryen, with FAST_INLINING's limits. */
function inlineHelpers(bytes) {
  const module = binaryen.readBinary(bytes);
  const { Features } = binaryen;
  // What asc's output uses; Binaryen counts bulk memory's fill and copy as a feature of their own.
  module.setFeatures(
    Features.MutableGlobals |
      Features.SignExt |
      Features.NontrappingFPToInt |
      Features.BulkMemory |
      Features.BulkMemoryOpt,
  );
  binaryen.setOptimizeLevel(3);
  binaryen.setShrinkLevel(0);
  binaryen.setAlwaysInlineMaxSize(FAST_INLINING.alwaysInlineMaxSize);
  binaryen.setFlexibleInlineMaxSize(FAST_INLINING.flexibleInlineMaxSize);
  binaryen.setOneCallerInlineMaxSize(FAST_INLINING.oneCallerInlineMaxSize);
  binaryen.setAllowInliningFunctionsWithLoops(false);
  module.optimize();
  if (!module.validate()) throw new Error("Binaryen made an invalid module while inlining");
  const inlined = module.emitBinary();
  module.dispose();
  return inlined;
}

/** The TypeScript module that carries the allocator modules' bytes into the package. */
async function embeddedModules() {
  const entries = async (targets) => {
    const lines = [];
    for (const target of targets) {
      const bytes = await readFile(target.output);
      lines.push(`  ${target.name}: "${bytes.toString("base64")}",`);
    }
    return lines;
  };
  return [
    `// Generated by scripts/build-wasm.mjs from assembly/*.ts: do not edit, run \`npm run build\`.`,
    "",
    "/** Each allocator's WebAssembly module, base64-encoded, by name. */",
    "export const ALLOCATOR_MODULES = {",
    ...(await entries(ALLOCATOR_TARGETS)),
    "} as const;",
    "",
    "/** The fast build of each: compiled for speed, its helpers inlined. */",
    "export const FAST_ALLOCATOR_MODULES = {",
    ...(await entries(FAST_ALLOCATOR_TARGETS)),
    "} as const;",
    "",
    "/** The shared build of each, for a memory shared between threads. */",
    "export const SHARED_ALLOCATOR_MODULES = {",
    ...(await entries(SHARED_ALLOCATOR_TARGETS)),
    "} as const;",
    "",
  ].join("\n");
}

/** Writes a file only when its text changes, so that watchers and incremental builds see no false change. */
async function build() {
  // Targets name their files from the project's root.
  process.chdir(fileURLToPath(new URL("..", import.meta.url)));
  await mkdir("build/wasm", { recursive: true });
  for (const target of TARGETS) await compile(target);
  await writeIfChanged(EMBEDDED_MODULES, await embeddedModules());
  for (const target of [...ALLOCATOR_TARGETS, ...FAST_ALLOCATOR_TARGETS, ...SHARED_ALLOCATOR_TARGETS]) {
    const { length } = await readFile(target.output);
    process.stdout.write(`${target.output}: ${length} bytes\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
