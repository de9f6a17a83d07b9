/**
 * No allocator at all: `new Uint8Array(size)` for every block, and the garbage collector to take it back once the
 * program lets go of it. What a JavaScript program gets for free, and what the others are worth measuring against.
 *
 * Blocks are known by handles: indexes into a table of live arrays, reused once freed, so that a freed array has
 * no reference left and the collector may take it. Its memory is the JavaScript heap's, so it has no footprint here.
 */
import type { Heap } from "../../trace/heap.js";
import type { Contender } from "../contender.js";

export const uint8Array: Contender = {
  name: "uint8array",
  description: "new Uint8Array(size) per block, released to the garbage collector",
  origin: "peer",
  reusesMemory: true,
  requires: [],
  async load() {
    return () => garbageCollectedHeap();
  },
};

function garbageCollectedHeap(): Heap {
  const empty = new Uint8Array(0);
  /** The live arrays by handle; handle 0 is never used, as 0 is no block. */
  const blocks: Uint8Array[] = [empty];
  const freeHandles: number[] = [];
  return {
    allocate(size) {
      const handle = freeHandles.length > 0 ? (freeHandles.pop() as number) : blocks.length;
      blocks[handle] = new Uint8Array(size);
      return handle;
    },
    free(handle) {
      blocks[handle] = empty;
      freeHandles.push(handle);
    },
    reallocate(handle, size) {
      const old = blocks[handle] as Uint8Array;
      const resized = new Uint8Array(size);
      resized.set(old.length <= size ? old : old.subarray(0, size));
      blocks[handle] = resized;
      return handle;
    },
    bytes: (handle, size) => (blocks[handle] as Uint8Array).subarray(0, size),
    heapBase: null,
    memorySize: () => null,
    reset() {
      blocks.length = 1;
      freeHandles.length = 0;
    },
  };
}
