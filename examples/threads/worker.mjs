// A worker of examples/threads/main.mjs: it attaches to the heap the main thread made, with the TypeScript allocator
// or the WebAssembly module, and sends greetings written into blocks of it.
import { parentPort, workerData } from "node:worker_threads";
import { LinearMemory, loadAllocator, tlsf } from "linmem";

const { memory: shared, maximumPages, heapBase, build, index, greetings } = workerData;
const memory = LinearMemory.wrap(shared, { maximumPages });
// On a shared memory, both take the heap's lock for every call; the module in its shared build.
const heap =
  build === "TypeScript" ? tlsf.attach(memory, heapBase) : await loadAllocator.attach("tlsf", memory, heapBase);
// The tag this thread holds the lock with: the main thread needs it to break the lock should this thread die.
parentPort.postMessage({ lockOwner: heap.lockOwner });

const encoder = new TextEncoder();
for (let i = 0; i < greetings; i++) {
  const text = encoder.encode(`hello from the ${build} worker ${index}, greeting ${i}`);
  const ptr = heap.allocate(text.length);
  // The views are never stale, however many threads grew the memory meanwhile.
  memory.u8.set(text, ptr);
  // Some scratch work of its own, which makes the heap grow now and then.
  const scratch = heap.allocate(1000 + ((i * 7919) % 60_000));
  heap.free(scratch);
  parentPort.postMessage({ ptr, length: text.length });
}
parentPort.postMessage({ done: true });
