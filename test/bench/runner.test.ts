import { describe, expect, it } from "vitest";
import { uint8Array } from "../../src/bench/peers/uint8array.js";
import { ringWorkload } from "../../src/bench/ring.js";
import { NO_REUSE_LIMIT, runBenchmark } from "../../src/bench/runner.js";
import { traceWorkload } from "../../src/bench/trace-workload.js";
import type { Workload } from "../../src/bench/workload.js";
import { parseTrace } from "../../src/trace/trace.js";
import { arenaContender, corruptingContender, missingContender, unloadableContender } from "./contenders.js";

const ring = ringWorkload({ liveBlocks: 32, steps: 2000, minSize: 8, maxSize: 64, seed: 7 });
const trace = traceWorkload(parseTrace("a 0 10\na 1 20\nr 0 100\nf 1\na 2 0\nf 0\n", "tiny.trace"));

describe("runBenchmark", () => {
  it("times every contender on every workload the given number of times, and measures its footprint", async () => {
    const result = await runBenchmark([ring, trace], [arenaContender, uint8Array], { runs: 3, timeLimit: 60 });
    expect(result.workloads.map(({ name }) => name)).toEqual(["ring 32", "tiny.trace"]);
    expect(result.contenders.map(({ name }) => name)).toEqual(["arena", "uint8array"]);
    expect(result.results.map(({ workload, contender }) => `${workload}/${contender}`)).toEqual([
      "ring 32/arena",
      "ring 32/uint8array",
      "tiny.trace/arena",
      "tiny.trace/uint8array",
    ]);
    for (const pair of result.results) {
      expect(pair.status).toBe("measured");
      expect(pair.runs).toHaveLength(3);
      const time = pair.time as NonNullable<typeof pair.time>;
      expect(time.min).toBeGreaterThan(0);
      expect(time.min).toBeLessThanOrEqual(time.median);
      expect(time.median).toBeLessThanOrEqual(time.max);
      expect(pair.footprint?.peakLiveBytes).toBe(pair.workload === "ring 32" ? ring.peakLiveBytes : 120);
    }
    const [arenaOnRing, gcOnRing] = result.results;
    expect(arenaOnRing?.footprint?.peakFootprint).toBeGreaterThanOrEqual(ring.bytesAllocated);
    expect(gcOnRing?.footprint).toEqual({ peakLiveBytes: ring.peakLiveBytes, peakFootprint: null, memorySize: null });
  });

  it("fails a contender that overwrites a live block, without timing it, and measures the others", async () => {
    const result = await runBenchmark([ring], [corruptingContender(100), arenaContender], { runs: 2, timeLimit: 60 });
    const [corrupting, arena] = result.results;
    expect(corrupting?.status).toBe("failed");
    expect(corrupting?.reason).toMatch(/^ring 32, step \d+: block 98 \(at \d+, \d+ bytes\): byte 0 changed$/);
    expect(corrupting?.runs).toEqual([]);
    expect(corrupting?.time).toBeNull();
    expect(arena?.status).toBe("measured");
  });

  it("leaves out a contender not available here, without loading it, and says what it needs", async () => {
    const result = await runBenchmark([trace], [missingContender, arenaContender], { runs: 1, timeLimit: 60 });
    expect(result.unavailable).toEqual([
      { name: "missing", needs: [{ what: "its package", howToGet: "which nothing installs" }] },
    ]);
    expect(result.contenders.map(({ name }) => name)).toEqual(["arena"]);
    expect(result.results.map(({ contender }) => contender)).toEqual(["arena"]);
  });

  it("fails an available contender that does not load, on every workload, and measures the others", async () => {
    const result = await runBenchmark([ring, trace], [unloadableContender, arenaContender], { runs: 1, timeLimit: 60 });
    expect(result.unavailable).toEqual([]);
    expect(result.results.map(({ contender, status }) => `${contender} ${status}`)).toEqual([
      "unloadable failed",
      "arena measured",
      "unloadable failed",
      "arena measured",
    ]);
    expect(result.results[0]?.reason).toBe("it did not load: the module is broken");
  });

  it("skips a heap that never reuses memory on a workload too large for it", async () => {
    const huge: Workload = { ...trace, name: "huge", bytesAllocated: NO_REUSE_LIMIT + 1 };
    const result = await runBenchmark([huge], [arenaContender, uint8Array], { runs: 1, timeLimit: 60 });
    expect(result.results[0]?.status).toBe("skipped");
    expect(result.results[0]?.reason).toMatch(/never reuses memory/);
    expect(result.results[1]?.status).toBe("measured");
  });

  it("skips a contender whose verified run outlasts the time limit", async () => {
    const slow: Workload = {
      ...trace,
      name: "slow",
      verify(heap, onProgress) {
        const until = performance.now() + 1200;
        while (performance.now() < until) {
          /* a contender far too slow */
        }
        onProgress?.(1);
        return trace.verify(heap);
      },
    };
    const result = await runBenchmark([slow], [arenaContender], { runs: 1, timeLimit: 1 });
    expect(result.results[0]?.status).toBe("skipped");
    expect(result.results[0]?.reason).toBe("too slow: its verified run took more than 1 s");
  });

  it("reports progress from nothing to all of it", async () => {
    const updates: number[] = [];
    let total = 0;
    let stopped = false;
    const progress = {
      start: (units: number) => {
        total = units;
      },
      update: (done: number) => updates.push(done),
      stop: () => {
        stopped = true;
      },
    };
    await runBenchmark([trace], [arenaContender, uint8Array], { runs: 2, timeLimit: 60, progress });
    // Per contender: the verified run, the warm-up run and two timed runs.
    expect(total).toBe(2 * 4);
    expect(updates[0]).toBe(0);
    expect(Math.max(...updates)).toBeLessThan(total);
    expect(updates).toEqual([...updates].sort((a, b) => a - b));
    expect(stopped).toBe(true);
  });

  it("refuses a number of runs it cannot make", async () => {
    await expect(runBenchmark([trace], [arenaContender], { runs: 0, timeLimit: 60 })).rejects.toThrow(/runs must/);
  });
});
