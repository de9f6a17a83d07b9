/**
 * The threads workload's figures as tables, which the table and Markdown formats lay out each in their own way: the
 * cost of the lock to one thread alone, then the throughput of all threads together, independent and as producers
 * and consumers, against one thread's.
 */
import type { ThreadsMode, ThreadsReport, ThreadsResult } from "./threads.js";
import { formatCount, formatCountOf, formatNanoseconds, formatRatio } from "./units.js";

export interface ThreadsTable {
  title: string;
  headings: string[];
  rows: string[][];
}

/** What the threads workload did, in a sentence. */
export function describeThreads(report: ThreadsReport): string {
  const { liveBlocks, steps, minSize, maxSize, seed } = report.ring;
  return (
    `each thread a ring of ${formatCount(liveBlocks)} live blocks of ${minSize}..${maxSize} bytes, ` +
    `${formatCount(steps)} steps a round (seed ${seed}); ${report.runs} timed rounds, interleaved; a step is one ` +
    "allocation and one free"
  );
}

export function threadsTables(report: ThreadsReport): ThreadsTable[] {
  const tables: ThreadsTable[] = [];
  const find = (contender: string, mode: ThreadsMode, threads: number, shared: boolean): ThreadsResult | undefined =>
    report.results.find(
      (result) =>
        result.contender === contender &&
        result.mode === mode &&
        result.threads === threads &&
        result.shared === shared,
    );
  const alone = report.contenders.flatMap((contender) => {
    const unshared = find(contender, "independent", 1, false);
    const shared = find(contender, "independent", 1, true);
    if (unshared === undefined || shared === undefined) return [];
    const [unsharedNs, sharedNs] = [unshared, shared].map(({ throughput }) => 1e9 / throughput.median) as [
      number,
      number,
    ];
    return [
      [contender, formatNanoseconds(unsharedNs), formatNanoseconds(sharedNs), formatRatio(sharedNs / unsharedNs)],
    ];
  });
  if (alone.length > 0) {
    tables.push({
      title: "One thread: ns per step, on an unshared memory and on a shared one, where every call takes the lock",
      headings: ["allocator", "unshared", "shared", "× unshared"],
      rows: alone,
    });
  }
  for (const [mode, title] of [
    ["independent", "Independent, each thread its own ring: million steps per second, all threads (× one thread's)"],
    [
      "producer/consumer",
      "Producer/consumer, every block freed by another thread: million steps per second (× one thread's)",
    ],
  ] as const) {
    const counts = report.threads.filter((count) => mode === "independent" || count % 2 === 0);
    if (counts.length === 0) continue;
    const rows = report.contenders.map((contender) => {
      const one = find(contender, "independent", 1, true);
      return [
        contender,
        ...counts.map((count) => {
          const result = find(contender, mode, count, true);
          if (result === undefined) return "—";
          const perSecond = (result.throughput.median / 1e6).toFixed(2);
          if (one === undefined || (mode === "independent" && count === 1)) return perSecond;
          return `${perSecond} (${formatRatio(result.throughput.median / one.throughput.median)})`;
        }),
      ];
    });
    const headings = ["allocator", ...counts.map((count) => formatCountOf(count, "thread"))];
    tables.push({ title, headings, rows });
  }
  return tables;
}
