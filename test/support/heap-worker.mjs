// One of several threads on one heap, for test/threads/: it attaches to the heap with the TypeScript build or the
// WebAssembly module (its shared build), then takes random steps: allocating, resizing and freeing blocks of its own,
// and handing blocks to other threads through the mailbox, a SharedArrayBuffer of slots, taking in exchange whatever
// block the slot held, which it then owns. Every block carries its size and a seed in its first 8 bytes and a pattern
// made from the seed in the rest; a thread verifies every byte of a block before it resizes, frees or hands it over,
// and every block it takes in. Once attached, it says so and waits for the gate to open, so that all threads start at
// once. It answers the blocks it owns at the end, or the first thing that went wrong.
import { parentPort, workerData } from "node:worker_threads";

const {
  dist,
  memory: raw,
  maximumPages,
  heapBase,
  allocator,
  build,
  seed,
  steps,
  mailbox,
  gate,
  lockTimeoutMs,
} = workerData;

/** mulberry32, as src/bench/random.ts. */
function seeded(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function patternByte(blockSeed, offset) {
  return (blockSeed * 131 + offset * 7 + (offset >>> 8)) & 0xff;
}

try {
  const linmem = await import(new URL("index.js", dist));
  const memory = linmem.LinearMemory.wrap(raw, { maximumPages });
  const options = { lockTimeoutMs };
  const heap =
    build === "TypeScript"
      ? linmem[allocator].attach(memory, heapBase, options)
      : await linmem.loadAllocator.attach(allocator, memory, heapBase, options);
  const random = seeded(seed);
  const slots = new Int32Array(mailbox);
  const own = [];
  let seeds = seed * 100_000;

  // The views of the memory are read afresh for every block: other threads grow it.
  const stamp = (ptr, size) => {
    const blockSeed = ++seeds & 0x7fff_ffff;
    memory.u32[ptr >>> 2] = size;
    memory.u32[(ptr + 4) >>> 2] = blockSeed;
    const u8 = memory.u8;
    for (let offset = 8; offset < size; offset++) u8[ptr + offset] = patternByte(blockSeed, offset);
  };
  const verify = (ptr, upTo = Number.POSITIVE_INFINITY) => {
    const size = memory.u32[ptr >>> 2];
    const blockSeed = memory.u32[(ptr + 4) >>> 2];
    if (size < 8 || size > heap.usableSize(ptr)) throw new Error(`block ${ptr}: its size word ${size} changed`);
    const u8 = memory.u8;
    const end = Math.min(size, upTo);
    for (let offset = 8; offset < end; offset++) {
      if (u8[ptr + offset] !== patternByte(blockSeed, offset)) {
        throw new Error(`block ${ptr} of ${size} bytes: byte ${offset} changed`);
      }
    }
    return size;
  };
  const sizeOf = () => (random() < 0.01 ? 16_384 + Math.floor(random() * 49_152) : 8 + Math.floor(random() * 1016));
  const takeOwn = () => own.splice(Math.floor(random() * own.length), 1)[0];

  parentPort.postMessage({ ready: true });
  Atomics.wait(new Int32Array(gate), 0, 0);
  for (let step = 0; step < steps; step++) {
    const choice = random();
    if (choice < 0.3 || own.length === 0) {
      const size = sizeOf();
      const ptr = random() < 0.1 ? heap.allocate(size, 2 ** (4 + Math.floor(random() * 9))) : heap.allocate(size);
      stamp(ptr, size);
      own.push(ptr);
    } else if (choice < 0.5 || own.length > 64) {
      const ptr = takeOwn();
      verify(ptr);
      heap.free(ptr);
    } else if (choice < 0.65) {
      const ptr = takeOwn();
      const size = verify(ptr);
      const newSize = sizeOf();
      const moved = heap.reallocate(ptr, newSize);
      // The bytes up to the smaller size came along, the size word with them.
      memory.u32[moved >>> 2] = Math.min(size, newSize);
      verify(moved);
      stamp(moved, newSize);
      own.push(moved);
    } else {
      const ptr = takeOwn();
      verify(ptr);
      const taken = Atomics.exchange(slots, Math.floor(random() * slots.length), ptr);
      if (taken !== 0) {
        verify(taken);
        own.push(taken);
      }
    }
  }
  for (const ptr of own) verify(ptr);
  parentPort.postMessage({ own, lockOwner: heap.lockOwner });
} catch (error) {
  parentPort.postMessage({ error: String(error?.stack ?? error) });
}
