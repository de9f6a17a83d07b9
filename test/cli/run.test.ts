import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONTENDERS } from "../../src/bench/contenders.js";
import { uint8Array } from "../../src/bench/peers/uint8array.js";
import { run } from "../../src/cli/run.js";
import { arenaContender, corruptingContender, missingContender } from "../bench/contenders.js";
import { capturingIo } from "./io.js";

const directory = mkdtempSync(join(tmpdir(), "linmem-cli-"));

function traceFile(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const TINY = traceFile("tiny.trace", "a 0 10\na 1 20\nr 0 100\nf 1\na 2 0\nf 0\n");
const TINY_RING = ["--ring-live", "16", "--ring-steps", "500"];
const MISSING_NOTE = "Not available here: missing needs its package, which nothing installs.";

describe("linmem bench", () => {
  it("reports every allocator on every workload, as JSON with the figures and as an SVG chart", async () => {
    const io = capturingIo();
    const chart = join(directory, "chart.svg");
    const contenders = [arenaContender, uint8Array];
    const args = ["bench", ...TINY_RING, "--trace", TINY, "--runs", "2", "--format", "json", "--chart", chart];
    expect(await run(args, io, contenders)).toBe(0);
    const report = JSON.parse(io.stdout);
    expect(report.command).toBe(`linmem ${args.join(" ")}`);
    expect(report.runs).toBe(2);
    expect(report.machine).toMatchObject({ node: process.version, cores: expect.any(Number) });
    expect(report.workloads.map((workload: { name: string }) => workload.name)).toEqual(["ring 16", "tiny.trace"]);
    expect(report.results).toHaveLength(4);
    for (const result of report.results) {
      expect(result).toMatchObject({ status: "measured", reason: null });
      expect(result.runs).toHaveLength(2);
      expect(result.time.min).toBeLessThanOrEqual(result.time.median);
      expect(result.footprint.peakLiveBytes).toBeGreaterThan(0);
    }
    expect(readFileSync(chart, "utf8")).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
    expect(io.stderr).toBe(`linmem bench: chart written to ${chart}\n`);
  });

  it("prints a table per workload by default", async () => {
    const io = capturingIo();
    expect(await run(["bench", ...TINY_RING, "--runs", "1"], io, [arenaContender])).toBe(0);
    expect(io.stdout).toMatch(/\nring 16: 16 live blocks of 8\.\.512 bytes, 500 steps/);
    expect(io.stdout).toMatch(/\nsample\.trace\.gz: 50,000 events/);
    expect(io.stdout).toMatch(
      /\n {2}allocator {2}ns\/step median +min +max +peak live +footprint +× live +memory +× live\n/,
    );
    expect(io.stdout).toMatch(/\n {2}arena {2,}\d/);
    expect(io.stdout).toMatch(/\nVerdict, from these figures:\n- ring 16: fastest arena \(/);
    expect(io.stdout).toMatch(/\n- Every block's bytes were verified: [\s\S]*\n$/);
  });

  it("fails, with exit status 1, when an allocator overwrites a live block", async () => {
    const io = capturingIo();
    const status = await run(["bench", ...TINY_RING, "--workload", "ring", "--runs", "1"], io, [
      corruptingContender(40),
      arenaContender,
    ]);
    expect(status).toBe(1);
    expect(io.stdout).toMatch(
      /\n {2}corrupting {2}failed: ring 16, step \d+: block 38 \(at \d+, \d+ bytes\): byte 0 changed\n/,
    );
    expect(io.stdout).toMatch(/\n {2}arena {2,}\d/);
  });

  it("names an allocator it does not know, and the ones it does", async () => {
    const io = capturingIo();
    expect(await run(["bench", "--allocators", "arena,jemalloc"], io, [arenaContender, uint8Array])).toBe(2);
    expect(io.stderr).toBe(
      'linmem bench: unknown allocator "jemalloc"; the allocators are arena, uint8array\n' +
        'Run "linmem help bench" for usage.\n',
    );
    expect(io.stdout).toBe("");
  });

  it.each([
    [["--allocators", ""], "--allocators names nothing: give a comma-separated list"],
    [["--allocators", ","], "--allocators names nothing: give a comma-separated list"],
    [["--ring-steps", "0"], '--ring-steps expects a whole number from 1 to 100000000, got "0"'],
    [
      ["--runs", "-1"],
      "option '--runs' argument is ambiguous; To specify an option argument starting with a dash use '--runs=-XYZ'",
    ],
  ])("refuses %j before running anything, with exit status 2 and one line saying why", async (args, why) => {
    const io = capturingIo();
    expect(await run(["bench", ...args], io, [arenaContender])).toBe(2);
    expect(io.stderr).toBe(`linmem bench: ${why}\nRun "linmem help bench" for usage.\n`);
    expect(io.stdout).toBe("");
  });

  it("fails, before running anything, when an allocator asked for by name is not available here", async () => {
    const io = capturingIo();
    const status = await run(
      ["bench", "--workload", "trace", "--trace", TINY, "--allocators", "missing,arena", "--runs", "1"],
      io,
      [arenaContender, missingContender],
    );
    expect(status).toBe(1);
    expect(io.stderr).toBe(`linmem bench: ${MISSING_NOTE}\n`);
    expect(io.stdout).toBe("");
  });

  it("runs only what is available, and says once what the rest need", async () => {
    const args = ["bench", "--workload", "trace", "--trace", TINY, "--runs", "1"];
    const contenders = [arenaContender, missingContender];
    const table = capturingIo();
    expect(await run(args, table, contenders)).toBe(0);
    expect(table.stdout.split("\n").filter((line) => line.includes("missing"))).toEqual([MISSING_NOTE]);
    expect(table.stdout).toMatch(/\n {2}arena {2,}\d/);
    expect(table.stderr).toBe("");
    const json = capturingIo();
    expect(await run([...args, "--format", "json"], json, contenders)).toBe(0);
    expect(JSON.parse(json.stdout).contenders.map(({ name }: { name: string }) => name)).toEqual(["arena"]);
    expect(json.stderr).toBe(`linmem bench: ${MISSING_NOTE}\n`);
  });

  it.each([
    ["a missing trace", "/no/such.trace", /^linmem bench: cannot read trace \/no\/such\.trace: no such file\n$/],
    [
      "a malformed trace",
      traceFile("bad.trace", "a 0 8\na 1\n"),
      /^linmem bench: bad\.trace:2: expected "a ID SIZE", found "a 1"\n$/,
    ],
    [
      "a number too large for a trace",
      traceFile("large.trace", "a 0 8\na 1 99999999999\n"),
      /^linmem bench: large\.trace:2: SIZE 99999999999 is too large, the largest is 4294967295: "a 1 99999999999"\n$/,
    ],
    [
      "an empty trace",
      traceFile("empty.trace", "\n\n"),
      /^linmem bench: empty\.trace: the trace is empty: it has no events\n$/,
    ],
    [
      "a trace that frees an unknown block",
      traceFile("unknown.trace", "a 0 8\nf 0\nf 9\n"),
      /^linmem bench: unknown\.trace:3: frees an unknown block: 9\n$/,
    ],
  ])("refuses %s, with exit status 1", async (_, path, message) => {
    const io = capturingIo();
    expect(await run(["bench", "--workload", "trace", "--trace", path], io, [arenaContender])).toBe(1);
    expect(io.stderr).toMatch(message);
  });
});

describe("linmem replay", () => {
  it("replays a trace with every block verified and check() after every event", async () => {
    const io = capturingIo();
    expect(await run(["replay", TINY, "--allocator", "arena", "--check"], io, [arenaContender])).toBe(0);
    expect(io.stdout).toMatch(
      /^tiny\.trace on arena: 6 events, every block verified, check\(\) after every event: no divergence\n/,
    );
    expect(io.stdout).toMatch(/\n {2}peak live {3}120 B in 2 blocks\n/);
  });

  it("counts one block and one event in the singular", async () => {
    const io = capturingIo();
    expect(
      await run(["replay", traceFile("one.trace", "a 0 16\n"), "--allocator", "arena"], io, [arenaContender]),
    ).toBe(0);
    expect(io.stdout).toMatch(/^one\.trace on arena: 1 event, every block verified: no divergence\n/);
    expect(io.stdout).toMatch(/\n {2}peak live {3}16 B in 1 block\n/);
  });

  it("writes JSON", async () => {
    const io = capturingIo();
    expect(await run(["replay", TINY, "--format", "json"], io, [uint8Array, arenaContender])).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({
      trace: "tiny.trace",
      allocator: "arena",
      events: 6,
      peakLiveBytes: 120,
    });
  });

  it("reports the first divergence with its event", async () => {
    const io = capturingIo();
    const trace = traceFile("three.trace", "a 0 8\na 1 8\na 2 8\nf 0\nf 1\nf 2\n");
    expect(await run(["replay", trace, "--allocator", "corrupting"], io, [corruptingContender(3)])).toBe(1);
    expect(io.stderr).toMatch(/^linmem replay: three\.trace:5 \(f 1\): block 1 \(at \d+, 8 bytes\): byte 0 changed\n$/);
  });

  it("refuses --check on a heap that has no check()", async () => {
    const io = capturingIo();
    expect(await run(["replay", TINY, "--allocator", "uint8array", "--check"], io, [uint8Array])).toBe(2);
    expect(io.stderr).toMatch(/^linmem replay: --check needs an allocator with a check\(\); uint8array has none\n/);
  });
});

describe("linmem", () => {
  it("names an unknown command", async () => {
    const io = capturingIo();
    expect(await run(["benchmark"], io)).toBe(2);
    expect(io.stderr).toBe(
      'linmem: unknown command "benchmark"; the commands are bench, replay, map, view, demo and help\nRun "linmem help" for usage.\n',
    );
  });

  it("explains itself and each command", async () => {
    const io = capturingIo();
    expect(await run(["help"], io)).toBe(0);
    expect(await run(["help", "bench"], io)).toBe(0);
    expect(await run(["replay", "--help"], io)).toBe(0);
    expect(io.stdout).toContain("Usage: linmem <command> [options]");
    expect(io.stdout).toContain(
      `--allocators LIST         comma-separated (default: all): ${CONTENDERS.map(({ name }) => name).join(", ")}\n`,
    );
    expect(io.stdout).toContain("Usage: linmem replay FILE [options]");
  });

  it.each(["--version", "-v", "version"])("prints the package's version for %s", async (flag) => {
    const io = capturingIo();
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(await run([flag], io)).toBe(0);
    expect(io.stdout).toBe(`linmem ${version}\n`);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists only the allocators available here, and says what the others need", async () => {
    for (const args of [
      ["help", "bench"],
      ["replay", "--help"],
    ]) {
      const io = capturingIo();
      expect(await run(args, io, [arenaContender, missingContender, uint8Array])).toBe(0);
      expect(io.stdout).toMatch(/(comma-separated \(default: all\)|one of): arena, uint8array\b/);
      expect(io.stdout).toContain(`\n\n${MISSING_NOTE}\n`);
    }
  });

  it("fails to replay on an allocator not available here", async () => {
    const io = capturingIo();
    expect(await run(["replay", TINY, "--allocator", "missing"], io, [arenaContender, missingContender])).toBe(1);
    expect(io.stderr).toBe(`linmem replay: ${MISSING_NOTE}\n`);
  });

  it("shows its usage when given no command", async () => {
    const io = capturingIo();
    expect(await run([], io)).toBe(2);
    expect(io.stderr).toContain("Usage: linmem <command> [options]");
  });

  it("runs the demo", async () => {
    const io = capturingIo();
    expect(await run(["demo"], io)).toBe(0);
    expect(io.stdout).toContain("Static memory");
    expect(io.stdout).toContain("next allocate(8) returns");
  });
});
