/** Makes a workload from its source: in a worker, the same workload as the one the benchmark was given. */
import { ringWorkload } from "./ring.js";
import { traceWorkload } from "./trace-workload.js";
import type { Workload, WorkloadSource } from "./workload.js";

export function workloadFrom(source: WorkloadSource): Workload {
  return "ring" in source ? ringWorkload(source.ring) : traceWorkload(source.trace);
}
