/**
 * The figures a timeline plots over a whole trace, gathered in bins of consecutive events (at most `bins` of them,
 * each the largest value after any of its events), so that a million events take a few kilobytes:
 *
 * - live bytes: what the program has asked for and not freed, the same for every allocator;
 * - footprint: one past the highest byte in use, by a live block or the allocator's state, less the heap's base, as
 *   `stats()` gives it; followed event by event, with the highest live block kept at hand in a heap of block ends;
 * - memory size.
 */
import type { MappableAllocator } from "../map/memory-map.js";
import { EVENT_FREE, EVENT_RESIZE, type Trace } from "../trace/trace.js";

/** Bins for a trace of `length` events: one per event, up to `limit`. */
export function binCount(length: number, limit: number): number {
  return Math.max(1, Math.min(length, limit));
}

/** The bin of an event (an index from 0) among `bins` bins over `length` events. */
export function binOf(event: number, length: number, bins: number): number {
  return Math.floor((event * bins) / length);
}

/** What the program holds after each number of events, from 0 to the trace's length: bytes as asked for, and blocks. */
export interface LiveTotals {
  bytes: Float64Array;
  blocks: Uint32Array;
}

export function liveTotals(trace: Trace): LiveTotals {
  const bytes = new Float64Array(trace.length + 1);
  const blocks = new Uint32Array(trace.length + 1);
  const sizes = new Float64Array(trace.blockCount);
  let liveBytes = 0;
  let liveBlocks = 0;
  for (let event = 0; event < trace.length; event++) {
    const id = trace.ids[event] as number;
    const kind = trace.kinds[event];
    liveBytes -= sizes[id] as number;
    const size = kind === EVENT_FREE ? 0 : (trace.sizes[event] as number);
    sizes[id] = size;
    liveBytes += size;
    if (kind === EVENT_FREE) liveBlocks--;
    else if (kind !== EVENT_RESIZE) liveBlocks++;
    bytes[event + 1] = liveBytes;
    blocks[event + 1] = liveBlocks;
  }
  return { bytes, blocks };
}

/** The largest value after each event of a bin, from values by number of events replayed (as `liveTotals` gives). */
export function binMaxima(values: Float64Array, bins: number): Float64Array {
  const length = values.length - 1;
  const maxima = new Float64Array(bins);
  for (let event = 0; event < length; event++) {
    const bin = binOf(event, length, bins);
    const value = values[event + 1] as number;
    if (value > (maxima[bin] as number)) maxima[bin] = value;
  }
  return maxima;
}

/** An allocator's footprint and memory size through a replay, fed one event at a time by `observe`. */
export class FootprintRecorder {
  readonly footprint: Float64Array;
  readonly memorySize: Float64Array;
  private readonly allocator: MappableAllocator;
  private readonly length: number;
  /** The end of each live block (ptr + usable size), by id; 0 when it is not live. */
  private readonly ends: Float64Array;
  private readonly highest = new HighestEnds();

  constructor(trace: Trace, allocator: MappableAllocator, bins: number) {
    this.allocator = allocator;
    this.length = trace.length;
    this.ends = new Float64Array(trace.blockCount);
    this.footprint = new Float64Array(bins);
    this.memorySize = new Float64Array(bins);
  }

  /** To be called after each event with its block's pointer, 0 after a free (a cursor's EventObserver). */
  readonly observe = (event: number, id: number, ptr: number): void => {
    const allocator = this.allocator;
    const ends = this.ends;
    if (ptr === 0) {
      ends[id] = 0;
    } else {
      const end = ptr + allocator.usableSize(ptr);
      ends[id] = end;
      this.highest.push(end, id);
    }
    const highest = this.highest.top(ends);
    const footprint = Math.max(highest, allocator.stateEnd()) - allocator.heapBase;
    const bin = binOf(event, this.length, this.footprint.length);
    if (footprint > (this.footprint[bin] as number)) this.footprint[bin] = footprint;
    const memorySize = allocator.memory.byteLength;
    if (memorySize > (this.memorySize[bin] as number)) this.memorySize[bin] = memorySize;
  };
}

/**
 * A max-heap of block ends, each with its block's id. An entry goes stale when its block is freed or resized; stale
 * entries are dropped only when they reach the top, where `top` checks each against the blocks' current ends.
 */
class HighestEnds {
  private ends = new Float64Array(1024);
  private ids = new Uint32Array(1024);
  private size = 0;

  push(end: number, id: number): void {
    if (this.size === this.ends.length) this.enlarge();
    const { ends, ids } = this;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((ends[parent] as number) >= end) break;
      ends[at] = ends[parent] as number;
      ids[at] = ids[parent] as number;
      at = parent;
    }
    ends[at] = end;
    ids[at] = id;
  }

  /** The highest current end, or 0 when no block is live. */
  top(current: Float64Array): number {
    while (this.size > 0) {
      const end = this.ends[0] as number;
      if (current[this.ids[0] as number] === end) return end;
      this.pop();
    }
    return 0;
  }

  private pop(): void {
    const { ends, ids } = this;
    const last = --this.size;
    const end = ends[last] as number;
    const id = ids[last] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      if (child + 1 < last && (ends[child + 1] as number) > (ends[child] as number)) child++;
      if ((ends[child] as number) <= end) break;
      ends[at] = ends[child] as number;
      ids[at] = ids[child] as number;
      at = child;
    }
    ends[at] = end;
    ids[at] = id;
  }

  private enlarge(): void {
    const ends = new Float64Array(this.ends.length * 2);
    ends.set(this.ends);
    const ids = new Uint32Array(this.ids.length * 2);
    ids.set(this.ids);
    this.ends = ends;
    this.ids = ids;
  }
}
