// @ts-nocheck: AssemblyScript, compiled by asc (scripts/build-wasm.mjs), not by the project's TypeScript check.
/**
 * The ring workload of src/bench/ring.ts, run inside WebAssembly: 1,024 blocks live at once, and each step frees the
 * oldest and allocates a new one of 8 to 512 bytes. The sizes come from the same generator with the same seed
 * (mulberry32, seed 1, src/bench/random.ts), so the heap sees the very calls of `linmem bench`'s ring 1,024.
 *
 * Each allocator gets an entry file that passes its heap to these generic functions: a class whose `allocate` and
 * `release` call the allocator, and of which no instance exists, so that every call is direct and may be inlined,
 * just as a program compiled with its allocator calls it.
 */

const LIVE_BLOCKS: u32 = 1024;
const MIN_SIZE: u32 = 8;
/** Sizes from MIN_SIZE to 512 inclusive. */
const SIZE_SPAN: u64 = 505;

/** The live blocks: block i sits in slot i % LIVE_BLOCKS. Static data, below the heap. */
const ring = memory.data(LIVE_BLOCKS << 2);

/** The generator's state: the seed, advanced once per block. */
let state: u32 = 1;

/**
 * The next block's size: mulberry32 as in src/bench/random.ts, whose `minSize + Math.floor(random() * span)` is
 * `minSize + (t * span >> 32)` for its 32-bit output t.
 */
function nextSize(): u32 {
  state += 0x6d2b79f5;
  let t = state;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  t ^= t >>> 14;
  return MIN_SIZE + <u32>((<u64>t * SIZE_SPAN) >>> 32);
}

/** Allocates the first LIVE_BLOCKS blocks. Returns the sum of their sizes, for the host to check the sequence. */
export function fillRing<H>(heap: H): u32 {
  let sum: u32 = 0;
  for (let slot: u32 = 0; slot < LIVE_BLOCKS; slot++) {
    const size = nextSize();
    sum += size;
    store<u32>(ring + (slot << 2), heap.allocate(size));
  }
  return sum;
}

/** `steps` times, frees the oldest block and allocates the next. Returns the sum of the sizes allocated. */
export function runRing<H>(heap: H, steps: u32): u32 {
  let sum: u32 = 0;
  let slot: u32 = 0;
  for (let step: u32 = 0; step < steps; step++) {
    const at = ring + (slot << 2);
    heap.release(load<u32>(at));
    const size = nextSize();
    sum += size;
    store<u32>(at, heap.allocate(size));
    // A counter rather than `step % LIVE_BLOCKS`, as in the JavaScript loop.
    if (++slot === LIVE_BLOCKS) slot = 0;
  }
  return sum;
}
