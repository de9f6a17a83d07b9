import type { Trace } from "../../src/trace/trace.js";

/**
 * The first `length` events of a trace, as a trace of its own: every block they free or resize they also allocate.
 * Its block count stays the whole trace's, which still bounds every id it holds.
 */
export function firstEvents(trace: Trace, length: number): Trace {
  return {
    ...trace,
    length,
    kinds: trace.kinds.subarray(0, length),
    ids: trace.ids.subarray(0, length),
    sizes: trace.sizes.subarray(0, length),
    aligns: trace.aligns.subarray(0, length),
    lines: trace.lines.subarray(0, length),
  };
}
