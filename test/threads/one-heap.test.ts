/**
 * Many threads on one heap: worker threads, TypeScript and WebAssembly mixed, allocating, resizing and freeing at once
 * on a heap that starts in one page and grows as they go, handing blocks to each other to free; and a thread that dies
 * holding the heap's lock. The workers run the built package (test/support/workers.ts).
 */
import { describe, expect, it } from "vitest";
import type { AllocatorFactory, BlockAllocator } from "../../src/allocator/contract.js";
import { breakLock, lockHolder } from "../../src/allocator/lock.js";
import { arena, buddy, tlsf } from "../../src/index.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import type { AllocatorModuleName } from "../../src/wasm/modules.js";
import { nextMessage, startWorker, WORKERS_UNAVAILABLE } from "../support/workers.js";

const HEAP_BASE = 64;
const MAXIMUM_PAGES = 4096;
const MAILBOX_SLOTS = 16;

const ALLOCATORS: readonly { name: AllocatorModuleName; factory: AllocatorFactory<BlockAllocator> }[] = [
  { name: "arena", factory: arena },
  { name: "tlsf", factory: tlsf },
  { name: "buddy", factory: buddy },
];

function patternByte(seed: number, offset: number): number {
  return (seed * 131 + offset * 7 + (offset >>> 8)) & 0xff;
}

/** The blocks' own record of their bytes, as test/support/heap-worker.mjs stamps them: throws at the first change. */
function verifyBlock(heap: BlockAllocator, ptr: number): number {
  const size = heap.memory.u32[ptr >>> 2] as number;
  const seed = heap.memory.u32[(ptr + 4) >>> 2] as number;
  expect(size, `the size word of block ${ptr}`).toBeLessThanOrEqual(heap.usableSize(ptr));
  const u8 = heap.memory.u8;
  for (let offset = 8; offset < size; offset++) {
    if (u8[ptr + offset] !== patternByte(seed, offset)) expect.fail(`block ${ptr}: byte ${offset} changed`);
  }
  return size;
}

const title =
  WORKERS_UNAVAILABLE === null ? "threads on one heap" : `threads on one heap (skipped: ${WORKERS_UNAVAILABLE})`;

describe.skipIf(WORKERS_UNAVAILABLE !== null)(title, () => {
  describe.each(ALLOCATORS)("$name", ({ name, factory }) => {
    it.each([2, 8])(
      "%i threads, TypeScript and WebAssembly, allocate, resize, hand over and free at once, every byte kept",
      async (threads) => {
        const memory = LinearMemory.create({ initialPages: 1, maximumPages: MAXIMUM_PAGES, shared: true });
        const heap = factory(memory, { heapBase: HEAP_BASE });
        const mailbox = new SharedArrayBuffer(4 * MAILBOX_SLOTS);
        const gate = new Int32Array(new SharedArrayBuffer(4));
        const workers = Array.from({ length: threads }, (_, index) =>
          startWorker("heap-worker.mjs", {
            memory: memory.memory,
            maximumPages: MAXIMUM_PAGES,
            heapBase: HEAP_BASE,
            allocator: name,
            build: index % 2 === 0 ? "TypeScript" : "WebAssembly",
            seed: index + 1,
            steps: 4000,
            mailbox,
            gate: gate.buffer,
            lockTimeoutMs: 30_000,
          }),
        );
        let answers: { own: number[]; lockOwner: number }[];
        try {
          // Every thread has attached, with views of one page, before any of them starts.
          await Promise.all(workers.map((worker) => nextMessage(worker)));
          expect(memory.pages).toBe(1);
          const answering = workers.map((worker) => nextMessage<{ own: number[]; lockOwner: number }>(worker));
          Atomics.store(gate, 0, 1);
          Atomics.notify(gate, 0);
          answers = await Promise.all(answering);
        } finally {
          await Promise.all(workers.map((worker) => worker.terminate()));
        }
        expect(new Set(answers.map(({ lockOwner }) => lockOwner)).size).toBe(threads);
        expect(memory.pages, "the heap grew, from one page").toBeGreaterThan(1);
        expect(lockHolder(memory, HEAP_BASE)).toBe(0);

        const live = [...answers.flatMap(({ own }) => own), ...new Int32Array(mailbox).filter((ptr) => ptr !== 0)];
        heap.check();
        expect(heap.stats().blocksInUse).toBe(live.length);
        const sorted = live.map((ptr) => ({ ptr, size: verifyBlock(heap, ptr) })).sort((a, b) => a.ptr - b.ptr);
        for (let i = 1; i < sorted.length; i++) {
          const before = sorted[i - 1] as { ptr: number; size: number };
          expect(before.ptr + before.size, `block ${before.ptr} overlaps the next`).toBeLessThanOrEqual(
            (sorted[i] as { ptr: number }).ptr,
          );
        }
      },
    );

    it("a thread that dies holding the lock: LOCK_TIMEOUT in time, the heap unchanged, then breakLock", async () => {
      const memory = LinearMemory.create({ initialPages: 1, maximumPages: 64, shared: true });
      const heap = factory(memory, { heapBase: HEAP_BASE, lockTimeoutMs: 200 });
      const module = await loadAllocator.attach(name, memory, HEAP_BASE, { lockTimeoutMs: 200 });
      const kept = heap.allocate(3 * PAGE_SIZE);
      memory.u8.fill(0x5a, kept, kept + 3 * PAGE_SIZE);
      const holder = startWorker("lock-holder-worker.mjs", { memory: memory.memory, heapBase: HEAP_BASE });
      let tag: number;
      try {
        ({ tag } = await nextMessage<{ tag: number }>(holder));
      } finally {
        await holder.terminate();
      }
      expect(lockHolder(memory, HEAP_BASE)).toBe(tag);

      const before = memory.u8.slice();
      for (const [build, call] of [
        ["TypeScript", () => heap.allocate(100)],
        ["WebAssembly", () => module.allocate(100)],
        ["TypeScript check", () => heap.check()],
        ["WebAssembly free", () => module.free(kept)],
      ] as const) {
        const began = performance.now();
        expect(call, build).toThrow(expect.objectContaining({ code: "LOCK_TIMEOUT" }));
        const waited = performance.now() - began;
        expect(waited, build).toBeGreaterThanOrEqual(199);
        expect(waited, build).toBeLessThan(3000);
      }
      // Nothing changed but the lock word's waiting bit, the holder as it was.
      const after = memory.u8.slice();
      after.set(before.subarray(HEAP_BASE + 4, HEAP_BASE + 8), HEAP_BASE + 4);
      expect(Buffer.compare(after, before)).toBe(0);
      expect(lockHolder(memory, HEAP_BASE)).toBe(tag);

      expect(breakLock(memory, HEAP_BASE, heap.lockOwner)).toBe(false);
      expect(breakLock(memory, HEAP_BASE, tag)).toBe(true);
      heap.check();
      module.free(module.allocate(100));
      expect(memory.u8.subarray(kept, kept + 3 * PAGE_SIZE).every((byte) => byte === 0x5a)).toBe(true);
      expect(heap.stats().blocksInUse).toBe(1);
    });
  });
});
