/**
 * A benchmark's report: its results, the machine and the command they come from, and the rows of figures every
 * format prints.
 */
import type { Machine } from "./machine.js";
import type { BenchResult, PairResult, WorkloadSummary } from "./runner.js";
import type { ThreadsReport } from "./threads.js";
import { formatBytes, formatNanoseconds, formatRatio } from "./units.js";

export interface BenchReport extends BenchResult {
  /** The command line that produced it. */
  command: string;
  machine: Machine;
  /** When the benchmark ran, as an ISO date. */
  date: string;
  /** The threads workload's figures, when it ran. */
  threads?: ThreadsReport;
}

/** One row of a report's table: the allocator, then either its figures or why it has none. */
export type ReportRow = { contender: string } & (
  | { figures: string[] }
  | { status: "failed" | "skipped"; reason: string }
);

/** The column headings of a workload's table, the first being the allocator's. */
export function columnHeadings(workload: WorkloadSummary): string[] {
  const per = `ns/${workload.operation}`;
  return ["allocator", `${per} median`, "min", "max", "peak live", "footprint", "× live", "memory", "× live"];
}

/** The rows of a workload's table, in the order the contenders ran. */
export function reportRows(report: BenchResult, workload: WorkloadSummary): ReportRow[] {
  return report.results.filter((result) => result.workload === workload.name).map(reportRow);
}

function reportRow(result: PairResult): ReportRow {
  const { contender, time, footprint } = result;
  if (result.status !== "measured" || time === null || footprint === null) {
    return { contender, status: result.status === "skipped" ? "skipped" : "failed", reason: result.reason ?? "" };
  }
  const live = footprint.peakLiveBytes;
  const ofLive = (bytes: number | null): string[] =>
    bytes === null ? ["—", "—"] : [formatBytes(bytes), live > 0 ? formatRatio(bytes / live) : "—"];
  return {
    contender,
    figures: [
      formatNanoseconds(time.median),
      formatNanoseconds(time.min),
      formatNanoseconds(time.max),
      formatBytes(live),
      ...ofLive(footprint.peakFootprint),
      ...ofLive(footprint.memorySize),
    ],
  };
}

/** How the runs were made: "5 timed runs each, interleaved, each allocator in a worker of its own". */
export function describeRuns(report: BenchResult): string {
  const isolated = report.results.filter((result) => result.isolated).length;
  const where =
    isolated === report.results.length
      ? "each allocator in a worker of its own"
      : isolated === 0
        ? "all allocators in one process"
        : "some allocators in workers of their own";
  return `${report.runs} timed ${report.runs === 1 ? "run" : "runs"} each, interleaved, ${where}`;
}

/** Whether any contender failed: a run that threw, or a block whose bytes changed. */
export function hasFailures(report: BenchResult): boolean {
  return report.results.some((result) => result.status === "failed");
}

/** The lines under the tables: what the columns mean. */
export const COLUMN_NOTES = [
  "Times are per operation, the median of the timed runs with the fastest and slowest; no bytes are verified then.",
  "Footprint: the highest address any block reached minus the heap's base; memory: the memory's size at the end;",
  "both from a separate run in which every block's bytes were written and verified, and as multiples of peak live.",
];
