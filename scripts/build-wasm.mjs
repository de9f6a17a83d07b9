// Compiles the AssemblyScript sources into WebAssembly modules under build/wasm/, with the `asc` compiler from npm.
// Each target names its source, its output and its compiler flags; nothing built is committed.
import { mkdir } from "node:fs/promises";
import asc from "assemblyscript/asc";

/** Flags for linmem's own allocator modules: smallest code, imported memory, no imports besides it. */
export const ALLOCATOR_FLAGS = [
  "-Oz",
  "--converge",
  "--noAssert",
  "--runtime",
  "stub",
  "--importMemory",
  "--noExportMemory",
  "--use",
  "abort=",
];

/** The benchmark's AssemblyScript peer: the runtime's TLSF, built the way the issue measures it. */
const PEER_FLAGS = ["-O3", "--noAssert", "--runtime", "minimal", "--importMemory", "--use", "abort="];

export const TARGETS = [
  { source: "bench/peers/assemblyscript-tlsf.ts", output: "build/wasm/assemblyscript-tlsf.wasm", flags: PEER_FLAGS },
];

await mkdir("build/wasm", { recursive: true });
for (const target of TARGETS) {
  const { error, stderr } = await asc.main([target.source, "-o", target.output, ...target.flags]);
  if (error) {
    process.stderr.write(stderr.toString());
    throw new Error(`asc failed on ${target.source}: ${error.message}`);
  }
}
