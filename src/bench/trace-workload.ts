/** A trace as a workload: a real program's allocations, replayed. */
import { ALIGNMENT } from "../allocator/size.js";
import type { Heap } from "../trace/heap.js";
import { replay } from "../trace/replay.js";
import { EVENT_FREE, type Trace } from "../trace/trace.js";
import type { HeapNeeds } from "./contender.js";
import { freshCopy } from "./fresh-copy.js";
import { formatBytes, formatCountOf } from "./units.js";
import type { Footprint, Workload } from "./workload.js";

export function traceWorkload(trace: Trace): Workload {
  const { kinds, ids, sizes } = trace;
  // Every block is aligned to 8 anyway, and a smaller alignment is not one the contract accepts.
  const alignments = trace.aligns.map((align) => Math.max(align, ALIGNMENT));
  const { bytesAllocated, peakLiveBytes } = traceNeeds(trace);
  return {
    source: { trace },
    name: trace.name,
    description:
      `${formatCountOf(trace.length, "event")} of a program's allocations, replayed: ` +
      `${formatCountOf(trace.blockCount, "block")}, at most ${formatBytes(peakLiveBytes)} live at once`,
    operations: trace.length,
    operation: "event",
    bytesAllocated,
    peakLiveBytes,

    ownLoop(): (heap: Heap) => () => void {
      const loop = freshCopy(replayLoop);
      return (heap) => {
        const pointers = new Uint32Array(trace.blockCount);
        const blockSizes = new Uint32Array(trace.blockCount);
        return () => loop(heap, kinds, ids, sizes, alignments, pointers, blockSizes);
      };
    },

    verify(heap: Heap, onProgress?: (done: number) => void): Footprint {
      const result = replay(trace, heap, onProgress === undefined ? { verify: true } : { verify: true, onProgress });
      return {
        peakLiveBytes: result.peakLiveBytes,
        peakFootprint: result.peakFootprint,
        memorySize: result.memorySize,
      };
    },
  };
}

/**
 * The timed part of a replay: the events' calls and nothing else. Copied for each contender (see fresh-copy.ts), so it
 * refers to nothing but its parameters: the event kinds are the numbers of trace.ts, EVENT_ALLOCATE (0),
 * EVENT_ALLOCATE_ALIGNED (1), EVENT_RESIZE (2) and EVENT_FREE (3).
 */
function replayLoop(
  heap: Heap,
  kinds: Uint8Array,
  ids: Uint32Array,
  sizes: Uint32Array,
  alignments: Uint32Array,
  pointers: Uint32Array,
  blockSizes: Uint32Array,
): void {
  for (let event = 0; event < kinds.length; event++) {
    const kind = kinds[event] as number;
    const id = ids[event] as number;
    if (kind === 3) {
      heap.free(pointers[id] as number);
    } else {
      const size = sizes[event] as number;
      if (kind === 0) pointers[id] = heap.allocate(size);
      else if (kind === 1) pointers[id] = heap.allocate(size, alignments[event] as number);
      else pointers[id] = heap.reallocate(pointers[id] as number, size, blockSizes[id] as number);
      blockSizes[id] = size;
    }
  }
}

/** The bytes a trace asks for in all, and the most it holds at once. */
export function traceNeeds(trace: Trace): HeapNeeds {
  const blockSizes = new Uint32Array(trace.blockCount);
  let bytesAllocated = 0;
  let liveBytes = 0;
  let peakLiveBytes = 0;
  for (let event = 0; event < trace.length; event++) {
    const id = trace.ids[event] as number;
    const size = trace.sizes[event] as number;
    liveBytes -= blockSizes[id] as number;
    if (trace.kinds[event] === EVENT_FREE) {
      blockSizes[id] = 0;
    } else {
      blockSizes[id] = size;
      liveBytes += size;
      bytesAllocated += size;
      if (liveBytes > peakLiveBytes) peakLiveBytes = liveBytes;
    }
  }
  return { bytesAllocated, peakLiveBytes };
}
