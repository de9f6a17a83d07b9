// A thread that takes a heap's lock, says so, holds it for `holdMs`, then releases it: the holder a waiting thread
// waits for, in the tests of the lock protocol.
import { parentPort, workerData } from "node:worker_threads";

const { dist, memory, heapBase, holdMs } = workerData;

try {
  const { HeapLock, LinearMemory } = await import(new URL("index.js", dist));
  const lock = new HeapLock(LinearMemory.wrap(memory), heapBase);
  lock.acquire("hold");
  parentPort.postMessage({ holding: true });
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, holdMs);
  lock.release();
  parentPort.postMessage({ released: true });
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
