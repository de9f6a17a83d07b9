// A thread counting under a heap's lock, for the tests of the lock protocol (test/allocator/lock.test.ts): in
// JavaScript with HeapLock, or in WebAssembly with the lock probe (test/wasm/fixtures/lock-probe.ts). Once ready, it
// says so and waits for the start word to turn 1, so that all threads contend at once; then, until the start word
// turns 2, it takes the lock, marks itself inside, adds 1 to the counter with a plain load and store, and leaves, a
// thousand times over. It answers how often it did, and how often it found another thread inside.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const { dist, build, memory, heapBase, counter, inside, start, language, lockTimeoutMs } = workerData;
const BATCH = 1000;

try {
  const words = new Int32Array(memory.buffer);
  const { HeapLock, LinearMemory, newLockTag } = await import(new URL("index.js", dist));
  let count;
  if (language === "JavaScript") {
    const lock = new HeapLock(LinearMemory.wrap(memory), heapBase, { lockTimeoutMs });
    count = () => {
      let overlaps = 0;
      for (let i = 0; i < BATCH; i++) {
        lock.acquire("count");
        overlaps += Atomics.exchange(words, inside >>> 2, 1);
        words[counter >>> 2] = words[counter >>> 2] + 1;
        Atomics.store(words, inside >>> 2, 0);
        lock.release();
      }
      return overlaps;
    };
  } else {
    const bytes = readFileSync(new URL("lock-probe.wasm", build));
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory, now: () => performance.now() } });
    instance.exports.lock_setup(newLockTag(), lockTimeoutMs, 1);
    count = () => {
      const overlaps = instance.exports.count(heapBase, counter, inside, BATCH) >>> 0;
      if (overlaps === 0xffff_ffff) throw new Error("the lock timed out");
      return overlaps;
    };
  }
  parentPort.postMessage({ ready: true });
  Atomics.wait(words, start >>> 2, 0);
  let done = 0;
  let overlaps = 0;
  while (Atomics.load(words, start >>> 2) === 1) {
    overlaps += count();
    done += BATCH;
  }
  parentPort.postMessage({ done, overlaps });
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
