/** Reads a trace file from disk, gzip-compressed or plain (Node only). */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseTrace, type Trace } from "./trace.js";

/** The trace the project ships: the first 50,000 events of the sqlite3 trace, so that no outside file is needed. */
export const SAMPLE_TRACE = new URL("../../traces/sample.trace.gz", import.meta.url);

export function loadTrace(path: string | URL): Trace {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new Error(`cannot read trace ${String(path)}: ${reason}`);
  }
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (isGzip ? gunzipSync(bytes) : bytes).toString("latin1");
  return parseTrace(text, basename(typeof path === "string" ? path : path.pathname));
}
