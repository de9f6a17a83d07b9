import { describe, expect, it } from "vitest";
import { formatChart } from "../../src/bench/chart.js";
import { formatJson } from "../../src/bench/format-json.js";
import { formatMarkdown } from "../../src/bench/format-markdown.js";
import { formatTable } from "../../src/bench/format-table.js";
import { type BenchReport, hasFailures } from "../../src/bench/report.js";
import type { PairResult } from "../../src/bench/runner.js";

function pair(contender: string, overrides: Partial<PairResult>): PairResult {
  return {
    workload: "ring 1,024",
    contender,
    status: "measured",
    reason: null,
    runs: [30, 25, 40],
    time: { median: 30, min: 25, max: 40 },
    footprint: { peakLiveBytes: 1 << 20, peakFootprint: 1.04 * (1 << 20), memorySize: 2 << 20 },
    isolated: true,
    ...overrides,
  };
}

const REPORT: BenchReport = {
  command: "linmem bench --runs 3",
  machine: { node: "v20.0.0", cpu: "Some CPU", cores: 2, platform: "linux x64", load: 0.1 },
  date: "2025-01-01",
  runs: 3,
  workloads: [
    {
      name: "ring 1,024",
      description: "a ring",
      operation: "step",
      operations: 1000,
      peakLiveBytes: 1 << 20,
      bytesAllocated: 1 << 24,
    },
  ],
  contenders: ["fast", "<gc>", "broken", "arena"].map((name) => ({
    name,
    description: name,
    origin: "linmem" as const,
    reusesMemory: name !== "arena",
  })),
  unavailable: [
    { name: "thi.ng", needs: [{ what: "@thi.ng/malloc", howToGet: "which `npm install @thi.ng/malloc` installs" }] },
    {
      name: "peer",
      needs: [
        { what: "peer.wasm", howToGet: "which a build makes" },
        { what: "peer-lib", howToGet: "which an install installs" },
      ],
    },
  ],
  results: [
    pair("fast", {}),
    pair("<gc>", {
      time: { median: 1234.4, min: 1000, max: 1500 },
      footprint: { peakLiveBytes: 1 << 20, peakFootprint: null, memorySize: null },
    }),
    pair("broken", {
      status: "failed",
      reason: "ring 1,024, step 5: block 3 (at 64, 8 bytes): byte 0 changed",
      time: null,
      runs: [],
      footprint: null,
    }),
    pair("arena", { status: "skipped", reason: "it never reuses memory", time: null, runs: [], footprint: null }),
  ],
};

/** The contenders not available, said once, in one sentence. */
const UNAVAILABLE =
  "Not available here: thi.ng needs @thi.ng/malloc, which `npm install @thi.ng/malloc` installs; " +
  "peer needs peer.wasm, which a build makes, and peer-lib, which an install installs.";

describe("the report formats", () => {
  it("tells failures apart", () => {
    expect(hasFailures(REPORT)).toBe(true);
    expect(hasFailures({ ...REPORT, results: REPORT.results.filter(({ status }) => status !== "failed") })).toBe(false);
  });

  it("prints a table per workload with the figures right-aligned under their headings", () => {
    const lines = formatTable(REPORT).split("\n");
    const heading = lines.find((line) => line.includes("ns/step median")) as string;
    const fast = lines.find((line) => line.trimStart().startsWith("fast")) as string;
    expect(fast).toMatch(/fast\s+30\.0\s+25\.0\s+40\.0\s+1\.0 MiB\s+1\.0 MiB\s+1\.04×\s+2\.0 MiB\s+2\.00×$/);
    expect(fast.length).toBe(heading.length);
    expect(lines.find((line) => line.includes("<gc>"))).toMatch(/1,234\s+1,000\s+1,500\s+1\.0 MiB\s+—\s+—\s+—\s+—$/);
    expect(lines.find((line) => line.includes("broken"))).toMatch(
      /broken\s+failed: ring 1,024, step 5: .* byte 0 changed/,
    );
    expect(lines.find((line) => line.includes("arena"))).toMatch(/skipped: it never reuses memory/);
    expect(lines).toContain(UNAVAILABLE);
    expect(lines[0]).toBe(
      "linmem bench: 3 timed runs each, interleaved, each allocator in a worker of its own; " +
        "Node v20.0.0 on Some CPU, 2 cores, linux x64 (load 0.1)",
    );
  });

  it("prints Markdown tables laid out as the formatter lays them out, with the reasons below", () => {
    const markdown = formatMarkdown(REPORT);
    const rows = markdown.split("\n").filter((line) => line.startsWith("|"));
    expect(rows).toEqual([
      "| allocator | ns/step median |   min |   max | peak live | footprint | × live |  memory | × live |",
      "| --------- | -------------: | ----: | ----: | --------: | --------: | -----: | ------: | -----: |",
      "| fast      |           30.0 |  25.0 |  40.0 |   1.0 MiB |   1.0 MiB |  1.04× | 2.0 MiB |  2.00× |",
      "| <gc>      |          1,234 | 1,000 | 1,500 |   1.0 MiB |         — |      — |       — |      — |",
      "| broken    |         failed |       |       |           |           |        |         |        |",
      "| arena     |        skipped |       |       |           |           |        |         |        |",
    ]);
    expect(markdown).toContain(
      "\n- broken failed: ring 1,024, step 5: block 3 (at 64, 8 bytes): byte 0 changed\n" +
        "- arena skipped: it never reuses memory\n",
    );
    expect(markdown).toContain("### ring 1,024");
    expect(markdown.split("\n")).toContain(UNAVAILABLE);
    expect(markdown).toContain("`linmem bench --runs 3`");
  });

  it("writes JSON with every figure", () => {
    expect(JSON.parse(formatJson(REPORT))).toEqual(REPORT);
  });

  it("draws an SVG chart with a bar per figure and the failures written out", () => {
    const svg = formatChart(REPORT);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("&lt;gc&gt;");
    expect(svg).not.toContain("<gc>");
    expect(svg).toContain('class="failed">failed: ring 1,024, step 5');
    // Two time bars, and for "fast" a footprint bar and a memory bar; "<gc>" has no linear memory.
    expect(svg.match(/<rect x=/g)).toHaveLength(4);
    expect(svg).toContain("no linear memory");
    expect(svg).toContain("1.04×, memory 2.00×");
  });
});
