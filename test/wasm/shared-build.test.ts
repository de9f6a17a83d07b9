/**
 * The modules' shared builds: loaded for a shared memory, they keep the heap exactly as the unshared builds and the
 * TypeScript twins do, and take the heap's lock for every entry point: a call that cannot have it in time is refused
 * with LOCK_TIMEOUT, having changed nothing, and a call that traps lets go of it first.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TRAP_CODE_NUMBERS } from "../../src/allocator/errors.js";
import { lockHolder } from "../../src/allocator/lock.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import type { AllocatorExports, SharedAllocatorExports } from "../../src/wasm/abi.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import { expectRefused } from "../support/heap-model.js";
import { lockIndex, sharedMemory } from "../support/shared-heap.js";
import { MODULE_CASES } from "./support/cases.js";
import { Lockstep } from "./support/lockstep.js";
import { LiveBlocks, steps } from "./support/steps.js";

const HEAP_BASE = 64;
const LOCK_INDEX = lockIndex(HEAP_BASE);
const HELD = 0x7000;

/** The entry points, each called as a host or a C program would, and whether it returns 0 when refused. */
const ENTRY_POINTS: readonly {
  label: string;
  returnsZero: boolean;
  call: (x: AllocatorExports, p: number) => unknown;
}[] = [
  { label: "malloc", returnsZero: true, call: (x) => x.malloc(8) },
  { label: "calloc", returnsZero: true, call: (x) => x.calloc(2, 8) },
  { label: "aligned_alloc", returnsZero: true, call: (x) => x.aligned_alloc(64, 8) },
  { label: "realloc", returnsZero: true, call: (x, p) => x.realloc(p, 500) },
  { label: "free", returnsZero: false, call: (x, p) => x.free(p) },
  { label: "malloc_usable_size", returnsZero: false, call: (x, p) => x.malloc_usable_size(p) },
  { label: "allocate_memory", returnsZero: false, call: (x) => x.allocate_memory(8) },
  { label: "allocate_memory_aligned", returnsZero: false, call: (x) => x.allocate_memory_aligned(8, 64) },
  { label: "reallocate_memory", returnsZero: false, call: (x, p) => x.reallocate_memory(p, 500) },
  { label: "free_memory", returnsZero: false, call: (x, p) => x.free_memory(p) },
  { label: "reset_memory", returnsZero: false, call: (x) => x.reset_memory() },
];

describe.each(MODULE_CASES)("the $name module's shared build", (moduleCase) => {
  it("is the one loaded for a shared memory, set up with a tag of its own", async () => {
    const shared = await loadAllocator(moduleCase.name, sharedMemory(64), { heapBase: HEAP_BASE });
    const exports = shared.exports as SharedAllocatorExports;
    expect(typeof exports.lock_setup).toBe("function");
    expect(shared.lockOwner).toBe((exports.lock_owner.value as number) >>> 0);
    expect(shared.lockOwner % 2).toBe(0);
    expect(shared.lockOwner).toBeGreaterThan(2);
    const other = await loadAllocator.attach(moduleCase.name, shared.memory, HEAP_BASE);
    expect(other.lockOwner).not.toBe(shared.lockOwner);
    const plain = await loadAllocator(moduleCase.name, LinearMemory.create(), { heapBase: HEAP_BASE });
    expect("lock_setup" in plain.exports).toBe(false);
    expect(plain.lockOwner).toBe(0);
  });

  it("behaves call for call and byte for byte as the TypeScript build on an unshared memory", async () => {
    await fc.assert(
      fc.asyncProperty(steps({ reallocate: moduleCase.reallocate }), async (workload) => {
        const reference = moduleCase.typescript(LinearMemory.create({ maximumPages: 64 }), { heapBase: HEAP_BASE });
        const subject = await loadAllocator(moduleCase.name, sharedMemory(64), { heapBase: HEAP_BASE });
        const pair = new Lockstep(reference, subject);
        const live = new LiveBlocks(pair);
        for (const [index, step] of workload.entries()) {
          live.run(step);
          pair.expectSameMemory(`after step ${index}, ${JSON.stringify(step)}`);
        }
        pair.check();
        expect(lockHolder(subject.memory, HEAP_BASE)).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it("refuses every entry point with LOCK_TIMEOUT, changing nothing, while another thread holds the lock", async () => {
    const memory = sharedMemory(64);
    const heap = await loadAllocator(moduleCase.name, memory, { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const exports = heap.exports;
    const ptr = heap.allocate(100);
    memory.u32[LOCK_INDEX] = HELD;
    const before = memory.u8.slice();
    for (const { label, returnsZero, call } of ENTRY_POINTS) {
      exports.trap_code.value = 0;
      if (returnsZero) {
        expect(call(exports, ptr), label).toBe(0);
      } else {
        expect(() => call(exports, ptr), label).toThrow(WebAssembly.RuntimeError);
      }
      expect(exports.trap_code.value, label).toBe(TRAP_CODE_NUMBERS.LOCK_TIMEOUT);
      expect(Buffer.compare(memory.u8, before), `memory after ${label}`).toBe(0);
    }
    exports.trap_code.value = 0;
    memory.u32[LOCK_INDEX] = 0;
    expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(100);
  });

  it("traps as an AllocationTrap with LOCK_TIMEOUT through the loader", async () => {
    const memory = sharedMemory(64);
    const heap = await loadAllocator(moduleCase.name, memory, { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const ptr = heap.allocate(40);
    memory.u32[LOCK_INDEX] = HELD;
    // check() goes to the TypeScript twin, whose lock times out alike.
    for (const call of [() => heap.allocate(8), () => heap.free(ptr), () => heap.reset(), () => heap.check()]) {
      memory.u32[LOCK_INDEX] = HELD;
      const trap = expectTimeout(call);
      expect(trap).toMatch(/lock/);
    }
    memory.u32[LOCK_INDEX] = 0;
    await expect(loadAllocator.attach(moduleCase.name, memory, HEAP_BASE, { lockTimeoutMs: 0 })).resolves.toBeDefined();
  });

  it("lets go of the lock before a trap: a bad pointer or a double free leaves the lock free", async () => {
    const heap = await loadAllocator(moduleCase.name, sharedMemory(64), { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const ptr = heap.allocate(64);
    heap.allocate(64);
    expectRefused(heap, () => heap.free(ptr + 8), "INVALID_POINTER");
    expect(lockHolder(heap.memory, HEAP_BASE)).toBe(0);
    heap.free(ptr);
    if (moduleCase.doubleFree) expectRefused(heap, () => heap.free(ptr), "DOUBLE_FREE");
    expect(lockHolder(heap.memory, HEAP_BASE)).toBe(0);
    expect(() => heap.exports.allocate_memory(2 ** 31)).toThrow(WebAssembly.RuntimeError);
    expect(lockHolder(heap.memory, HEAP_BASE)).toBe(0);
    expect(heap.allocate(8)).toBeGreaterThan(0);
  });
});

/** Runs a call that must time out; returns its message. */
function expectTimeout(call: () => unknown): string {
  try {
    call();
  } catch (error) {
    expect((error as { code?: string }).code).toBe("LOCK_TIMEOUT");
    return (error as Error).message;
  }
  return expect.fail("expected LOCK_TIMEOUT");
}
