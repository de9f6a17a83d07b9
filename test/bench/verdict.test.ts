import { describe, expect, it } from "vitest";
import { formatMarkdown } from "../../src/bench/format-markdown.js";
import { formatTable } from "../../src/bench/format-table.js";
import type { BenchReport } from "../../src/bench/report.js";
import type { BenchResult, PairResult } from "../../src/bench/runner.js";
import { verdict } from "../../src/bench/verdict.js";

const MIB = 1 << 20;

/** A contender's figures on a workload: ns per operation, and footprint in MiB over 1 MiB live (null: none). */
type Figures = [contender: string, nanoseconds: number, footprint: number | null];

function result(workload: string, [contender, nanoseconds, footprint]: Figures): PairResult {
  return {
    workload,
    contender,
    status: "measured",
    reason: null,
    runs: [nanoseconds],
    time: { median: nanoseconds, min: nanoseconds, max: nanoseconds },
    footprint: { peakLiveBytes: MIB, peakFootprint: footprint === null ? null : footprint * MIB, memorySize: null },
    isolated: true,
  };
}

/** A report of two workloads, a ring and a trace, and contenders of which the arenas free nothing. */
function report(ring: Figures[], trace: Figures[], extra: PairResult[] = []): BenchResult {
  const names = [...new Set([...ring, ...trace].map(([name]) => name))];
  return {
    runs: 1,
    workloads: [
      {
        name: "ring 1,024",
        description: "",
        operation: "step",
        operations: 1,
        peakLiveBytes: MIB,
        bytesAllocated: MIB,
      },
      { name: "t.trace", description: "", operation: "event", operations: 1, peakLiveBytes: MIB, bytesAllocated: MIB },
    ],
    contenders: names.map((name) => ({
      name,
      description: name,
      origin: "linmem" as const,
      reusesMemory: !name.startsWith("arena"),
    })),
    unavailable: [],
    results: [
      ...ring.map((figures) => result("ring 1,024", figures)),
      ...trace.map((f) => result("t.trace", f)),
      ...extra,
    ],
  };
}

const VERIFIED =
  "Every block's bytes were verified: in each allocator's verified run, on every workload it ran, every block kept " +
  "the bytes written to it for as long as it was live.";

describe("the verdict", () => {
  it("names the fastest and the most compact on each workload, from the figures given", () => {
    const sentences = verdict(
      report(
        [
          ["tlsf", 60, 1.05],
          ["buddy", 42.25, 1.37],
          ["gc", 900, null],
        ],
        [
          ["tlsf", 30, 1.06],
          ["buddy", 31, 1.87],
          ["gc", 80, null],
        ],
      ),
    );
    expect(sentences).toEqual([
      "ring 1,024: fastest buddy (42.3 ns/step). Most compact: tlsf (footprint 1.05× peak live).",
      "t.trace: fastest tlsf (30.0 ns/event). Most compact: tlsf (footprint 1.06× peak live).",
      VERIFIED,
    ]);
  });

  it("says when the fastest frees nothing, and which of those that reuse memory is fastest, and what an arena costs", () => {
    const sentences = verdict(
      report(
        [
          ["arena", 20, 1839],
          ["arena-wasm", 19, 1839],
          ["tlsf", 60, 1.05],
          ["tlsf-wasm", 58, 1.05],
        ],
        [
          ["arena", 15, 2.11],
          ["tlsf", 33, 1.06],
        ],
      ),
    );
    expect(sentences).toEqual([
      "ring 1,024: fastest arena-wasm (19.0 ns/step), which frees nothing; of those that reuse memory, tlsf-wasm " +
        "(58.0 ns/step). Most compact: tlsf and tlsf-wasm (footprint 1.05× peak live).",
      "t.trace: fastest arena (15.0 ns/event), which frees nothing; of those that reuse memory, tlsf (33.0 ns/event). " +
        "Most compact: tlsf (footprint 1.06× peak live).",
      "arena and arena-wasm free nothing: the footprint reached 1,839× the peak live bytes on ring 1,024, as every " +
        "byte ever allocated stays taken. An arena suits work whose blocks all go at once, with reset(), not a heap " +
        "that frees block by block.",
      VERIFIED,
    ]);
  });

  it("claims no verification when an allocator failed, and leaves out what was not measured", () => {
    const failed: PairResult = {
      ...result("t.trace", ["broken", 1, 1]),
      status: "failed",
      reason: "byte 0 changed",
      time: null,
      footprint: null,
    };
    const sentences = verdict(report([["tlsf", 60, 1.05]], [["tlsf", 30, 1.06]], [failed]));
    expect(sentences).not.toContain(VERIFIED);
    expect(sentences.join(" ")).not.toContain("broken");
  });

  it("is empty when nothing was measured", () => {
    expect(verdict(report([], []))).toEqual([]);
  });

  it("ends the table and the Markdown", () => {
    const full: BenchReport = {
      ...report([["tlsf", 60, 1.05]], [["tlsf", 30, 1.06]]),
      command: "linmem bench",
      machine: { node: "v20.0.0", cpu: "Some CPU", cores: 2, platform: "linux x64", load: 0.1 },
      date: "2025-01-01",
    };
    expect(formatTable(full).split("\n").slice(-6)).toEqual([
      "Verdict, from these figures:",
      "- ring 1,024: fastest tlsf (60.0 ns/step). Most compact: tlsf (footprint 1.05× peak live).",
      "- t.trace: fastest tlsf (30.0 ns/event). Most compact: tlsf (footprint 1.06× peak live).",
      "- Every block's bytes were verified: in each allocator's verified run, on every workload it ran, every block kept",
      "  the bytes written to it for as long as it was live.",
      "",
    ]);
    expect(formatMarkdown(full).split("\n").slice(-6)).toEqual([
      "### Verdict",
      "",
      "- ring 1,024: fastest tlsf (60.0 ns/step). Most compact: tlsf (footprint 1.05× peak live).",
      "- t.trace: fastest tlsf (30.0 ns/event). Most compact: tlsf (footprint 1.06× peak live).",
      `- ${VERIFIED}`,
      "",
    ]);
  });
});
