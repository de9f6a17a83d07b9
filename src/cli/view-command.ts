/** `linmem view TRACE --out FILE.html`: a page that replays the trace in a browser, for any event, side by side. */
import { writeFileSync } from "node:fs";
import { formatCount } from "../bench/units.js";
import { MAPPABLE_ALLOCATORS } from "../map/allocators.js";
import { LinearMemory } from "../memory/linear-memory.js";
import { ReplayCursor } from "../trace/cursor.js";
import { loadTrace } from "../trace/load.js";
import { viewPage } from "../view/page.js";
import type { CommandIo } from "./io.js";
import { viewSettings } from "./picture-settings.js";
import { viewHelp } from "./usage.js";

export function viewCommand(args: string[], io: CommandIo): number {
  const settings = viewSettings(args);
  if (settings.help) {
    io.out(viewHelp());
    return 0;
  }
  const trace = loadTrace(settings.file);
  // The page replays the trace in the browser; one replay here first, so that a trace no heap can take fails now, with
  // its event named, rather than in the page.
  for (const name of settings.allocators) {
    const cursor = new ReplayCursor(
      trace,
      MAPPABLE_ALLOCATORS[name](LinearMemory.create(), { heapBase: settings.heapBase }),
    );
    try {
      cursor.advanceTo(trace.length);
    } catch (error) {
      throw new Error(`${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  const page = viewPage({
    trace,
    allocators: settings.allocators,
    heapBase: settings.heapBase,
    command: ["linmem", "view", ...args].join(" "),
  });
  writeFileSync(settings.out, page);
  io.err(
    `linmem view: ${settings.out} written, ${formatCount(Buffer.byteLength(page))} bytes: ${formatCount(trace.length)} events on ${settings.allocators.join(" and ")}\n`,
  );
  return 0;
}
