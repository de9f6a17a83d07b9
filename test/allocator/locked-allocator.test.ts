/**
 * The allocators on a shared memory: of their class's locked subclass, every operation under the heap's lock, and
 * otherwise exactly what they are on an unshared memory. Two allocators on one heap, each with a LinearMemory of its
 * own, stand for two threads; test/threads/ runs real ones.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ArenaAllocator, arena } from "../../src/allocator/arena.js";
import { BuddyAllocator, buddy } from "../../src/allocator/buddy.js";
import type { AllocatorFactory, BlockAllocator } from "../../src/allocator/contract.js";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { lockHolder } from "../../src/allocator/lock.js";
import { TlsfAllocator, tlsf } from "../../src/allocator/tlsf.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { Alternating } from "../support/alternating.js";
import { expectRefused } from "../support/heap-model.js";
import { lockIndex, sharedMemory } from "../support/shared-heap.js";
import { Lockstep } from "../wasm/support/lockstep.js";
import { LiveBlocks, steps } from "../wasm/support/steps.js";

const HEAP_BASE = 64;
const LOCK_INDEX = lockIndex(HEAP_BASE);

const CASES = [
  { name: "arena", factory: arena, allocatorClass: ArenaAllocator },
  { name: "tlsf", factory: tlsf, allocatorClass: TlsfAllocator },
  { name: "buddy", factory: buddy, allocatorClass: BuddyAllocator },
] as const satisfies readonly { name: string; factory: AllocatorFactory<BlockAllocator>; allocatorClass: object }[];

/** A heap, and a second allocator on it with a LinearMemory of its own, as another thread has. */
function twoThreads(factory: AllocatorFactory<BlockAllocator>, maximumPages = 1024): [BlockAllocator, BlockAllocator] {
  const memory = sharedMemory(maximumPages);
  const first = factory(memory, { heapBase: HEAP_BASE });
  const raw = memory.memory as WebAssembly.Memory;
  return [first, factory.attach(LinearMemory.wrap(raw, { maximumPages: memory.maximumPages }), HEAP_BASE)];
}

/** Every operation of the contract, each a call that could change the heap or read it. */
const OPERATIONS: readonly { label: string; call: (heap: BlockAllocator, ptr: number) => unknown }[] = [
  { label: "allocate", call: (heap) => heap.allocate(24) },
  { label: "allocate aligned", call: (heap) => heap.allocate(24, 64) },
  { label: "allocateZeroed", call: (heap) => heap.allocateZeroed(24) },
  { label: "free", call: (heap, ptr) => heap.free(ptr) },
  { label: "reallocate", call: (heap, ptr) => heap.reallocate(ptr, 4000) },
  { label: "usableSize", call: (heap, ptr) => heap.usableSize(ptr) },
  { label: "reset", call: (heap) => heap.reset() },
  { label: "walk", call: (heap) => heap.walk(() => {}) },
  { label: "stats", call: (heap) => heap.stats() },
  { label: "check", call: (heap) => heap.check() },
];

describe.each(CASES)("$name on a shared memory", ({ factory, allocatorClass }) => {
  it("is of its class on an unshared memory, with no lock, and of a subclass that locks on a shared one", () => {
    const plain = factory(LinearMemory.create(), { heapBase: HEAP_BASE });
    expect(plain.constructor).toBe(allocatorClass);
    expect(plain.lockOwner).toBe(0);
    const [first, second] = twoThreads(factory);
    expect(first).toBeInstanceOf(allocatorClass);
    expect(first.constructor).not.toBe(allocatorClass);
    expect(first.lockOwner % 2).toBe(0);
    expect([0, second.lockOwner]).not.toContain(first.lockOwner);
  });

  it("takes the lock for every operation: each traps with LOCK_TIMEOUT, changing nothing, while another holds it", () => {
    const memory = sharedMemory(1024);
    const heap = factory(memory, { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const ptr = heap.allocate(100);
    memory.u32[LOCK_INDEX] = 0x5000;
    const before = memory.u8.slice();
    for (const { label, call } of OPERATIONS) {
      let caught: unknown;
      try {
        call(heap, ptr);
      } catch (error) {
        caught = error;
      }
      expect(caught, label).toBeInstanceOf(AllocationTrap);
      expect((caught as AllocationTrap).code, label).toBe("LOCK_TIMEOUT");
      expect(Buffer.compare(memory.u8, before), `memory after ${label}`).toBe(0);
    }
    expect(() => factory.attach(memory, HEAP_BASE, { lockTimeoutMs: 0 })).toThrow(/LOCK_TIMEOUT|lock was held/);
    memory.u32[LOCK_INDEX] = 0;
    heap.check();
    expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(100);
  });

  it("takes the lock once per call, and lets go of it after a refusal", () => {
    const memory = sharedMemory(4);
    // With no time to wait, a call that took the lock twice would time out on itself.
    const heap = factory(memory, { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const small = heap.allocate(16);
    heap.allocate(16);
    const moved = heap.reallocate(small, 3000);
    expect(heap.allocateZeroed(40)).toBeGreaterThan(0);
    expectRefused(heap, () => heap.free(moved + 8), "INVALID_POINTER");
    expectRefused(heap, () => heap.allocate(PAGE_SIZE * 8), "OUT_OF_MEMORY");
    heap.free(moved);
    expect(lockHolder(memory, HEAP_BASE)).toBe(0);
    const visited: number[] = [];
    heap.walk((block) => {
      // The lock is free while the visitor runs.
      if (block.used) visited.push(heap.usableSize(block.ptr));
    });
    expect(visited.length).toBe(heap.stats().blocksInUse);
  });

  it("behaves call for call and byte for byte as on an unshared memory, used by two threads in turn", async () => {
    await fc.assert(
      fc.asyncProperty(
        steps({ reallocate: true }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        async (workload, turns) => {
          const reference = factory(LinearMemory.create({ maximumPages: 64 }), { heapBase: HEAP_BASE });
          const threads = twoThreads(factory, 64);
          const pair = new Lockstep(reference, new Alternating(threads, turns));
          const live = new LiveBlocks(pair);
          for (const [index, step] of workload.entries()) {
            live.run(step);
            pair.expectSameMemory(`after step ${index}, ${JSON.stringify(step)}`);
          }
          pair.check();
          expect(lockHolder(threads[0].memory, HEAP_BASE)).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("sees memory another thread grew, through views that reach it", () => {
    const [grower, other] = twoThreads(factory);
    const raw = grower.memory.memory as WebAssembly.Memory;
    // The other thread's views were made while the memory had one page.
    expect(other.memory.u8.length).toBe(PAGE_SIZE);
    const big = grower.allocate(6 * PAGE_SIZE);
    expect(raw.buffer.byteLength).toBeGreaterThan(6 * PAGE_SIZE);
    other.free(big);
    const mine = other.allocate(5 * PAGE_SIZE);
    other.memory.u8.fill(0xa5, mine, mine + 5 * PAGE_SIZE);
    const bytes = new Uint8Array(raw.buffer, mine, 5 * PAGE_SIZE);
    expect(bytes.every((byte) => byte === 0xa5)).toBe(true);
    expect(grower.usableSize(mine)).toBeGreaterThanOrEqual(5 * PAGE_SIZE);
    grower.check();
    other.check();
    expect(other.stats().blocksInUse).toBe(1);
  });

  it("works on a growable SharedArrayBuffer alike, which it grows, the other thread seeing it grow", () => {
    const buffer = new SharedArrayBuffer(PAGE_SIZE, { maxByteLength: 64 * PAGE_SIZE });
    const heap = factory(buffer, { heapBase: HEAP_BASE, lockTimeoutMs: 0 });
    const other = factory.attach(buffer, HEAP_BASE, { lockTimeoutMs: 0 });
    expect(heap.lockOwner).not.toBe(0);
    const big = heap.allocate(4 * PAGE_SIZE);
    expect(buffer.byteLength).toBeGreaterThan(4 * PAGE_SIZE);
    other.free(big);
    const mine = other.allocate(3 * PAGE_SIZE);
    heap.memory.u8.fill(7, mine, mine + 3 * PAGE_SIZE);
    expect(new Uint8Array(buffer)[mine + 3 * PAGE_SIZE - 1]).toBe(7);
    heap.check();
    expect(other.stats().blocksInUse).toBe(1);
    expect(lockHolder(buffer, HEAP_BASE)).toBe(0);
  });

  it("validates the lock timeout, on any memory", () => {
    for (const memory of [LinearMemory.create(), sharedMemory(1024)]) {
      expect(() => factory(memory, { lockTimeoutMs: -1 })).toThrow(RangeError);
      expect(() => factory.attach(memory, HEAP_BASE, { lockTimeoutMs: 0.5 })).toThrow(RangeError);
    }
  });
});
