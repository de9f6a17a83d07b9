/**
 * Replays a trace on an allocator. With `verify`, every block is filled with a byte of its own when it is allocated
 * or resized, and checked when it is resized or freed and at the end, so a replay proves that no block was handed
 * out twice or overwritten. With `checkEveryStep`, the heap's own `check()` runs after every event (slow, thorough).
 */
import type { Allocator, BlockAllocator } from "../allocator/contract.js";
import { ALIGNMENT } from "../allocator/size.js";
import { EVENT_ALLOCATE, EVENT_ALLOCATE_ALIGNED, EVENT_FREE, type Trace } from "./trace.js";

export interface ReplayOptions {
  /** Fill every block with its own byte and verify it on resize, on free and at the end. */
  verify?: boolean;
  /** Run the heap's `check()` after every event. */
  checkEveryStep?: boolean;
}

export interface ReplayResult {
  events: number;
  /** The most bytes live at once, as the program asked for them. */
  peakLiveBytes: number;
  /** The most blocks live at once. */
  peakLiveBlocks: number;
  /** The highest address any block reached, minus the heap base: the footprint. */
  peakFootprint: number;
  /** The memory's size at the end (memory never shrinks, so also its peak). */
  memorySize: number;
}

/** A replay that went wrong, at the event it went wrong at. */
export class ReplayError extends Error {
  /** The index of the event, counting from 0. */
  readonly event: number;

  constructor(trace: string, event: number, message: string, options?: ErrorOptions) {
    super(`${trace}, event ${event}: ${message}`, options);
    this.name = "ReplayError";
    this.event = event;
  }
}

/** The byte a block is filled with: different for neighbouring ids, never 0 (the color of fresh memory). */
function blockByte(id: number): number {
  return (Math.imul(id, 0x9e3779b1) >>> 24) | 1;
}

export function replay(trace: Trace, allocator: Allocator, options: ReplayOptions = {}): ReplayResult {
  const { verify = false, checkEveryStep = false } = options;
  const { kinds, ids, sizes, aligns } = trace;
  const pointers = new Uint32Array(trace.blockCount);
  const blockSizes = new Uint32Array(trace.blockCount);
  const heapBase = allocator.heapBase;
  const canResize = typeof (allocator as Partial<BlockAllocator>).reallocate === "function";
  let liveBytes = 0;
  let liveBlocks = 0;
  let peakLiveBytes = 0;
  let peakLiveBlocks = 0;
  let highest = heapBase;
  let event = 0;

  const expectIntact = (id: number, length: number): void => {
    const ptr = pointers[id] as number;
    const u8 = allocator.memory.u8;
    const expected = blockByte(id);
    for (let i = 0; i < length; i++) {
      if (u8[ptr + i] !== expected) {
        throw new ReplayError(trace.name, event, `block ${id} (at ${ptr}, ${blockSizes[id]} bytes): byte ${i} changed`);
      }
    }
  };

  try {
    for (; event < trace.length; event++) {
      const kind = kinds[event] as number;
      const id = ids[event] as number;
      const size = sizes[event] as number;
      if (kind === EVENT_FREE) {
        if (verify) expectIntact(id, blockSizes[id] as number);
        allocator.free(pointers[id] as number);
        liveBytes -= blockSizes[id] as number;
        liveBlocks--;
      } else {
        let ptr: number;
        if (kind === EVENT_ALLOCATE) {
          ptr = allocator.allocate(size);
        } else if (kind === EVENT_ALLOCATE_ALIGNED) {
          ptr = allocator.allocate(size, Math.max(aligns[event] as number, ALIGNMENT));
        } else {
          const old = blockSizes[id] as number;
          if (verify) expectIntact(id, old);
          ptr = canResize
            ? (allocator as BlockAllocator).reallocate(pointers[id] as number, size)
            : moveBlock(allocator, pointers[id] as number, old, size);
          pointers[id] = ptr;
          if (verify) expectIntact(id, Math.min(old, size));
          liveBytes -= old;
          liveBlocks--;
        }
        pointers[id] = ptr;
        blockSizes[id] = size;
        liveBytes += size;
        liveBlocks++;
        if (ptr + size > highest) highest = ptr + size;
        if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
        if (liveBlocks > peakLiveBlocks) peakLiveBlocks = liveBlocks;
        if (verify) allocator.memory.u8.fill(blockByte(id), ptr, ptr + size);
      }
      if (checkEveryStep) allocator.check();
    }
    if (verify) {
      for (let id = 0; id < trace.blockCount; id++) if (pointers[id] !== 0) expectIntact(id, blockSizes[id] as number);
    }
  } catch (error) {
    if (error instanceof ReplayError) throw error;
    throw new ReplayError(trace.name, event, (error as Error).message, { cause: error });
  }
  return {
    events: trace.length,
    peakLiveBytes,
    peakLiveBlocks,
    peakFootprint: highest - heapBase,
    memorySize: allocator.memory.byteLength,
  };
}

/** Resizes a block for an allocator that cannot: a new block, the bytes copied, the old block freed. */
function moveBlock(allocator: Allocator, ptr: number, oldSize: number, size: number): number {
  const moved = allocator.allocate(size);
  const u8 = allocator.memory.u8;
  u8.copyWithin(moved, ptr, ptr + Math.min(oldSize, size));
  allocator.free(ptr);
  return moved;
}
