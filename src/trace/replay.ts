/**
 * Replays a trace on a heap. With `verify`, every block is filled with a byte of its own when it is allocated or
 * resized, and checked when it is resized or freed and at the end, so a replay proves that no block was handed out
 * twice or overwritten. With `checkEveryStep`, the heap's own `check()` runs after every event (slow, thorough).
 */
import type { Allocator } from "../allocator/contract.js";
import { ALIGNMENT } from "../allocator/size.js";
import { blockByte, firstChangedByte } from "./block-pattern.js";
import { type Heap, heapOf, type LinearHeap } from "./heap.js";
import { describeEvent, EVENT_ALLOCATE, EVENT_ALLOCATE_ALIGNED, EVENT_FREE, type Trace } from "./trace.js";

export interface ReplayOptions {
  /** Fill every block with its own byte and verify it on resize, on free and at the end. */
  verify?: boolean;
  /** Run the heap's `check()` after every event. */
  checkEveryStep?: boolean;
  /**
   * Called every 4,096 events with the number of events replayed so far, to show progress. What it throws ends the
   * replay and reaches the caller as it is.
   */
  onProgress?: (events: number) => void;
}

/** What a replay measured. */
export interface HeapReplayResult {
  events: number;
  /** The most bytes live at once, as the program asked for them. */
  peakLiveBytes: number;
  /** The most blocks live at once. */
  peakLiveBlocks: number;
  /** The highest address any block reached, minus the heap base: the footprint. Null for a heap not in memory. */
  peakFootprint: number | null;
  /** The memory's size at the end (memory never shrinks, so also its peak), or null for a heap not in memory. */
  memorySize: number | null;
}

/** What a replay on a heap in linear memory measured. */
export interface ReplayResult extends HeapReplayResult {
  peakFootprint: number;
  memorySize: number;
}

/**
 * A replay that went wrong, at the line of the trace it went wrong at, as a parse error names it:
 * "sqlite.trace.gz:1235 (f 17): block 17 (at 5128, 40 bytes): byte 0 changed".
 */
export class ReplayError extends Error {
  /** The line of the event, counting from 1; null for the verification at the end. */
  readonly line: number | null;

  /** `event` is the event as its line reads ("f 17"), or null for the verification at the end. */
  constructor(trace: string, line: number | null, event: string | null, message: string, options?: ErrorOptions) {
    super(
      line === null || event === null ? `${trace}, at the end: ${message}` : `${trace}:${line} (${event}): ${message}`,
      options,
    );
    this.name = "ReplayError";
    this.line = line;
  }
}

/** Often enough for a slow heap to be stopped soon after its time is up; rarely enough to cost nothing. */
const PROGRESS_INTERVAL = 0x1000;

export function replay(trace: Trace, heap: Allocator | LinearHeap, options?: ReplayOptions): ReplayResult;
export function replay(trace: Trace, heap: Heap, options?: ReplayOptions): HeapReplayResult;
export function replay(trace: Trace, target: Allocator | Heap, options: ReplayOptions = {}): HeapReplayResult {
  const heap = isHeap(target) ? target : heapOf(target);
  const { verify = false, checkEveryStep = false, onProgress } = options;
  const check = heap.check;
  if (checkEveryStep && check === undefined) throw new TypeError("checkEveryStep: this heap has no check()");
  const { kinds, ids, sizes, aligns } = trace;
  const pointers = new Uint32Array(trace.blockCount);
  const blockSizes = new Uint32Array(trace.blockCount);
  const heapBase = heap.heapBase;
  let liveBytes = 0;
  let liveBlocks = 0;
  let peakLiveBytes = 0;
  let peakLiveBlocks = 0;
  let highest = heapBase ?? 0;
  let event = 0;
  /** What the progress callback threw, which is passed on as it is. */
  let interruption: unknown = null;

  /** A ReplayError at the current event, naming its line and the event as the line reads ("f 17"), or the end. */
  const failure = (message: string, cause?: unknown): ReplayError => {
    const options = cause === undefined ? undefined : { cause };
    return event < trace.length
      ? new ReplayError(trace.name, trace.lines[event] as number, describeEvent(trace, event), message, options)
      : new ReplayError(trace.name, null, null, message, options);
  };

  const expectIntact = (id: number, length: number): void => {
    const ptr = pointers[id] as number;
    const changed = firstChangedByte(heap.bytes(ptr, length), blockByte(id));
    if (changed !== -1) throw failure(`block ${id} (at ${ptr}, ${blockSizes[id]} bytes): byte ${changed} changed`);
  };

  try {
    for (; event < trace.length; event++) {
      if (onProgress !== undefined && event % PROGRESS_INTERVAL === 0) {
        try {
          onProgress(event);
        } catch (error) {
          interruption = error;
          throw error;
        }
      }
      const kind = kinds[event] as number;
      const id = ids[event] as number;
      const size = sizes[event] as number;
      if (kind === EVENT_FREE) {
        if (verify) expectIntact(id, blockSizes[id] as number);
        heap.free(pointers[id] as number);
        // A freed block is no longer the program's: the final verification must not look at its bytes.
        pointers[id] = 0;
        liveBytes -= blockSizes[id] as number;
        liveBlocks--;
      } else {
        let ptr: number;
        if (kind === EVENT_ALLOCATE) {
          ptr = heap.allocate(size);
        } else if (kind === EVENT_ALLOCATE_ALIGNED) {
          ptr = heap.allocate(size, Math.max(aligns[event] as number, ALIGNMENT));
        } else {
          const old = blockSizes[id] as number;
          if (verify) expectIntact(id, old);
          ptr = heap.reallocate(pointers[id] as number, size, old);
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
        if (verify) heap.bytes(ptr, size).fill(blockByte(id));
      }
      if (checkEveryStep) (check as () => void)();
    }
    if (verify) {
      for (let id = 0; id < trace.blockCount; id++) if (pointers[id] !== 0) expectIntact(id, blockSizes[id] as number);
    }
  } catch (error) {
    if (error instanceof ReplayError || error === interruption) throw error;
    throw failure((error as Error).message, error);
  }
  return {
    events: trace.length,
    peakLiveBytes,
    peakLiveBlocks,
    peakFootprint: heapBase === null ? null : highest - heapBase,
    memorySize: heap.memorySize(),
  };
}

function isHeap(target: Allocator | Heap): target is Heap {
  return typeof (target as Heap).bytes === "function";
}
