/**
 * A replay that stops anywhere: the heap after the first `position` events of a trace, going forward one stretch of
 * events at a time. Nothing is verified, so it runs at the allocator's own speed; `replay` is the one that proves a
 * heap correct.
 */
import type { BlockAllocator } from "../allocator/contract.js";
import { ALIGNMENT } from "../allocator/size.js";
import { ReplayError } from "./replay.js";
import { describeEvent, EVENT_ALLOCATE, EVENT_ALLOCATE_ALIGNED, EVENT_FREE, type Trace } from "./trace.js";

/** Told of each event once it has run: its index, its block's id, and the block's pointer (0 after a free). */
export type EventObserver = (event: number, id: number, ptr: number) => void;

export class ReplayCursor<A extends BlockAllocator = BlockAllocator> {
  readonly trace: Trace;
  /** The heap the events run on; a checkpoint's restore may hand the cursor a new one. */
  allocator: A;
  /** Events replayed so far: the heap is the one after event `position - 1`. */
  position = 0;
  /** The pointer of each live block, by its id; 0 for a block not allocated yet or freed. */
  readonly pointers: Uint32Array;

  constructor(trace: Trace, allocator: A) {
    this.trace = trace;
    this.allocator = allocator;
    this.pointers = new Uint32Array(trace.blockCount);
  }

  /**
   * Replays the events from `position` up to `target` (at most the trace's length), telling `observe` of each. When an
   * event throws, `position` is that event's index, the heap is as the allocator left it after refusing it, and the
   * error is a ReplayError naming the event's line, its cause what the allocator threw.
   */
  advanceTo(target: number, observe: EventObserver | null = null): void {
    try {
      this.replayTo(Math.min(target, this.trace.length), observe);
    } catch (error) {
      const { trace, position } = this;
      throw new ReplayError(
        trace.name,
        trace.lines[position] as number,
        describeEvent(trace, position),
        error instanceof Error ? error.message : String(error),
        { cause: error },
      );
    }
  }

  private replayTo(end: number, observe: EventObserver | null): void {
    const { kinds, ids, sizes, aligns } = this.trace;
    const pointers = this.pointers;
    const allocator = this.allocator;
    for (let event = this.position; event < end; event++) {
      const kind = kinds[event] as number;
      const id = ids[event] as number;
      let ptr = 0;
      if (kind === EVENT_FREE) {
        allocator.free(pointers[id] as number);
      } else if (kind === EVENT_ALLOCATE) {
        ptr = allocator.allocate(sizes[event] as number);
      } else if (kind === EVENT_ALLOCATE_ALIGNED) {
        ptr = allocator.allocate(sizes[event] as number, Math.max(aligns[event] as number, ALIGNMENT));
      } else {
        ptr = allocator.reallocate(pointers[id] as number, sizes[event] as number);
      }
      pointers[id] = ptr;
      // Kept up to date, so that an event that throws is the one at `position`.
      this.position = event + 1;
      if (observe !== null) observe(event, id, ptr);
    }
  }
}
