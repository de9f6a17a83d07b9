/**
 * `@thi.ng/malloc`'s MemPool: a first-fit allocator over an ArrayBuffer, written in TypeScript. A development
 * dependency only, imported when the benchmark runs: where it is not installed, this contender is not available.
 *
 * A pool cannot grow, so each is made large enough for the workload in advance; its memory size is therefore not a
 * figure of the allocator's. It refuses `malloc(0)`, which real programs call, so a size of 0 asks for 1 byte.
 */
import type { Heap } from "../../trace/heap.js";
import type { Contender, HeapNeeds } from "../contender.js";
import { installedPackage } from "../requirement.js";

type MemPoolClass = typeof import("@thi.ng/malloc").MemPool;

const PACKAGE = "@thi.ng/malloc";
const MIB = 1 << 20;

export const thingMalloc: Contender = {
  name: "thi.ng",
  description: "@thi.ng/malloc's MemPool (first fit, free blocks merged), in a pool sized for the workload",
  origin: "peer",
  reusesMemory: true,
  requires: [installedPackage(PACKAGE)],
  async load() {
    const { MemPool } = await import("@thi.ng/malloc");
    return (needs) => poolHeap(MemPool, poolSize(needs));
  },
};

/** Room for the live bytes four times over and their block headers, and never less than 16 MiB. */
function poolSize(needs: HeapNeeds): number {
  const size = Math.max(16 * MIB, 4 * needs.peakLiveBytes + MIB);
  return Math.min(Math.ceil(size / MIB) * MIB, 2048 * MIB);
}

/** A pool over a buffer of its own; resetting lays a new, empty pool over the same buffer. */
function poolHeap(MemPool: MemPoolClass, size: number): Heap {
  const buffer = new ArrayBuffer(size);
  let pool = new MemPool({ buf: buffer, align: 8 });
  return {
    allocate(size, align) {
      if (align !== undefined && align > 8) throw new RangeError(`thi.ng cannot align to ${align}`);
      const ptr = pool.malloc(size || 1);
      if (ptr === 0) throw new RangeError(`malloc(${size}): the pool of ${buffer.byteLength} bytes is full`);
      return ptr;
    },
    free(ptr) {
      if (!pool.free(ptr)) throw new RangeError(`free(${ptr}): not a block of the pool`);
    },
    reallocate(ptr, size) {
      const moved = pool.realloc(ptr, size || 1);
      if (moved === 0) throw new RangeError(`realloc(${ptr}, ${size}): the pool of ${buffer.byteLength} bytes is full`);
      return moved;
    },
    bytes: (ptr, size) => new Uint8Array(buffer, ptr, size),
    heapBase: 0,
    memorySize: () => null,
    reset() {
      pool = new MemPool({ buf: buffer, align: 8 });
    },
  };
}
