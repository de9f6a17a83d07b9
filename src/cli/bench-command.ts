/** `linmem bench`: every chosen allocator on every chosen workload, reported as a table, JSON or Markdown. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { formatChart } from "../bench/chart.js";
import type { Contender } from "../bench/contender.js";
import { formatJson } from "../bench/format-json.js";
import { formatMarkdown } from "../bench/format-markdown.js";
import { formatTable } from "../bench/format-table.js";
import { thisMachine } from "../bench/machine.js";
import { type BenchReport, hasFailures } from "../bench/report.js";
import { describeUnavailable } from "../bench/requirement.js";
import { RING_DEFAULTS, ringWorkload } from "../bench/ring.js";
import { type BenchResult, runBenchmark } from "../bench/runner.js";
import { runThreads, THREADS_CONTENDERS, type ThreadsReport } from "../bench/threads.js";
import { traceWorkload } from "../bench/trace-workload.js";
import type { Workload } from "../bench/workload.js";
import { loadTrace, sampleTrace, traceFiles } from "../trace/load.js";
import { chooseContenders } from "./choose.js";
import type { CommandIo } from "./io.js";
import { type BenchSettings, benchSettings, type Format } from "./settings.js";
import { benchHelp } from "./usage.js";
import { UsageError } from "./usage-error.js";

const FORMATTERS: Record<Format, (report: BenchReport) => string> = {
  table: formatTable,
  json: formatJson,
  markdown: formatMarkdown,
};

/**
 * Runs the command; resolves to its exit status: 0, or 1 when an allocator failed. An allocator asked for by name
 * that is not available here fails the command before anything runs.
 */
export async function benchCommand(args: string[], io: CommandIo, contenders: readonly Contender[]): Promise<number> {
  const settings = benchSettings(args);
  if (settings.help) {
    io.out(benchHelp(contenders));
    return 0;
  }
  const chosen = chooseContenders("bench", settings.allocators, contenders);
  const workloads = makeWorkloads(settings, io);
  const result: BenchResult =
    workloads.length > 0
      ? await runBenchmark(workloads, chosen, {
          runs: settings.runs,
          timeLimit: settings.timeLimit,
          progress: await io.progress(),
          isolate: !settings.inProcess,
        })
      : { runs: settings.runs, workloads: [], contenders: [], unavailable: [], results: [] };
  const threads = settings.workloads.includes("threads") ? await threadsWorkload(settings, io) : undefined;
  const report: BenchReport = {
    command: ["linmem", "bench", ...args].map(quoted).join(" "),
    machine: thisMachine(),
    date: new Date().toISOString().slice(0, 10),
    ...result,
    ...(threads === undefined ? {} : { threads }),
  };
  io.out(FORMATTERS[settings.format](report));
  if (settings.chart !== null) {
    mkdirSync(dirname(settings.chart), { recursive: true });
    writeFileSync(settings.chart, formatChart(report));
    io.err(`linmem bench: chart written to ${settings.chart}\n`);
  }
  // The table and Markdown say which allocators are not available here; JSON, for programs, keeps it as data.
  const unavailable = describeUnavailable(report.unavailable);
  if (settings.format === "json" && unavailable !== null) io.err(`linmem bench: ${unavailable}\n`);
  return hasFailures(report) ? 1 : 0;
}

/**
 * The threads workload, on the allocators asked for that it can run (linmem's that reuse memory, in both builds), or
 * on all of those. One asked for that it cannot run is named on the error stream, not an error: other workloads may
 * have run it.
 */
async function threadsWorkload(settings: BenchSettings, io: CommandIo): Promise<ThreadsReport> {
  const asked = settings.allocators;
  const contenders = THREADS_CONTENDERS.filter(({ name }) => asked === null || asked.includes(name));
  for (const name of asked ?? []) {
    if (!contenders.some((contender) => contender.name === name)) {
      const known = THREADS_CONTENDERS.map((contender) => contender.name).join(", ");
      io.err(`linmem bench: ${name} is not in the threads workload, which runs ${known}\n`);
    }
  }
  const [liveBlocks = RING_DEFAULTS.liveBlocks, ...otherRings] = settings.ring.liveBlocks;
  if (otherRings.length > 0) io.err(`linmem bench: the threads workload runs the ring of ${liveBlocks} alone\n`);
  return runThreads(contenders, {
    threads: settings.threads,
    ring: { ...settings.ring, liveBlocks },
    runs: settings.runs,
    progress: await io.progress(),
  });
}

/**
 * The rings, then the traces, in the order the command line gives them. With no trace given, the sample trace is
 * replayed where it is present; where it is not (an installed package), the rings run alone, and a line says how to
 * replay traces.
 */
function makeWorkloads(settings: BenchSettings, io: CommandIo): Workload[] {
  const workloads: Workload[] = [];
  if (settings.workloads.includes("ring")) {
    const { liveBlocks, ...ring } = settings.ring;
    for (const count of liveBlocks) workloads.push(ringWorkload({ ...ring, liveBlocks: count }));
  }
  if (settings.workloads.includes("trace")) {
    const sample = sampleTrace();
    if (settings.traces.length === 0 && sample === null) {
      if (!settings.workloads.includes("ring")) throw new UsageError("bench", `--workload trace needs ${NO_SAMPLE}`);
      io.err(`linmem bench: the ring only, as no trace is given: replaying traces needs ${NO_SAMPLE}\n`);
    }
    const files = settings.traces.length > 0 ? settings.traces.flatMap(traceFiles) : sample === null ? [] : [sample];
    for (const file of files) workloads.push(traceWorkload(loadTrace(file)));
  }
  return workloads;
}

/** What replaying traces needs where the sample trace is absent. */
const NO_SAMPLE =
  "--trace FILE|DIR here, as the package does not ship the sample trace " +
  "(traces/sample.trace.gz in linmem's repository; the format is in docs/cli.md)";

function quoted(arg: string): string {
  return /^[\w./:,=@+-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
