// How long check(), stats() and walk() take on a large heap: a thread waiting for the heap's lock sits them out, so
// the lock timeout (src/allocator/lock.ts) must be longer. Each allocator gets a heap of 1,000,000 blocks of 16 to 63
// bytes, a third of them freed; each call is timed once, in seconds. Run after `npm run build`:
//   node bench/heap-walk-time.mjs
import { arena, buddy, LinearMemory, tlsf } from "../dist/index.js";

const BLOCKS = 1_000_000;

for (const [name, factory] of Object.entries({ tlsf, buddy, arena })) {
  const heap = factory(LinearMemory.create());
  const blocks = [];
  for (let i = 0; i < BLOCKS; i++) blocks.push(heap.allocate(16 + (i % 48)));
  for (let i = 0; i < BLOCKS; i += 3) heap.free(blocks[i]);
  const times = [];
  for (const [call, run] of [
    ["check", () => heap.check()],
    ["stats", () => heap.stats()],
    ["walk", () => heap.walk(() => {})],
  ]) {
    const start = performance.now();
    run();
    times.push(`${call} ${((performance.now() - start) / 1000).toFixed(2)} s`);
  }
  console.log(`${name.padEnd(6)} ${times.join(", ")}`);
}
