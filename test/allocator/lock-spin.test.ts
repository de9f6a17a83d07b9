/**
 * The lock where a thread may not wait, as on a browser's main thread, where `Atomics.wait` throws: the thread spins
 * instead, and still times out in time, and still takes the lock when its holder, another thread, releases it. The
 * test makes `Atomics.wait` throw before the lock first asks whether it may wait (this file has modules of its own).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeapLock, LOCK_WAITING } from "../../src/allocator/lock.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { lockIndex } from "../support/shared-heap.js";
import { nextMessage, startWorker, WORKERS_UNAVAILABLE } from "../support/workers.js";

const HEAP_BASE = 64;
const LOCK_INDEX = lockIndex(HEAP_BASE);
const wait = Atomics.wait;

beforeAll(() => {
  Atomics.wait = () => {
    throw new TypeError("Atomics.wait cannot be called in this context");
  };
});
afterAll(() => {
  Atomics.wait = wait;
});

describe("a thread that may not wait", () => {
  it("spins until the timeout, then traps with LOCK_TIMEOUT, leaving the word as it was", () => {
    const memory = LinearMemory.create({ maximumPages: 2, shared: true });
    memory.u32[LOCK_INDEX] = 0x2468;
    const lock = new HeapLock(memory, HEAP_BASE, { lockTimeoutMs: 50 });
    const began = performance.now();
    expect(() => lock.acquire("allocate(8)")).toThrow(expect.objectContaining({ code: "LOCK_TIMEOUT" }));
    expect(performance.now() - began).toBeGreaterThanOrEqual(49);
    // It never sleeps, so it never asks to be woken.
    expect(memory.u32[LOCK_INDEX] & LOCK_WAITING).toBe(0);
  });

  it.skipIf(WORKERS_UNAVAILABLE !== null)(
    `takes the lock when another thread releases it${WORKERS_UNAVAILABLE === null ? "" : ` (skipped: ${WORKERS_UNAVAILABLE})`}`,
    async () => {
      const memory = LinearMemory.create({ maximumPages: 2, shared: true });
      const holder = startWorker("lock-releaser-worker.mjs", {
        memory: memory.memory,
        heapBase: HEAP_BASE,
        holdMs: 100,
      });
      try {
        await nextMessage(holder);
        const lock = new HeapLock(memory, HEAP_BASE, { lockTimeoutMs: 20_000 });
        const began = performance.now();
        lock.acquire("allocate(8)");
        const waited = performance.now() - began;
        expect(memory.u32[LOCK_INDEX]).toBe(lock.owner);
        lock.release();
        expect(waited).toBeGreaterThan(20);
        expect(waited).toBeLessThan(10_000);
      } finally {
        await holder.terminate();
      }
    },
  );
});
