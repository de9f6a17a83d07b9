/**
 * What the generic module tests reach only by chance in the buddy module: every size of first tree, heap bases at the
 * edges of a 64 KiB span, trees that double more than once in one step, every pointer a heap could be handed to free,
 * and a long ring through many doublings. Each runs the TypeScript and the WebAssembly build side by side, which must
 * return the same pointers and traps and keep the same bytes. Last, the loader's block allocator, whose resizes, sizes
 * and walks the TypeScript twin does on the module's heap.
 */
import { describe, expect, it } from "vitest";
import { BUDDY_STATE_SIZE, buddy } from "../../src/allocator/buddy.js";
import type { BlockInfo } from "../../src/allocator/contract.js";
import { seededRandom } from "../../src/bench/random.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import { WasmAllocator } from "../../src/wasm/wasm-allocator.js";
import type { ModuleCase } from "./support/cases.js";
import { Lockstep, type LockstepOptions } from "./support/lockstep.js";
import { runLongRing } from "./support/long-ring.js";

/** Where a buddy heap keeps the order of its tree (see src/allocator/buddy.ts). */
const ROOT_ORDER_OFFSET = 8;

const BUDDY: ModuleCase = { name: "buddy", typescript: buddy, sizeTarget: 1024, reallocate: true, doubleFree: true };

async function pair(options: LockstepOptions): Promise<Lockstep> {
  return Lockstep.pair(BUDDY, options);
}

/** The pointer a call returned; the calls here are all valid. */
function pointer(outcome: ReturnType<Lockstep["run"]>): number {
  if (!("value" in outcome) || outcome.value === undefined) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value;
}

/**
 * Heap bases where the first tree changes size: a tree whose bitmap is b bytes holds the state when the first block
 * lies within 63 b of the tree's base. Each threshold is tried from both sides, and so is the end of a 64 KiB span.
 */
function edgeHeapBases(): number[] {
  const bases = new Set<number>([0, 8, PAGE_SIZE - 8, PAGE_SIZE, PAGE_SIZE + 8, 2 * PAGE_SIZE - 8]);
  for (let bitmapSize = 16; 63 * bitmapSize < PAGE_SIZE + BUDDY_STATE_SIZE; bitmapSize *= 2) {
    const firstBlock = 63 * bitmapSize;
    for (let delta = -24; delta <= 24; delta += 8) {
      const base = firstBlock - BUDDY_STATE_SIZE + delta;
      if (base >= 0) bases.add(base);
    }
  }
  return [...bases].sort((a, b) => a - b);
}

describe("the buddy module and its TypeScript twin", () => {
  it.each(edgeHeapBases())("lay out, grow, empty and reset the same heap at %i", async (heapBase) => {
    const lockstep = await pair({ heapBase });
    const blocks: number[] = [];
    // Small blocks, then ever larger ones, so that the tree doubles again and again and its bitmap moves.
    for (const size of [0, 16, 17, 100, 1000, 5000, 40_000, 200_000, 1_000_000]) {
      blocks.push(pointer(lockstep.allocate(size)));
      lockstep.expectSameMemory(`after allocate(${size})`);
    }
    for (const ptr of blocks.reverse()) lockstep.free(ptr);
    lockstep.expectSameMemory("after freeing every block");
    lockstep.check();
    lockstep.reset();
    lockstep.expectSameMemory("after the reset");
    lockstep.check();
  });

  it("double the tree twice, or straight to a large block's size, in one step", async () => {
    for (const size of [1024, 4096, 65536, 1 << 20]) {
      const lockstep = await pair({ heapBase: 4096 });
      const root = lockstep.reference.memory.u32[(4096 + ROOT_ORDER_OFFSET) >>> 2] as number;
      // A block of the tree's own size, then one twice that: each needs more than one doubling.
      pointer(lockstep.allocate(16 << root));
      pointer(lockstep.allocate(size));
      pointer(lockstep.allocate(32 << root));
      lockstep.expectSameMemory(`after allocating ${16 << root}, ${size} and ${32 << root} bytes`);
      lockstep.check();
    }
  });

  it("refuse alike every pointer of the tree that is not a live block, changing nothing", async () => {
    const lockstep = await pair({ heapBase: 200 });
    const random = seededRandom(3);
    const live = new Set<number>();
    for (let step = 0; step < 400; step++) {
      if (live.size > 0 && random() < 0.4) {
        const ptr = [...live][Math.floor(random() * live.size)] as number;
        lockstep.free(ptr);
        live.delete(ptr);
      } else {
        live.add(pointer(lockstep.allocate(Math.floor(random() * (random() < 0.1 ? 20_000 : 300)))));
      }
    }
    const heap = lockstep.reference.stats();
    const refusals = new Map<string, number>();
    // Every multiple of 8 from below the heap to past the end of memory, half of them not multiples of 16 (0 aside,
    // which free takes for no block at all).
    for (let ptr = 8; ptr <= heap.memorySize + 64; ptr += 8) {
      if (live.has(ptr)) continue;
      const outcome = lockstep.free(ptr);
      expect(outcome, `free(${ptr})`).toHaveProperty("trap");
      if ("trap" in outcome) refusals.set(outcome.trap, (refusals.get(outcome.trap) ?? 0) + 1);
    }
    lockstep.expectSameMemory("after the refusals");
    expect([...refusals.keys()].sort()).toEqual(["DOUBLE_FREE", "INVALID_POINTER"]);
    for (const ptr of live) lockstep.free(ptr);
    lockstep.expectSameMemory("after freeing every live block");
    lockstep.check();
  });

  it("keep the same bytes through a long ring of allocations, resizes and frees, over many doublings", async () => {
    runLongRing(await pair({ heapBase: 1024 }), { seed: 7, largest: 300_000 });
  });

  it("load as a block allocator, whose sizes and walks the twin reads from the module's heap", async () => {
    const memory = LinearMemory.create();
    const heap = await loadAllocator("buddy", memory, { heapBase: 64 });
    expect(heap).toBeInstanceOf(WasmAllocator);
    const small = heap.allocate(20);
    const large = heap.allocate(3000, 1024);
    expect(large % 1024).toBe(0);
    expect([heap.usableSize(small), heap.usableSize(large)]).toEqual([32, 4096]);
    const moved = heap.reallocate(small, 100);
    expect(heap.usableSize(moved)).toBe(128);
    const blocks: BlockInfo[] = [];
    heap.walk((block) => blocks.push(block));
    const typescript: BlockInfo[] = [];
    buddy.attach(memory, 64).walk((block) => typescript.push(block));
    expect(blocks).toEqual(typescript);
    expect(blocks.filter((block) => block.used).map((block) => block.ptr)).toEqual(
      [moved, large].sort((a, b) => a - b),
    );
  });
});
