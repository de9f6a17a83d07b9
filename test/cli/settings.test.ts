import { describe, expect, it } from "vitest";
import { RING_DEFAULTS } from "../../src/bench/ring.js";
import {
  benchSettings,
  DEFAULT_RUNS,
  DEFAULT_THREADS,
  DEFAULT_TIME_LIMIT,
  replaySettings,
} from "../../src/cli/settings.js";
import { UsageError } from "../../src/cli/usage-error.js";

function usageError(read: () => unknown): UsageError {
  try {
    read();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("no usage error");
}

describe("linmem bench's settings", () => {
  it("default to both workloads, the sample trace, every allocator and the ring of the defaults", () => {
    expect(benchSettings([])).toEqual({
      help: false,
      workloads: ["ring", "trace"],
      traces: [],
      allocators: null,
      runs: DEFAULT_RUNS,
      format: "table",
      chart: null,
      ring: {
        liveBlocks: [RING_DEFAULTS.liveBlocks],
        steps: RING_DEFAULTS.steps,
        minSize: RING_DEFAULTS.minSize,
        maxSize: RING_DEFAULTS.maxSize,
        seed: RING_DEFAULTS.seed,
      },
      timeLimit: DEFAULT_TIME_LIMIT,
      inProcess: false,
      threads: DEFAULT_THREADS,
    });
  });

  it("run the threads workload alone when --threads is given, and with others when --workload says so", () => {
    expect(benchSettings(["--threads", "1,2, 4,2"])).toMatchObject({ workloads: ["threads"], threads: [1, 2, 4] });
    expect(benchSettings(["--workload", "ring,threads"])).toMatchObject({
      workloads: ["ring", "threads"],
      threads: DEFAULT_THREADS,
    });
    expect(benchSettings(["--workload", "trace", "--workload", "threads", "--threads", "8"]).threads).toEqual([8]);
  });

  it("read lists, repeated options and grouped digits", () => {
    const settings = benchSettings([
      "--workload=trace",
      "--trace",
      "a.trace",
      "--trace",
      "dir",
      "--allocators",
      "arena, thi.ng",
      "--allocators",
      "arena,uint8array",
      "--runs",
      "3",
      "--format",
      "markdown",
      "--chart",
      "out.svg",
      "--ring-live",
      "100,1024,100_000",
      "--ring-steps",
      "2_000_000",
      "--ring-sizes",
      "16..4_096",
      "--seed",
      "9",
      "--time-limit",
      "20",
      "--in-process",
    ]);
    expect(settings.workloads).toEqual(["trace"]);
    expect(settings.traces).toEqual(["a.trace", "dir"]);
    expect(settings.allocators).toEqual(["arena", "thi.ng", "uint8array"]);
    expect(settings.runs).toBe(3);
    expect(settings.format).toBe("markdown");
    expect(settings.chart).toBe("out.svg");
    expect(settings.ring).toEqual({
      liveBlocks: [100, 1024, 100_000],
      steps: 2_000_000,
      minSize: 16,
      maxSize: 4096,
      seed: 9,
    });
    expect(settings.timeLimit).toBe(20);
    expect(settings.inProcess).toBe(true);
  });

  it.each([
    [["--frobnicate"], "unknown option '--frobnicate'"],
    [["--runs"], "option '--runs <value>' argument missing"],
    [["stray"], "unexpected argument 'stray'"],
    [["--workload", "random"], '--workload expects one of ring, trace, threads, got "random"'],
    [["--workload", "ring", "--threads", "2"], "--threads is given, but --workload leaves out threads"],
    [["--threads", "0"], '--threads expects a whole number from 1 to 64, got "0"'],
    [["--threads", "2,x"], '--threads expects a whole number from 1 to 64, got "x"'],
    [["--workload", "ring", "--trace", "a.trace"], "--trace is given, but --workload leaves out trace"],
    [["--format", "html"], '--format expects one of table, json, markdown, got "html"'],
    [["--chart", "chart.png"], '--chart writes SVG: name a .svg file, not "chart.png"'],
    [["--ring-sizes", "512..8"], '--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB, got "512..8"'],
    [["--ring-sizes", "8..2000000000"], "--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB"],
    [["--ring-sizes", "8.5..16"], "--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB"],
    [["--ring-sizes", "8.._16"], "--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB"],
    [["--ring-sizes=-8..16"], "--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB"],
    [
      ["--ring-live", "9000000"],
      "--ring-live 9000000 with blocks of up to 512 bytes may hold more than a memory's 4 GiB at once",
    ],
    [
      ["--ring-live", "2,5", "--ring-sizes", "8..1073741824"],
      "--ring-live 5 with blocks of up to 1073741824 bytes may hold more than a memory's 4 GiB at once",
    ],
  ])("refuse %j: %s", (args, message) => {
    const error = usageError(() => benchSettings(args));
    expect(error.message.toLowerCase()).toContain(message.toLowerCase());
    expect(error.command).toBe("bench");
  });

  describe.each([
    ["--runs", "1 to 1000"],
    ["--ring-live", "1 to 10000000"],
    ["--ring-steps", "1 to 100000000"],
    ["--seed", "0 to 4294967295"],
    ["--time-limit", "1 to 86400"],
  ])("refuse a %s that is not a whole number from %s", (option, bounds) => {
    const min = Number(bounds.split(" ")[0]);
    const max = Number(bounds.split(" ")[2]);
    const refused = [String(max + 1), "99999999999999999999", "2.5", "1e3", "0x10", "+5", "ten", "1_"];
    if (min > 0) refused.push("0");
    // A list's items are trimmed, and an empty list has a refusal of its own (below).
    if (option !== "--ring-live") refused.push("", "5 ");

    it.each(refused)("%j", (value) => {
      const error = usageError(() => benchSettings([`${option}=${value}`]));
      expect(error.message).toBe(`${option} expects a whole number from ${bounds}, got "${value}"`);
    });

    it("negative, given after =", () => {
      const error = usageError(() => benchSettings([`${option}=-1`]));
      expect(error.message).toBe(`${option} expects a whole number from ${bounds}, got "-1"`);
    });

    it("negative, given as the next argument: Node's hint says how to give a value that starts with a dash", () => {
      const error = usageError(() => benchSettings([option, "-1"]));
      expect(error.message).toBe(
        `option '${option}' argument is ambiguous; ` +
          `To specify an option argument starting with a dash use '${option}=-XYZ'`,
      );
      expect(error.message).not.toContain("\n");
    });

    it("and accept its bounds", () => {
      const args = (value: number) => [
        `${option}=${value}`,
        ...(option === "--ring-live" ? ["--ring-sizes=0..8"] : []),
      ];
      expect(() => benchSettings(args(min))).not.toThrow();
      expect(() => benchSettings(args(max))).not.toThrow();
    });
  });

  it.each(["--allocators", "--workload", "--ring-live"])("refuse a %s list that names nothing", (option) => {
    for (const value of ["", ",", " , ,"]) {
      const error = usageError(() => benchSettings([`${option}=${value}`]));
      expect(error.message).toBe(`${option} names nothing: give a comma-separated list`);
    }
  });

  it("refuse a --trace that names no file", () => {
    expect(usageError(() => benchSettings(["--trace", ""])).message).toBe("--trace names no file");
  });
});

describe("linmem replay's settings", () => {
  it("take one trace, an allocator, --check and a format", () => {
    expect(replaySettings(["t.trace", "--allocator", "arena", "--check", "--format", "json"])).toEqual({
      help: false,
      file: "t.trace",
      allocator: "arena",
      check: true,
      format: "json",
    });
    expect(replaySettings(["t.trace"])).toMatchObject({ allocator: null, check: false, format: "table" });
  });

  it("refuse no trace, two traces and a format they cannot write", () => {
    expect(usageError(() => replaySettings([])).message).toBe("name the trace to replay");
    expect(usageError(() => replaySettings(["a", "b"])).message).toBe("replay takes one trace");
    expect(usageError(() => replaySettings(["a", "--format", "markdown"])).message).toMatch(/one of table, json/);
  });
});
