/** `linmem map TRACE --svg FILE`: the heap after some event of a trace, drawn to scale as an SVG picture. */
import { writeFileSync } from "node:fs";
import { formatCount } from "../bench/units.js";
import { MAPPABLE_ALLOCATORS } from "../map/allocators.js";
import { FIGURE_LABELS } from "../map/figure-labels.js";
import { mapMemory } from "../map/memory-map.js";
import { heapMapSvg } from "../map/svg.js";
import { LinearMemory } from "../memory/linear-memory.js";
import { ReplayCursor } from "../trace/cursor.js";
import { loadTrace } from "../trace/load.js";
import type { CommandIo } from "./io.js";
import { mapSettings } from "./picture-settings.js";
import { mapHelp } from "./usage.js";
import { UsageError } from "./usage-error.js";

export function mapCommand(args: string[], io: CommandIo): number {
  const settings = mapSettings(args);
  if (settings.help) {
    io.out(mapHelp());
    return 0;
  }
  const trace = loadTrace(settings.file);
  const at = settings.at ?? trace.length;
  if (at > trace.length) {
    throw new UsageError(
      "map",
      `--at ${at} is past the end of ${trace.name}, which has ${formatCount(trace.length)} events`,
    );
  }
  const allocator = MAPPABLE_ALLOCATORS[settings.allocator](LinearMemory.create(), { heapBase: settings.heapBase });
  const cursor = new ReplayCursor(trace, allocator);
  cursor.advanceTo(at);
  const map = mapMemory(allocator);
  const svg = heapMapSvg(map, {
    title: `${trace.name}: the ${settings.allocator} heap after ${formatCount(at)} of ${formatCount(trace.length)} events`,
    footer: ["linmem", "map", ...args].join(" "),
  });
  writeFileSync(settings.svg, svg);
  const width = Math.max(...FIGURE_LABELS.map(({ label }) => label.length));
  io.out(
    [
      `${trace.name} on ${settings.allocator}, after ${formatCount(at)} of ${formatCount(trace.length)} events:`,
      ...FIGURE_LABELS.map(({ stat, label, format }) => `  ${label.padEnd(width)}  ${format(map.figures[stat])}`),
      "",
    ].join("\n"),
  );
  io.err(`linmem map: ${settings.svg} written, ${formatCount(Buffer.byteLength(svg))} bytes\n`);
  return 0;
}
