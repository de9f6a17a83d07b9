/**
 * An entrant in a worker thread of its own: its own JIT, its own garbage collector. Allocators measured in one
 * process disturb each other: a garbage-collected peer's garbage is collected during another's runs, and code that
 * several allocators share (an adapter, a class) is compiled for all of them at once rather than for the one a
 * program would use. In a worker, each runs alone, as in a program. The runner still takes one step at a time, so
 * only one worker works at once and the runs stay interleaved.
 *
 * The worker is the compiled worker module; where it is absent (running from the TypeScript sources), entrants run in
 * this process instead.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Entrant, RunOutcome, VerifyOutcome } from "./entrant.js";
import type { WorkloadSource } from "./workload.js";

export interface EntrantWorkerData {
  /** The contender's name in the registry (contenders.ts). */
  contender: string;
  source: WorkloadSource;
}

export type EntrantRequest =
  | { id: number; operation: "verify"; timeLimit: number }
  | { id: number; operation: "warmUp" | "time" };

export type EntrantReply = { id: number; outcome: VerifyOutcome | RunOutcome };

const WORKER_MODULE = new URL("./entrant-worker.js", import.meta.url);

/** Whether entrants can run in workers here. */
export function canIsolate(): boolean {
  return existsSync(fileURLToPath(WORKER_MODULE));
}

/** A request waiting for its reply: it settles with the reply, or fails with why the worker stopped. */
interface Waiting {
  id: number;
  settle(outcome: VerifyOutcome | RunOutcome): void;
  fail(reason: string): void;
}

/** The contender called `contender` in the registry, on the workload made from `source`, in a worker. */
export function isolatedEntrant(contender: string, source: WorkloadSource): Entrant {
  const workerData: EntrantWorkerData = { contender, source };
  const worker = new Worker(WORKER_MODULE, { workerData });
  let nextId = 0;
  let waiting: Waiting | null = null;
  let onProgress: (fraction: number) => void = () => {};
  /** Why the worker stopped, once it has. */
  let stopped: string | null = null;

  const stop = (reason: string): void => {
    stopped ??= reason;
    waiting?.fail(stopped);
    waiting = null;
  };
  worker.on("message", (message: EntrantReply | { progress: number }) => {
    if ("progress" in message) {
      onProgress(message.progress);
    } else if (waiting !== null && message.id === waiting.id) {
      waiting.settle(message.outcome);
      waiting = null;
    }
  });
  worker.on("error", (error) => stop(`its worker failed: ${error.message}`));
  worker.on("exit", (code) => stop(`its worker exited with status ${code}`));

  /** Sends a request; what comes back is the outcome, or `failed` of why the worker stopped. */
  function ask<T extends VerifyOutcome | RunOutcome>(
    request: { operation: "verify"; timeLimit: number } | { operation: "warmUp" | "time" },
    failed: (reason: string) => T,
  ): Promise<T> {
    return new Promise((resolve) => {
      if (stopped !== null) {
        resolve(failed(stopped));
        return;
      }
      const id = nextId++;
      waiting = { id, settle: (outcome) => resolve(outcome as T), fail: (reason) => resolve(failed(reason)) };
      worker.postMessage({ ...request, id } satisfies EntrantRequest);
    });
  }

  const runFailed = (failure: string): RunOutcome => ({ failure });
  return {
    isolated: true,
    verify(timeLimit, progress) {
      onProgress = progress;
      return ask<VerifyOutcome>({ operation: "verify", timeLimit }, (reason) => ({ status: "failed", reason }));
    },
    warmUp: () => ask({ operation: "warmUp" }, runFailed),
    time: () => ask({ operation: "time" }, runFailed),
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
