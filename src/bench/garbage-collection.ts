/**
 * A full garbage collection between timed runs, so that the garbage one contender leaves (a peer's arrays, the
 * memories of finished runs) is not collected during, and charged to, the next contender's run.
 *
 * Node exposes `gc()` only when started with --expose-gc; the flag can also be set once the process runs, after which
 * a new context sees the function. Where that fails, runs go without it.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (collect === undefined) collect = findCollector();
  collect?.();
}

function findCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === "function") return exposed;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    return typeof gc === "function" ? (gc as () => void) : null;
  } catch {
    return null;
  }
}
