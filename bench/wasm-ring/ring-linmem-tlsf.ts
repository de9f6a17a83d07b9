// @ts-nocheck: AssemblyScript, compiled by asc (scripts/build-wasm.mjs), not by the project's TypeScript check.
/** The in-WebAssembly ring (ring.ts) on linmem's TLSF module, assembly/tlsf.ts, compiled into the same module. */
import { allocate_memory, free_memory, init } from "../../assembly/tlsf";
import { fillRing, runRing } from "./ring";

class LinmemTlsf {
  allocate(size: u32): u32 {
    return allocate_memory(size);
  }

  release(ptr: u32): void {
    free_memory(ptr);
  }
}

/** Lays out the heap after the static data and fills the ring; returns the sum of the sizes allocated. */
export function fill(): u32 {
  init(<u32>__heap_base);
  return fillRing(changetype<LinmemTlsf>(0));
}

export function run(steps: u32): u32 {
  return runRing(changetype<LinmemTlsf>(0), steps);
}

export function heapBase(): usize {
  return __heap_base;
}
