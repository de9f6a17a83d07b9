/** The command line, read into settings with Node's `util.parseArgs`: every value checked, every mistake named. */
import { parseArgs } from "node:util";
import { RING_DEFAULTS } from "../bench/ring.js";
import { UsageError } from "./usage-error.js";

export const DEFAULT_RUNS = 5;
/** Seconds. */
export const DEFAULT_TIME_LIMIT = 60;

/**
 * The bounds of each numeric option. The ring keeps every block's size in a Uint32Array, 4 bytes a step, so its
 * steps stop at 100 million (400 MB); the blocks it holds at once must fit in a 32-bit memory.
 */
const LIMITS = {
  runs: [1, 1000],
  ringLive: [1, 10_000_000],
  ringSteps: [1, 100_000_000],
  seed: [0, 0xffff_ffff],
  timeLimit: [1, 86_400],
  threads: [1, 64],
} as const satisfies Record<string, readonly [number, number]>;

/** The most bytes a ring may hold at once: a 32-bit memory's 4 GiB. */
const RING_LIVE_BYTES_LIMIT = 2 ** 32;

export const WORKLOAD_KINDS = ["ring", "trace", "threads"] as const;
/** The workloads run when --workload is not given: the threads workload only when --threads is. */
export const DEFAULT_WORKLOADS: readonly WorkloadKind[] = ["ring", "trace"];
/** The thread counts of the threads workload when --threads is not given. */
export const DEFAULT_THREADS = [1, 2, 4];
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
  /** The thread counts of the threads workload (used when `workloads` includes it). */
  threads: number[];
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
        threads: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }),
  );
  const traces = values.trace ?? [];
  if (traces.includes("")) throw new UsageError("bench", "--trace names no file");
  const threadsGiven = values.threads !== undefined;
  const workloads =
    values.workload === undefined
      ? threadsGiven
        ? ["threads" as const]
        : [...DEFAULT_WORKLOADS]
      : unique(
          nonEmptyList("--workload", values.workload).map((kind) => oneOf("bench", "--workload", kind, WORKLOAD_KINDS)),
        );
  if (traces.length > 0 && !workloads.includes("trace")) {
    throw new UsageError("bench", "--trace is given, but --workload leaves out trace");
  }
  if (threadsGiven && !workloads.includes("threads")) {
    throw new UsageError("bench", "--threads is given, but --workload leaves out threads");
  }
  const ring = RING_DEFAULTS;
  const sizes: readonly [number, number] =
    values["ring-sizes"] === undefined ? [ring.minSize, ring.maxSize] : sizeRange(values["ring-sizes"]);
  const liveBlocks = optionalWholeList("--ring-live", values["ring-live"], [ring.liveBlocks], LIMITS.ringLive);
  const mostLive = Math.max(...liveBlocks);
  if (mostLive * sizes[1] > RING_LIVE_BYTES_LIMIT) {
    throw new UsageError(
      "bench",
      `--ring-live ${mostLive} with blocks of up to ${sizes[1]} bytes may hold more than a memory's 4 GiB at once`,
    );
  }
  const chart = values.chart ?? null;
  if (chart !== null && !chart.endsWith(".svg"))
    throw new UsageError("bench", `--chart writes SVG: name a .svg file, not "${chart}"`);
  return {
    help: values.help === true,
    workloads,
    traces,
    allocators: values.allocators === undefined ? null : unique(nonEmptyList("--allocators", values.allocators)),
    runs: optionalWhole("--runs", values.runs, DEFAULT_RUNS, LIMITS.runs),
    format: values.format === undefined ? "table" : oneOf("bench", "--format", values.format, FORMATS),
    chart,
    ring: {
      liveBlocks,
      steps: optionalWhole("--ring-steps", values["ring-steps"], ring.steps, LIMITS.ringSteps),
      minSize: sizes[0],
      maxSize: sizes[1],
      seed: optionalWhole("--seed", values.seed, ring.seed, LIMITS.seed),
    },
    timeLimit: optionalWhole("--time-limit", values["time-limit"], DEFAULT_TIME_LIMIT, LIMITS.timeLimit),
    inProcess: values["in-process"] === true,
    threads: optionalWholeList("--threads", values.threads, DEFAULT_THREADS, LIMITS.threads),
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
  if (!help) oneTrace("replay", positionals);
  return {
    help,
    file: positionals[0] ?? "",
    allocator: values.allocator ?? null,
    check: values.check === true,
    format:
      values.format === undefined ? "table" : oneOf("replay", "--format", values.format, ["table", "json"] as const),
  };
}

/** Runs parseArgs, turning its errors into usage errors of the command, each one line. */
export function parsing<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    // Node's first sentence says it: "Unknown option '--x'", "Option '--runs <value>' argument missing". For a value
    // that starts with a dash ("--runs -1") it adds how to give one: "To specify an option argument starting with a
    // dash use '--runs=-XYZ'", which is kept.
    const sentences = (error as Error).message.split(/(?<=[.?])\s+/).map((sentence) => sentence.replace(/\.$/, ""));
    const hint = sentences.slice(1).find((sentence) => sentence.startsWith("To specify"));
    const message = [sentences[0] as string, ...(hint === undefined ? [] : [hint])].join("; ");
    throw new UsageError(command, lowerFirst(message));
  }
}

/** A whole number within `[min, max]`, or `fallback` when the option is absent. */
function optionalWhole(
  option: string,
  text: string | undefined,
  fallback: number,
  limits: readonly [number, number],
): number {
  return text === undefined ? fallback : wholeNumber("bench", option, text, limits);
}

/** A comma-separated list of whole numbers within `limits`, each once, or `fallback` when the option is absent. */
function optionalWholeList(
  option: string,
  text: string | undefined,
  fallback: readonly number[],
  limits: readonly [number, number],
): number[] {
  if (text === undefined) return [...fallback];
  return unique(nonEmptyList(option, [text]).map((item) => wholeNumber("bench", option, item, limits)));
}

/**
 * A whole number within `[min, max]`: decimal digits, perhaps grouped by "_". Anything else, a sign, a fraction or an
 * exponent included, is refused, as is a number out of bounds, each with the bounds.
 */
export function wholeNumber(
  command: string,
  option: string,
  text: string,
  [min, max]: readonly [number, number],
): number {
  const value = /^\d+(_\d+)*$/.test(text) ? Number(text.replaceAll("_", "")) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(command, `${option} expects a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

/** The one trace a command replays: a usage error when none or several are named. */
export function oneTrace(command: string, positionals: readonly string[]): void {
  if (positionals.length !== 1) {
    throw new UsageError(command, positionals.length === 0 ? "name the trace to replay" : `${command} takes one trace`);
  }
}

export function oneOf<T extends string>(command: string, option: string, value: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(command, `${option} expects one of ${choices.join(", ")}, got "${value}"`);
  }
  return value as T;
}

/** "8..512" as [8, 512], the numbers written as every other whole number is, perhaps grouped by "_". */
function sizeRange(text: string): readonly [number, number] {
  const match = /^(\d+(?:_\d+)*)\.\.(\d+(?:_\d+)*)$/.exec(text);
  const number = (digits: string | undefined): number => Number((digits as string).replaceAll("_", ""));
  const [min, max] = match === null ? [Number.NaN, Number.NaN] : [number(match[1]), number(match[2])];
  if (!(min <= max) || max > 0x4000_0000) {
    throw new UsageError(
      "bench",
      `--ring-sizes expects MIN..MAX, whole numbers with MIN <= MAX <= 1 GiB, got "${text}"`,
    );
  }
  return [min, max];
}

/** The items of comma-separated lists, given once or more; a usage error when they name nothing. */
function nonEmptyList(option: string, texts: readonly string[]): string[] {
  const items = texts.flatMap((text) =>
    text
      .split(",")
      .map((item) => item.trim())
      .filter((item) => item !== ""),
  );
  if (items.length === 0) throw new UsageError("bench", `${option} names nothing: give a comma-separated list`);
  return items;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
