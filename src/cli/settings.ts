/** The command line, read into settings with Node's `util.parseArgs`: every value checked, every mistake named. */
import { parseArgs } from "node:util";
import { RING_DEFAULTS } from "../bench/ring.js";
import { UsageError } from "./usage-error.js";

export const DEFAULT_RUNS = 5;
/** Seconds. */
export const DEFAULT_TIME_LIMIT = 60;

export const WORKLOAD_KINDS = ["ring", "trace"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];
export const FORMATS = ["table", "json", "markdown"] as const;
export type Format = (typeof FORMATS)[number];

export interface BenchSettings {
  help: boolean;
  workloads: WorkloadKind[];
  /** Trace files or directories; empty for the sample trace. */
  traces: string[];
  /** The allocators asked for by name, or null for all. */
  allocators: string[] | null;
  runs: number;
  format: Format;
  /** Where to write the chart, or null for none. */
  chart: string | null;
  ring: { liveBlocks: number[]; steps: number; minSize: number; maxSize: number; seed: number };
  timeLimit: number;
  /** Run every allocator in this process rather than each in a worker of its own. */
  inProcess: boolean;
}

export interface ReplaySettings {
  help: boolean;
  file: string;
  /** The allocator asked for, or null for the default. */
  allocator: string | null;
  check: boolean;
  format: "table" | "json";
}

export function benchSettings(args: string[]): BenchSettings {
  const { values } = parsing("bench", () =>
    parseArgs({
      args,
      strict: true,
      options: {
        workload: { type: "string", multiple: true },
        trace: { type: "string", multiple: true },
        allocators: { type: "string", multiple: true },
        runs: { type: "string" },
        format: { type: "string" },
        chart: { type: "string" },
        "ring-live": { type: "string" },
        "ring-steps": { type: "string" },
        "ring-sizes": { type: "string" },
        seed: { type: "string" },
        "time-limit": { type: "string" },
        "in-process": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  const traces = values.trace ?? [];
  const workloads =
    values.workload === undefined
      ? [...WORKLOAD_KINDS]
      : unique(values.workload.flatMap(list).map((kind) => oneOf("bench", "--workload", kind, WORKLOAD_KINDS)));
  if (traces.length > 0 && !workloads.includes("trace")) {
    throw new UsageError("bench", "--trace is given, but --workload leaves out trace");
  }
  const ring = RING_DEFAULTS;
  const sizes = values["ring-sizes"] === undefined ? [ring.minSize, ring.maxSize] : sizeRange(values["ring-sizes"]);
  const chart = values.chart ?? null;
  if (chart !== null && !chart.endsWith(".svg"))
    throw new UsageError("bench", `--chart writes SVG: name a .svg file, not "${chart}"`);
  return {
    help: values.help === true,
    workloads,
    traces,
    allocators: values.allocators === undefined ? null : unique(values.allocators.flatMap(list)),
    runs: whole("--runs", values.runs, DEFAULT_RUNS, 1, 1000),
    format: values.format === undefined ? "table" : oneOf("bench", "--format", values.format, FORMATS),
    chart,
    ring: {
      liveBlocks:
        values["ring-live"] === undefined
          ? [ring.liveBlocks]
          : unique(list(values["ring-live"]).map((count) => whole("--ring-live", count, 0, 1, 10_000_000))),
      steps: whole("--ring-steps", values["ring-steps"], ring.steps, 0, 1_000_000_000),
      minSize: sizes[0] as number,
      maxSize: sizes[1] as number,
      seed: whole("--seed", values.seed, ring.seed, 0, 0xffff_ffff),
    },
    timeLimit: whole("--time-limit", values["time-limit"], DEFAULT_TIME_LIMIT, 1, 86_400),
    inProcess: values["in-process"] === true,
  };
}

export function replaySettings(args: string[]): ReplaySettings {
  const { values, positionals } = parsing("replay", () =>
    parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        allocator: { type: "string" },
        check: { type: "boolean" },
        format: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  const help = values.help === true;
  if (!help && positionals.length !== 1) {
    throw new UsageError("replay", positionals.length === 0 ? "name the trace to replay" : "replay takes one trace");
  }
  return {
    help,
    file: positionals[0] ?? "",
    allocator: values.allocator ?? null,
    check: values.check === true,
    format:
      values.format === undefined ? "table" : oneOf("replay", "--format", values.format, ["table", "json"] as const),
  };
}

/** Runs parseArgs, turning its errors into usage errors of the command. */
export function parsing<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // Node's first sentence says it: "Unknown option '--x'", "Option '--runs <value>' argument missing".
    const message = (error as Error).message.split(/\.\s/)[0] as string;
    throw new UsageError(command, message.charAt(0).toLowerCase() + message.slice(1));
  }
}

/** A whole number from `min` to `max` (digits, perhaps grouped by "_"), or `fallback` when the option is absent. */
function whole(option: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const digits = text;
  const value = /^\d+(_\d+)*$/.test(digits) ? Number(digits.replaceAll("_", "")) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError("bench", `${option} expects a whole number from ${min} to ${max}, got "${digits}"`);
  }
  return value;
}

export function oneOf<T extends string>(command: string, option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(command, `${option} expects one of ${choices.join(", ")}, got "${value}"`);
  }
  return value as T;
}

/** "8..512" as [8, 512]. */
function sizeRange(text: string): [number, number] {
  const match = /^(\d+)\.\.(\d+)$/.exec(text);
  const [min, max] = match === null ? [Number.NaN, Number.NaN] : [Number(match[1]), Number(match[2])];
  if (!(min <= max) || max > 0x4000_0000) {
    throw new UsageError(
      "bench",
      `--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB, got "${text}"`,
    );
  }
  return [min, max];
}

function list(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
