/**
 * The heap lock's protocol: the word's values, timeouts and breaking a dead thread's lock in one thread; mutual
 * exclusion between JavaScript and WebAssembly threads under contention, and waking a waiter, with workers.
 */
import { describe, expect, it, vi } from "vitest";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { breakLock, HeapLock, LOCK_BURST, LOCK_WAITING, lockHolder, newLockTag } from "../../src/allocator/lock.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { lockIndex, sharedMemory } from "../support/shared-heap.js";
import { nextMessage, startWorker, WORKERS_UNAVAILABLE } from "../support/workers.js";

const HEAP_BASE = 64;
const LOCK_INDEX = lockIndex(HEAP_BASE);

describe("the lock word", () => {
  it("is 0 when free and the holder's tag, an even number other than 0, when held", () => {
    const memory = sharedMemory(4);
    const lock = new HeapLock(memory, HEAP_BASE);
    expect(lock.owner % 2).toBe(0);
    expect(lock.owner).not.toBe(0);
    lock.acquire("test");
    expect(memory.u32[LOCK_INDEX]).toBe(lock.owner);
    expect(lockHolder(memory, HEAP_BASE)).toBe(lock.owner);
    lock.release();
    expect(memory.u32[LOCK_INDEX]).toBe(0);
    expect(lockHolder(memory, HEAP_BASE)).toBe(0);
  });

  it("gives every lock a tag of its own", () => {
    const tags = new Set(Array.from({ length: 1000 }, newLockTag));
    expect(tags.size).toBeGreaterThan(990);
    for (const tag of tags) expect(tag % 2 === 0 && tag > 0 && tag < 2 ** 32).toBe(true);
  });

  it("is only for shared memories, with a timeout of whole milliseconds", () => {
    expect(() => new HeapLock(LinearMemory.create(), HEAP_BASE)).toThrow(TypeError);
    for (const lockTimeoutMs of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => new HeapLock(sharedMemory(4), HEAP_BASE, { lockTimeoutMs })).toThrow(RangeError);
    }
  });
});

describe("a thread asleep on the lock", () => {
  it("is woken once, by the holder's LOCK_BURST-th release, the waiting bit kept on the word until then", () => {
    const memory = sharedMemory(4);
    const lock = new HeapLock(memory, HEAP_BASE);
    const notify = vi.spyOn(Atomics, "notify");
    try {
      lock.acquire("test");
      // Another thread went to sleep on the word, setting the waiting bit.
      const waiting = (lock.owner | LOCK_WAITING) >>> 0;
      memory.u32[LOCK_INDEX] = waiting;
      let bitLost = 0;
      for (let release = 1; release < LOCK_BURST; release++) {
        lock.release();
        lock.acquire("test");
        if (memory.u32[LOCK_INDEX] !== waiting) bitLost++;
      }
      expect(bitLost).toBe(0);
      expect(notify).not.toHaveBeenCalled();
      lock.release();
      expect(notify).toHaveBeenCalledTimes(1);
      const [words, index, count] = notify.mock.calls[0] as unknown as [Int32Array, number, number];
      expect(words.buffer).toBe(memory.i32.buffer);
      expect([index, count]).toEqual([LOCK_INDEX, 1]);
      expect(memory.u32[LOCK_INDEX]).toBe(0);
      // Woken, the sleeper takes the lock as a plain holder would: the bit is the waker's no more.
      lock.acquire("test");
      expect(memory.u32[LOCK_INDEX]).toBe(lock.owner);
      lock.release();
      expect(notify).toHaveBeenCalledTimes(1);
    } finally {
      notify.mockRestore();
    }
  });
});

describe("a lock held by a thread that never lets go", () => {
  it("times out after the timeout, with LOCK_TIMEOUT naming the holder, the word as it was but for the waiting bit", () => {
    const memory = sharedMemory(4);
    const dead = 0x1234_5678;
    memory.u32[LOCK_INDEX] = dead;
    const lock = new HeapLock(memory, HEAP_BASE, { lockTimeoutMs: 60 });
    const began = performance.now();
    let trap: unknown;
    try {
      lock.acquire("allocate(8)");
    } catch (error) {
      trap = error;
    }
    const waited = performance.now() - began;
    expect(trap).toBeInstanceOf(AllocationTrap);
    expect((trap as AllocationTrap).code).toBe("LOCK_TIMEOUT");
    expect((trap as AllocationTrap).message).toMatch(
      `allocate(8): the heap's lock was held by the thread with tag ${dead}`,
    );
    expect(waited).toBeGreaterThanOrEqual(59);
    expect(waited).toBeLessThan(1000);
    expect(memory.u32[LOCK_INDEX]).toBe(dead | LOCK_WAITING);
    expect(lockHolder(memory, HEAP_BASE)).toBe(dead);
  });

  it("with a timeout of 0, refuses at once", () => {
    const memory = sharedMemory(4);
    memory.u32[LOCK_INDEX] = 2;
    const lock = new HeapLock(memory, HEAP_BASE, { lockTimeoutMs: 0 });
    expect(() => lock.acquire("free(16)")).toThrow(/free\(16\)/);
  });

  it("is broken only by naming its holder, after which it is taken at once", () => {
    const memory = sharedMemory(4);
    memory.u32[LOCK_INDEX] = 0x100 | LOCK_WAITING;
    expect(breakLock(memory, HEAP_BASE, 0x200)).toBe(false);
    expect(breakLock(memory, HEAP_BASE, 0)).toBe(false);
    expect(lockHolder(memory, HEAP_BASE)).toBe(0x100);
    expect(breakLock(memory, HEAP_BASE, 0x100)).toBe(true);
    expect(lockHolder(memory, HEAP_BASE)).toBe(0);
    expect(breakLock(memory, HEAP_BASE, 0x100)).toBe(false);
    const lock = new HeapLock(memory, HEAP_BASE, { lockTimeoutMs: 0 });
    lock.acquire("test");
    lock.release();
  });

  it("cannot be looked for outside the memory", () => {
    expect(() => lockHolder(sharedMemory(4), 4 * 65536)).toThrow(RangeError);
    expect(() => breakLock(sharedMemory(4), 4 * 65536 - 4, 2)).toThrow(RangeError);
  });
});

describe.skipIf(WORKERS_UNAVAILABLE !== null)(
  WORKERS_UNAVAILABLE === null ? "threads on one lock" : `threads on one lock (skipped: ${WORKERS_UNAVAILABLE})`,
  () => {
    it.each([
      { threads: 2, languages: ["JavaScript", "WebAssembly"] },
      { threads: 4, languages: ["JavaScript", "WebAssembly", "JavaScript", "WebAssembly"] },
    ])("exclude each other, JavaScript and WebAssembly, under contention ($threads threads)", async ({ languages }) => {
      const memory = sharedMemory(4);
      const counter = 1024;
      const inside = 1028;
      const start = 1032;
      const workers = languages.map((language) =>
        startWorker("lock-counter-worker.mjs", {
          memory: memory.memory,
          heapBase: HEAP_BASE,
          counter,
          inside,
          start,
          language,
          lockTimeoutMs: 30_000,
        }),
      );
      try {
        await Promise.all(workers.map((worker) => nextMessage(worker)));
        const answers = workers.map((worker) => nextMessage<{ done: number; overlaps: number }>(worker));
        // Every worker is ready, and waits for the start word, or sees it set; they count until it turns 2.
        Atomics.store(memory.i32, start >>> 2, 1);
        Atomics.notify(memory.i32, start >>> 2);
        await new Promise((resolve) => setTimeout(resolve, 300));
        Atomics.store(memory.i32, start >>> 2, 2);
        const results = await Promise.all(answers);
        expect(results.map(({ overlaps }) => overlaps)).toEqual(languages.map(() => 0));
        for (const { done } of results) expect(done).toBeGreaterThan(0);
        expect(memory.u32[counter >>> 2]).toBe(results.reduce((sum, { done }) => sum + done, 0));
        expect(lockHolder(memory, HEAP_BASE)).toBe(0);
      } finally {
        await Promise.all(workers.map((worker) => worker.terminate()));
      }
    });

    it.each([
      { language: "JavaScript", mayWait: true },
      { language: "WebAssembly", mayWait: true },
      { language: "WebAssembly", mayWait: false },
    ])(
      "let a waiter in $language (may wait: $mayWait) in once the holder releases, long before its timeout",
      async (waiter) => {
        const memory = sharedMemory(4);
        const holder = new HeapLock(memory, HEAP_BASE);
        holder.acquire("hold");
        const worker = startWorker("lock-waiter-worker.mjs", {
          memory: memory.memory,
          heapBase: HEAP_BASE,
          counter: 1024,
          inside: 1028,
          lockTimeoutMs: 20_000,
          ...waiter,
        });
        try {
          await nextMessage(worker);
          const answer = nextMessage<{ taken: boolean; waited: number }>(worker);
          await new Promise((resolve) => setTimeout(resolve, 200));
          holder.release();
          const { taken, waited } = await answer;
          expect(taken).toBe(true);
          expect(waited).toBeGreaterThanOrEqual(150);
          // In soon after the release (a sleeper also looks again every millisecond), far sooner than its timeout.
          expect(waited).toBeLessThan(10_000);
          expect(lockHolder(memory, HEAP_BASE)).toBe(0);
        } finally {
          await worker.terminate();
        }
      },
    );

    it("time out in WebAssembly as in JavaScript, by the clock the module imports", async () => {
      const memory = sharedMemory(4);
      memory.u32[LOCK_INDEX] = 0x4000;
      for (const language of ["JavaScript", "WebAssembly"]) {
        const worker = startWorker("lock-waiter-worker.mjs", {
          memory: memory.memory,
          heapBase: HEAP_BASE,
          counter: 1024,
          inside: 1028,
          lockTimeoutMs: 100,
          language,
          mayWait: true,
        });
        try {
          await nextMessage(worker);
          const { taken, waited } = await nextMessage<{ taken: boolean; waited: number }>(worker);
          expect(taken, language).toBe(false);
          expect(waited, language).toBeGreaterThanOrEqual(99);
          expect(waited, language).toBeLessThan(2000);
        } finally {
          await worker.terminate();
        }
      }
      expect(memory.u32[LOCK_INDEX]).toBe(0x4000 | LOCK_WAITING);
    });
  },
);
