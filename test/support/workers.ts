/**
 * Worker threads for the tests of shared heaps. A worker runs a script of test/support/ (plain JavaScript, which a
 * worker can load) against the built package, dist/, which `npm test` builds first: tests that need workers are
 * skipped, saying so, where it is absent.
 */
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { DIST, NOT_BUILT } from "./built-package.js";

/** The WebAssembly modules built for tests, as build-wasm.mjs writes them. */
export const BUILD = new URL("../../build/wasm/", import.meta.url);

/** Why workers cannot run the tests here, or null when they can. */
export const WORKERS_UNAVAILABLE =
  NOT_BUILT ??
  (existsSync(new URL("lock-probe.wasm", BUILD)) ? null : "build/wasm/lock-probe.wasm is missing: run `npm run build`");

/** A worker running `script`, a file of test/support/, given `data`; terminate it when the test is done. */
export function startWorker(script: string, data: Record<string, unknown>): Worker {
  return new Worker(new URL(script, import.meta.url), { workerData: { dist: DIST.href, build: BUILD.href, ...data } });
}

/**
 * The first message of a worker, or a rejection when it fails or exits first. A worker reports a failure as
 * `{ error }`, which rejects too.
 */
export function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    const cleanUp = (): void => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onMessage = (message: T | { error: string }): void => {
      cleanUp();
      if (typeof message === "object" && message !== null && "error" in message) reject(new Error(message.error));
      else resolve(message as T);
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    const onExit = (code: number): void => {
      cleanUp();
      reject(new Error(`the worker exited with status ${code} before it answered`));
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

/** Runs `script` in a worker until its one answer, then lets it go. */
export async function runWorker<T>(script: string, data: Record<string, unknown>): Promise<T> {
  const worker = startWorker(script, data);
  try {
    return await nextMessage<T>(worker);
  } finally {
    await worker.terminate();
  }
}
