// @ts-nocheck: AssemblyScript, compiled by asc (scripts/build-wasm.mjs), not by the project's TypeScript check.
/**
 * The in-WebAssembly ring (ring.ts) on AssemblyScript's runtime TLSF (`--runtime minimal`), as the benchmark's
 * peer bench/peers/assemblyscript-tlsf-exports.ts exports it: `heap.alloc` and `heap.free` go straight to the
 * runtime's TLSF, which lays itself out at __heap_base on the first call.
 */
import { fillRing, runRing } from "./ring";

class AssemblyScriptTlsf {
  allocate(size: u32): u32 {
    return <u32>heap.alloc(size);
  }

  release(ptr: u32): void {
    heap.free(ptr);
  }
}

export function fill(): u32 {
  return fillRing(changetype<AssemblyScriptTlsf>(0));
}

export function run(steps: u32): u32 {
  return runRing(changetype<AssemblyScriptTlsf>(0), steps);
}

export function heapBase(): usize {
  return __heap_base;
}
