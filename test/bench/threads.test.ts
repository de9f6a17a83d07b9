/**
 * The threads workload: its figures for every allocator, way and thread count, measured in workers that need the
 * compiled worker module, so those tests run the built package (dist/, which `npm test` builds first) and are skipped
 * where it is absent; and the tables the reports print from them.
 */
import { describe, expect, it } from "vitest";
import { threadsTables } from "../../src/bench/format-threads.js";
import type * as Threads from "../../src/bench/threads.js";
import type { ThreadsReport, ThreadsResult } from "../../src/bench/threads.js";
import type * as Run from "../../src/cli/run.js";
import { capturingIo } from "../cli/io.js";
import { builtModule, NOT_BUILT } from "../support/built-package.js";

const SMALL_RING = { liveBlocks: 64, steps: 4000, minSize: 8, maxSize: 512, seed: 1 };

describe.skipIf(NOT_BUILT !== null)(
  NOT_BUILT === null ? "the threads workload" : `the threads workload (skipped: ${NOT_BUILT})`,
  () => {
    it("measures each allocator alone on both memories, and its threads together, independent and paired", async () => {
      const { runThreads, THREADS_CONTENDERS } = await builtModule<typeof Threads>("bench/threads.js");
      const contenders = THREADS_CONTENDERS.filter(({ name }) => name === "tlsf" || name === "buddy-wasm");
      const report = await runThreads(contenders, { threads: [1, 2], ring: SMALL_RING, runs: 2 });
      const groups = report.results.map(({ contender, mode, threads, shared }) => [contender, mode, threads, shared]);
      expect(groups).toEqual([
        ["tlsf", "independent", 1, false],
        ["buddy-wasm", "independent", 1, false],
        ["tlsf", "independent", 1, true],
        ["buddy-wasm", "independent", 1, true],
        ["tlsf", "independent", 2, true],
        ["buddy-wasm", "independent", 2, true],
        ["tlsf", "producer/consumer", 2, true],
        ["buddy-wasm", "producer/consumer", 2, true],
      ]);
      for (const result of report.results) {
        expect(result.runs).toHaveLength(2);
        expect(result.throughput.min).toBeGreaterThan(0);
        expect(result.throughput.median).toBeLessThanOrEqual(result.throughput.max);
      }
    });

    it("runs from the command line, as JSON", async () => {
      const { run } = await builtModule<typeof Run>("cli/run.js");
      const io = capturingIo();
      const args = ["bench", "--threads", "2", "--ring-live", "32", "--ring-steps", "2000", "--runs", "1"];
      expect(await run([...args, "--allocators", "tlsf-wasm,uint8array", "--format", "json"], io)).toBe(0);
      const report = JSON.parse(io.stdout);
      expect(report.workloads).toEqual([]);
      expect(report.threads.ring.liveBlocks).toBe(32);
      expect(report.threads.results.map(({ mode }: ThreadsResult) => mode)).toEqual([
        "independent",
        "producer/consumer",
      ]);
      expect(io.stderr).toMatch(/uint8array is not in the threads workload/);
    });
  },
);

describe("the threads workload's tables", () => {
  const result = (contender: string, mode: ThreadsResult["mode"], threads: number, shared: boolean, rate: number) => ({
    contender,
    mode,
    threads,
    shared,
    runs: [rate],
    throughput: { median: rate, min: rate, max: rate },
  });
  const report: ThreadsReport = {
    ring: SMALL_RING,
    threads: [1, 2, 3],
    runs: 1,
    contenders: ["tlsf"],
    results: [
      result("tlsf", "independent", 1, false, 20e6),
      result("tlsf", "independent", 1, true, 10e6),
      result("tlsf", "independent", 2, true, 9e6),
      result("tlsf", "independent", 3, true, 8e6),
      result("tlsf", "producer/consumer", 2, true, 5e6),
    ],
  };

  it("give one thread's cost of the lock, and all threads' throughput against one thread's", () => {
    const [alone, independent, paired] = threadsTables(report);
    expect(alone?.headings).toEqual(["allocator", "unshared", "shared", "× unshared"]);
    expect(alone?.rows).toEqual([["tlsf", "50.0", "100", "2.00×"]]);
    expect(independent?.headings).toEqual(["allocator", "1 thread", "2 threads", "3 threads"]);
    expect(independent?.rows).toEqual([["tlsf", "10.00", "9.00 (0.90×)", "8.00 (0.80×)"]]);
    expect(paired?.headings).toEqual(["allocator", "2 threads"]);
    expect(paired?.rows).toEqual([["tlsf", "5.00 (0.50×)"]]);
  });
});
