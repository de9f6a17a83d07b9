// @ts-nocheck: AssemblyScript, compiled by asc (scripts/build-wasm.mjs), not by the project's TypeScript check.
/**
 * The in-WebAssembly ring (ring.ts) with no allocator: every block is at the same address and nothing is freed. What
 * it takes is the loop's own cost (the size generator, the ring's loads and stores), which the allocators' times
 * include.
 */
import { fillRing, runRing } from "./ring";

class NoHeap {
  allocate(size: u32): u32 {
    return size;
  }

  release(ptr: u32): void {
    store<u32>(0, ptr);
  }
}

export function fill(): u32 {
  return fillRing(changetype<NoHeap>(0));
}

export function run(steps: u32): u32 {
  return runRing(changetype<NoHeap>(0), steps);
}

export function heapBase(): usize {
  return __heap_base;
}
