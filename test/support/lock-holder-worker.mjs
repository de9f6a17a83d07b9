// A thread that takes a heap's lock and never lets go, until it is terminated: a thread that dies holding the lock,
// for test/threads/. It answers its tag once it holds the lock.
import { parentPort, workerData } from "node:worker_threads";

const { dist, memory, heapBase } = workerData;

try {
  const { HeapLock, LinearMemory } = await import(new URL("index.js", dist));
  const lock = new HeapLock(LinearMemory.wrap(memory), heapBase);
  lock.acquire("hold");
  parentPort.postMessage({ tag: lock.owner });
  // Asleep for good, as a thread stopped in the middle of a call.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
