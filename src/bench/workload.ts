/**
 * A workload: a fixed, repeatable sequence of allocations and frees that every contender runs the same way. It runs
 * in two ways: once with every block's bytes written and verified (slow; measures the footprint and proves the heap
 * correct), and several times with nothing but the allocation calls (fast; timed).
 */
import type { Heap } from "../trace/heap.js";
import type { Trace } from "../trace/trace.js";
import type { RingOptions } from "./ring.js";

/** What a workload is made from, in a form a worker can be sent: the ring's options, or the trace. */
export type WorkloadSource = { ring: RingOptions } | { trace: Trace };

export interface Workload {
  /** What it was made from, to make it again elsewhere (workloads.ts). */
  readonly source: WorkloadSource;
  /** A short name for reports: "ring 1,024", "sqlite.trace.gz". */
  readonly name: string;
  /** A sentence saying what it does. */
  readonly description: string;
  /** Operations in one run: the time of a run is divided by this. */
  readonly operations: number;
  /** What one operation is: "step" or "event". */
  readonly operation: string;
  /** Bytes asked for over a whole run, every allocation and resize counted: what a heap that never frees needs. */
  readonly bytesAllocated: number;
  /** The most bytes live at once. */
  readonly peakLiveBytes: number;
  /**
   * A timed loop of one contender's own (see fresh-copy.ts). Each call of what it returns sets a run up on an empty
   * heap, untimed, and returns the run itself: nothing but the allocation calls, the part that is timed.
   */
  ownLoop(): (heap: Heap) => () => void;
  /**
   * Runs the workload on a new heap with every block's bytes written on allocation and verified on free and at the
   * end. Throws at the first block whose bytes changed. `onProgress` is called now and then with the operations done;
   * what it throws ends the run.
   */
  verify(heap: Heap, onProgress?: (done: number) => void): Footprint;
}

/** What a verified run measured about memory. */
export interface Footprint {
  /** The most bytes live at once, as the workload asked for them. */
  peakLiveBytes: number;
  /** The highest address any block reached, minus the heap base; null for a heap outside linear memory. */
  peakFootprint: number | null;
  /** The memory's size at the end of the run; null for a heap whose memory size says nothing (a fixed pool, GC). */
  memorySize: number | null;
}
