/** What the page carries: its settings and the trace, gzip-compressed and in base64, read back without a request. */
import { parseTrace, type Trace } from "../../trace/trace.js";
import { APP_ELEMENT, CONFIG_ELEMENT, TRACE_ELEMENT, type ViewConfig } from "../embedding.js";

export function readConfig(): ViewConfig {
  return JSON.parse(elementText(CONFIG_ELEMENT)) as ViewConfig;
}

export async function readTrace(name: string): Promise<Trace> {
  const base64 = elementText(TRACE_ELEMENT).trim();
  const binary = atob(base64);
  const compressed = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) compressed[i] = binary.charCodeAt(i);
  const stream = new Blob([compressed]).stream().pipeThrough(new DecompressionStream("gzip"));
  const text = new Uint8Array(await new Response(stream).arrayBuffer());
  return parseTrace(text, name);
}

/** The app's own source, which each heap worker runs too. */
export function appSource(): string {
  return elementText(APP_ELEMENT);
}

function elementText(id: string): string {
  const element = document.getElementById(id);
  if (element === null || element.textContent === null) throw new Error(`the page has no #${id}`);
  return element.textContent;
}
