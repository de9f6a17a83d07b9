/**
 * The ring workload: a fixed number of blocks live at once, and at each step the oldest is freed and a new one of a
 * random size allocated, so the heap keeps a steady size while its free space is cut up and merged again and again.
 * It is the workload on which an allocator's speed and fragmentation are first judged.
 */
import { MAX_ALLOCATION } from "../allocator/size.js";
import { blockByte, firstChangedByte } from "../trace/block-pattern.js";
import type { Heap } from "../trace/heap.js";
import { freshCopy } from "./fresh-copy.js";
import { seededRandom } from "./random.js";
import { formatCount, formatCountOf } from "./units.js";
import type { Footprint, Workload } from "./workload.js";

export interface RingOptions {
  /** Blocks live at once. */
  liveBlocks: number;
  /** Steps after the ring is full; each frees the oldest block and allocates a new one. */
  steps: number;
  /** The smallest and largest block size, in bytes; sizes are uniformly distributed between them. */
  minSize: number;
  maxSize: number;
  /** The seed of the sizes. */
  seed: number;
}

/**
 * The ring of the TLSF benchmark, 1,024 live blocks of 8 to 512 bytes, with 500,000 steps rather than its 2,000,000, so
 * that `linmem bench` with every allocator takes about a minute (the slowest peer needs some 6 µs a step).
 */
export const RING_DEFAULTS: RingOptions = { liveBlocks: 1024, steps: 500_000, minSize: 8, maxSize: 512, seed: 1 };

/** Often enough for a slow heap to be stopped soon after its time is up; rarely enough to cost nothing. */
const PROGRESS_INTERVAL = 0x1000;

export function ringWorkload(options: RingOptions): Workload {
  const { liveBlocks, steps, minSize, maxSize, seed } = options;
  requireWhole("liveBlocks", liveBlocks, 1, 0xffff_ffff);
  requireWhole("steps", steps, 0, 0xffff_ffff);
  requireWhole("minSize", minSize, 0, MAX_ALLOCATION);
  requireWhole("maxSize", maxSize, minSize, MAX_ALLOCATION);

  // Block i is allocated in the ring's slot i % liveBlocks; step s frees block s and allocates block liveBlocks + s.
  const blocks = liveBlocks + steps;
  const sizes = new Uint32Array(blocks);
  const random = seededRandom(seed);
  const span = maxSize - minSize + 1;
  let bytesAllocated = 0;
  let liveBytes = 0;
  let peakLiveBytes = 0;
  for (let block = 0; block < blocks; block++) {
    const size = minSize + Math.floor(random() * span);
    sizes[block] = size;
    bytesAllocated += size;
    liveBytes += size;
    if (block >= liveBlocks) liveBytes -= sizes[block - liveBlocks] as number;
    if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
  }
  const name = `ring ${formatCount(liveBlocks)}`;

  return {
    source: { ring: { ...options } },
    name,
    description:
      `${formatCountOf(liveBlocks, "live block")} of ${minSize}..${maxSize} bytes, ` +
      `${formatCountOf(steps, "step")}, each freeing the oldest block and allocating one (seed ${seed})`,
    operations: steps,
    operation: "step",
    bytesAllocated,
    peakLiveBytes,

    ownLoop(): (heap: Heap) => () => void {
      const loop = freshCopy(ringLoop);
      return (heap) => {
        const ring = new Uint32Array(liveBlocks);
        for (let slot = 0; slot < liveBlocks; slot++) ring[slot] = heap.allocate(sizes[slot] as number);
        return () => loop(heap, ring, sizes, steps);
      };
    },

    verify(heap: Heap, onProgress?: (done: number) => void): Footprint {
      const ring = new Uint32Array(liveBlocks);
      const ringBlocks = new Uint32Array(liveBlocks);
      const heapBase = heap.heapBase;
      let highest = heapBase ?? 0;
      let step = -1;
      /** What the progress callback threw, which is passed on as it is. */
      let interruption: unknown = null;

      const allocate = (slot: number, block: number): void => {
        const size = sizes[block] as number;
        const ptr = heap.allocate(size);
        ring[slot] = ptr;
        ringBlocks[slot] = block;
        heap.bytes(ptr, size).fill(blockByte(block));
        if (ptr + size > highest) highest = ptr + size;
      };
      const expectIntact = (slot: number): void => {
        const block = ringBlocks[slot] as number;
        const ptr = ring[slot] as number;
        const size = sizes[block] as number;
        const changed = firstChangedByte(heap.bytes(ptr, size), blockByte(block));
        if (changed !== -1) throw new Error(`block ${block} (at ${ptr}, ${size} bytes): byte ${changed} changed`);
      };

      try {
        for (let slot = 0; slot < liveBlocks; slot++) allocate(slot, slot);
        let slot = 0;
        for (step = 0; step < steps; step++) {
          if (onProgress !== undefined && step % PROGRESS_INTERVAL === 0) {
            try {
              onProgress(step);
            } catch (error) {
              interruption = error;
              throw error;
            }
          }
          expectIntact(slot);
          heap.free(ring[slot] as number);
          allocate(slot, liveBlocks + step);
          if (++slot === liveBlocks) slot = 0;
        }
        for (let slot = 0; slot < liveBlocks; slot++) expectIntact(slot);
      } catch (error) {
        if (error === interruption) throw error;
        const where = step === -1 ? "filling the ring" : step < steps ? `step ${step}` : "the end";
        throw new Error(`${name}, ${where}: ${(error as Error).message}`, { cause: error });
      }
      return {
        peakLiveBytes,
        peakFootprint: heapBase === null ? null : highest - heapBase,
        memorySize: heap.memorySize(),
      };
    },
  };
}

/**
 * The timed part of the ring: `steps` times, free the oldest block and allocate the next. `ring` holds the live blocks,
 * block i in slot i % ring.length; `sizes` the size of every block. Copied for each contender (see fresh-copy.ts), so
 * it refers to nothing but its parameters.
 */
function ringLoop(heap: Heap, ring: Uint32Array, sizes: Uint32Array, steps: number): void {
  const liveBlocks = ring.length;
  let slot = 0;
  for (let step = 0; step < steps; step++) {
    heap.free(ring[slot] as number);
    ring[slot] = heap.allocate(sizes[liveBlocks + step] as number);
    // A counter rather than `step % liveBlocks`: a division would cost as much as a fast allocator.
    if (++slot === liveBlocks) slot = 0;
  }
}

function requireWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`ring: ${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
}
