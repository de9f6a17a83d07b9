// A thread that takes a heap's lock held by another, for the tests of the lock protocol: in JavaScript with HeapLock,
// or in WebAssembly with the lock probe, allowed to wait or only to spin (`mayWait`). It says when it begins to wait,
// then answers how long it waited, or that it timed out.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const { dist, build, memory, heapBase, counter, inside, language, lockTimeoutMs, mayWait } = workerData;

try {
  const { HeapLock, LinearMemory, newLockTag } = await import(new URL("index.js", dist));
  let take;
  if (language === "JavaScript") {
    const lock = new HeapLock(LinearMemory.wrap(memory), heapBase, { lockTimeoutMs });
    take = () => {
      try {
        lock.acquire("wait");
      } catch (error) {
        if (error.code === "LOCK_TIMEOUT") return false;
        throw error;
      }
      lock.release();
      return true;
    };
  } else {
    const bytes = readFileSync(new URL("lock-probe.wasm", build));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory, now: () => performance.now() } });
    instance.exports.lock_setup(newLockTag(), lockTimeoutMs, mayWait ? 1 : 0);
    take = () => instance.exports.count(heapBase, counter, inside, 1) >>> 0 !== 0xffff_ffff;
  }
  parentPort.postMessage({ waiting: true });
  const began = performance.now();
  const taken = take();
  parentPort.postMessage({ taken, waited: performance.now() - began });
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
