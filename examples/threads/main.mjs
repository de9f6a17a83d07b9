// One heap, five threads: the main thread and four workers share a TLSF heap in a shared WebAssembly memory. Two
// workers use the TypeScript allocator and two the WebAssembly module; each writes greetings into blocks of the heap
// and hands their pointers to the main thread, which reads and frees them, while the heap grows from one page.
//
//     npm run build && node examples/threads/main.mjs
import { Worker } from "node:worker_threads";
import { breakLock, LinearMemory, tlsf } from "linmem";

const HEAP_BASE = 8;
const MAXIMUM_PAGES = 1024;
const WORKERS = ["TypeScript", "WebAssembly", "TypeScript", "WebAssembly"];
const GREETINGS = 2000;

// A shared memory must declare its maximum: it never moves, so the engine reserves that much address space.
const memory = LinearMemory.create({ initialPages: 1, maximumPages: MAXIMUM_PAGES, shared: true });
const heap = tlsf(memory, { heapBase: HEAP_BASE });
const decoder = new TextDecoder();
const read = (ptr, length) => decoder.decode(memory.u8.slice(ptr, ptr + length));

const finished = WORKERS.map(
  (build, index) =>
    new Promise((resolve, reject) => {
      // A worker gets the memory itself, a WebAssembly.Memory, by postMessage or workerData.
      const workerData = {
        memory: memory.memory,
        maximumPages: MAXIMUM_PAGES,
        heapBase: HEAP_BASE,
        build,
        index,
        greetings: GREETINGS,
      };
      const worker = new Worker(new URL("./worker.mjs", import.meta.url), { workerData });
      let lockOwner = 0;
      let received = 0;
      worker.on("message", (message) => {
        if ("lockOwner" in message) {
          lockOwner = message.lockOwner;
        } else if ("ptr" in message) {
          if (received++ === 0) console.log(`${build} worker ${index}: "${read(message.ptr, message.length)}"`);
          heap.free(message.ptr);
        } else {
          resolve(received);
        }
      });
      worker.on("exit", (code) => {
        if (code === 0) return;
        // A worker that died in the middle of a call may hold the lock: no other thread could use the heap again.
        if (breakLock(memory, HEAP_BASE, lockOwner)) heap.check();
        reject(new Error(`worker ${index} exited with status ${code}`));
      });
    }),
);

const counts = await Promise.all(finished);
heap.check();
const { blocksInUse } = heap.stats();
console.log(`${counts.reduce((sum, count) => sum + count, 0)} greetings read and freed by the main thread`);
console.log(`the heap: ${blocksInUse} blocks in use, in a memory grown from 1 page to ${memory.pages}`);
