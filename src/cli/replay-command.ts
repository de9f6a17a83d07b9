/** `linmem replay FILE`: one trace on one allocator, every block verified, optionally `check()` after every event. */
import type { Contender } from "../bench/contender.js";
import { traceNeeds } from "../bench/trace-workload.js";
import { formatBytes, formatCountOf, formatRatio } from "../bench/units.js";
import { loadTrace } from "../trace/load.js";
import { replay } from "../trace/replay.js";
import { chooseContender, defaultReplayContender } from "./choose.js";
import type { CommandIo } from "./io.js";
import { replaySettings } from "./settings.js";
import { replayHelp } from "./usage.js";
import { UsageError } from "./usage-error.js";

/** Runs the command; resolves to 0, or throws: a ReplayError names the first divergence. */
export async function replayCommand(args: string[], io: CommandIo, contenders: readonly Contender[]): Promise<number> {
  const settings = replaySettings(args);
  const fallback = defaultReplayContender(contenders);
  if (settings.help) {
    io.out(replayHelp(contenders, fallback?.name ?? "none"));
    return 0;
  }
  const name = settings.allocator ?? fallback?.name;
  if (name === undefined) throw new UsageError("replay", "no allocator to replay on");
  const contender = chooseContender("replay", name, contenders);
  const trace = loadTrace(settings.file);
  const heap = await (await contender.load())(traceNeeds(trace));
  if (settings.check && heap.check === undefined) {
    throw new UsageError("replay", `--check needs an allocator with a check(); ${name} has none`);
  }

  const progress = await io.progress();
  progress.start(trace.length);
  const startedAt = performance.now();
  let result: ReturnType<typeof replay>;
  try {
    result = replay(trace, heap, {
      verify: true,
      checkEveryStep: settings.check,
      onProgress: (events) => progress.update(events, `${trace.name} on ${name}`),
    });
    heap.check?.();
  } finally {
    progress.stop();
  }
  const seconds = Math.round(performance.now() - startedAt) / 1000;

  if (settings.format === "json") {
    io.out(
      `${JSON.stringify({ trace: trace.name, allocator: name, check: settings.check, ...result, seconds }, null, 2)}\n`,
    );
    return 0;
  }
  const live = result.peakLiveBytes;
  const ofLive = (bytes: number | null, missing: string): string =>
    bytes === null
      ? `— (${missing})`
      : `${formatBytes(bytes)}, ${live > 0 ? formatRatio(bytes / live) : "—"} peak live`;
  const checked = settings.check ? ", check() after every event" : "";
  io.out(
    [
      `${trace.name} on ${name}: ${formatCountOf(result.events, "event")}, every block verified${checked}: no divergence`,
      `  peak live   ${formatBytes(live)} in ${formatCountOf(result.peakLiveBlocks, "block")}`,
      `  footprint   ${ofLive(result.peakFootprint, "not in linear memory")}`,
      `  memory      ${ofLive(result.memorySize, "no memory size of its own")}`,
      `  time        ${seconds.toFixed(2)} s, verification included`,
      "",
    ].join("\n"),
  );
  return 0;
}
