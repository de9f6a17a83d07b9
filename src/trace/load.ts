/** Reads trace files from disk, gzip-compressed or plain (Node only). */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { gunzipSync } from "node:zlib";
import { parseTrace, type Trace } from "./trace.js";

/**
 * The repository's sample trace: the first 50,000 events of the sqlite3 trace, so that a clone needs no outside file.
 * The package does not ship it (it would be half the package), so an installed linmem has none.
 */
export const SAMPLE_TRACE = new URL("../../traces/sample.trace.gz", import.meta.url);

/** The sample trace where it is present (in a clone of the repository), else null. */
export function sampleTrace(): URL | null {
  return existsSync(SAMPLE_TRACE) ? SAMPLE_TRACE : null;
}

export function loadTrace(path: string | URL): Trace {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  return parseTrace(isGzip ? gunzipSync(bytes) : bytes, basename(typeof path === "string" ? path : path.pathname));
}

/** Trace files by their names' endings: `.trace`, or `.trace.gz` when compressed. */
const TRACE_FILE = /\.trace(\.gz)?$/;

/** The trace files a path names: the file itself, or each trace file in a directory, in the order of their names. */
export function traceFiles(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw unreadable(path, error);
  }
  if (!isDirectory) return [path];
  const files = readdirSync(path)
    .filter((name) => TRACE_FILE.test(name))
    .sort()
    .map((name) => join(path, name));
  if (files.length === 0) throw new Error(`no trace files (*.trace, *.trace.gz) in ${path}`);
  return files;
}

function unreadable(path: string | URL, error: unknown): Error {
  const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
  return new Error(`cannot read trace ${String(path)}: ${reason}`, { cause: error });
}
