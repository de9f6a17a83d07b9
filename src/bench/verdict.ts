/**
 * The verdict under a report: the answer to the question the benchmark asks, which allocator to use, drawn from the
 * figures just measured and nothing else. For each workload, the fastest allocator, and the fastest of those that
 * reuse memory when the fastest does not; the most compact; what a heap that never reuses memory (the arena) costs
 * in memory; and, only when it is true, that every block's bytes were verified.
 */
import type { BenchResult, PairResult } from "./runner.js";
import { formatNanoseconds, formatRatio } from "./units.js";

/** The verdict's sentences, one a line; none when nothing was measured. */
export function verdict(report: BenchResult): string[] {
  const reuses = new Map(report.contenders.map(({ name, reusesMemory }) => [name, reusesMemory]));
  const sentences: string[] = [];
  for (const workload of report.workloads) {
    const measured = report.results.filter(
      (result): result is Measured =>
        result.workload === workload.name && result.status === "measured" && result.time !== null,
    );
    if (measured.length === 0) continue;
    const per = `ns/${workload.operation}`;
    const speed = (result: Measured) => `${result.contender} (${formatNanoseconds(result.time.median)} ${per})`;
    const fastest = lowest(measured, (result) => result.time.median)[0] as Measured;
    let sentence = `${workload.name}: fastest ${speed(fastest)}`;
    if (reuses.get(fastest.contender) === false) {
      const reusing = lowest(
        measured.filter((result) => reuses.get(result.contender) === true),
        (result) => result.time.median,
      )[0];
      sentence +=
        reusing === undefined
          ? ", which frees nothing"
          : `, which frees nothing; of those that reuse memory, ${speed(reusing)}`;
    }
    const live = (result: Measured) => result.footprint?.peakLiveBytes ?? 0;
    const withFootprint = measured.filter((result) => result.footprint?.peakFootprint != null && live(result) > 0);
    const compact = lowest(withFootprint, (result) => result.footprint?.peakFootprint as number);
    if (compact.length > 0) {
      const first = compact[0] as Measured;
      const ratio = formatRatio((first.footprint?.peakFootprint as number) / live(first));
      sentence += `. Most compact: ${names(compact.map(({ contender }) => contender))} (footprint ${ratio} peak live)`;
    }
    sentences.push(`${sentence}.`);
  }
  const arena = noReuseSentence(report, reuses);
  if (arena !== null) sentences.push(arena);
  if (sentences.length > 0 && allVerified(report)) {
    sentences.push(
      "Every block's bytes were verified: in each allocator's verified run, on every workload it ran, every block " +
        "kept the bytes written to it for as long as it was live.",
    );
  }
  return sentences;
}

type Measured = PairResult & { time: NonNullable<PairResult["time"]> };

/** What the heaps that never reuse memory cost: their largest footprint, as a multiple of the live bytes. */
function noReuseSentence(report: BenchResult, reuses: Map<string, boolean>): string | null {
  const pairs = report.results.filter(
    (result) =>
      reuses.get(result.contender) === false &&
      result.status === "measured" &&
      result.footprint?.peakFootprint != null &&
      result.footprint.peakLiveBytes > 0,
  );
  const ratio = (result: PairResult) =>
    (result.footprint?.peakFootprint as number) / (result.footprint?.peakLiveBytes as number);
  const worst = pairs.reduce<PairResult | null>(
    (most, pair) => (most === null || ratio(pair) > ratio(most) ? pair : most),
    null,
  );
  if (worst === null) return null;
  const contenders = [...new Set(pairs.map(({ contender }) => contender))];
  const verb = contenders.length === 1 ? "frees" : "free";
  return (
    `${names(contenders)} ${verb} nothing: the footprint reached ${formatRatio(ratio(worst))} the peak live bytes ` +
    `on ${worst.workload}, as every byte ever allocated stays taken. An arena suits work whose blocks all go at ` +
    "once, with reset(), not a heap that frees block by block."
  );
}

/** True when every pair measured passed its verified run and none failed. */
function allVerified(report: BenchResult): boolean {
  return (
    report.results.some((result) => result.status === "measured") &&
    report.results.every((result) => result.status !== "failed")
  );
}

/** The items with the lowest value, all of them when several tie. */
function lowest<T>(items: readonly T[], value: (item: T) => number): T[] {
  const least = Math.min(...items.map(value));
  return items.filter((item) => value(item) === least);
}

/** "a", "a and b", "a, b and c". */
function names(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
}
