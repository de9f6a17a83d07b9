/** A trace written back as text, one event a line, in the format `parseTrace` reads. */
import { describeEvent, type Trace } from "./trace.js";

export function formatTrace(trace: Trace): string {
  const lines: string[] = [];
  for (let event = 0; event < trace.length; event++) lines.push(describeEvent(trace, event));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
