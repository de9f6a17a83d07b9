// What taking and releasing the heap's lock costs a thread that finds it free: one compare-and-swap and one exchange
// on a word of a shared memory, the least a lock can cost. Timed three ways, in nanoseconds per pair, the median of 7
// rounds of 10,000,000 pairs:
//
// - in WebAssembly, a loop of the two instructions, as the shared builds run them (inline in every entry point);
// - in JavaScript, with Atomics.compareExchange and Atomics.exchange, as on a SharedArrayBuffer;
// - in JavaScript, each instruction in a call to a WebAssembly function, to tell the instructions from the calls, and
//   as src/allocator/lock-word.ts takes and releases the lock.
//
// And, for scale, an Atomics.load and a plain load of the same word from JavaScript; and what an allocator saves by
// holding its views under the lock (src/allocator/locked-allocator.ts): asking a shared memory for its buffer, the one
// way to learn whether another thread grew it.
//
//     node bench/lock-cost.mjs
import createWabt from "wabt";

const PAIRS = 10_000_000;
const ROUNDS = 7;

const wabt = await createWabt();
const text = `(module
  (import "env" "memory" (memory 1 1 shared))
  (func (export "pairs") (param $n i32)
    (loop $next
      (drop (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (i32.const 2)))
      (drop (i32.atomic.rmw.xchg (i32.const 4) (i32.const 0)))
      (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func (export "take") (result i32) (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (i32.const 2)))
  (func (export "give") (result i32) (i32.atomic.rmw.xchg (i32.const 4) (i32.const 0))))`;
const parsed = wabt.parseWat("lock-cost.wat", text, { threads: true });
const bytes = new Uint8Array(parsed.toBinary({}).buffer);
parsed.destroy();
const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
const { instance } = await WebAssembly.instantiate(bytes, { env: { memory } });
const { pairs, take, give } = instance.exports;
const words = new Int32Array(memory.buffer);

const ways = {
  "WebAssembly, inline": (n) => pairs(n),
  "JavaScript, Atomics": (n) => {
    for (let i = 0; i < n; i++) {
      if (Atomics.compareExchange(words, 1, 0, 2) !== 0 || Atomics.exchange(words, 1, 0) !== 2) throw new Error("held");
    }
  },
  "JavaScript, a call to WebAssembly for each": (n) => {
    for (let i = 0; i < n; i++) {
      if (take() !== 0 || give() !== 2) throw new Error("held");
    }
  },
  "JavaScript, Atomics.load alone": (n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Atomics.load(words, 1);
    return sum;
  },
  "JavaScript, a plain load alone": (n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += words[1];
    return sum;
  },
  "JavaScript, a shared memory's buffer": (n) => {
    let sum = 0;
    for (let i = 0; i < n / 10; i++) sum += memory.buffer.byteLength;
    return sum;
  },
};

const times = Object.fromEntries(Object.keys(ways).map((way) => [way, []]));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [way, run] of Object.entries(ways)) {
    const start = process.hrtime.bigint();
    run(PAIRS);
    // The first round warms up.
    if (round > 0)
      times[way].push(Number(process.hrtime.bigint() - start) / (way.endsWith("buffer") ? PAIRS / 10 : PAIRS));
  }
}
for (const [way, spent] of Object.entries(times)) {
  spent.sort((a, b) => a - b);
  console.log(`${way.padEnd(44)} ${spent[ROUNDS >> 1].toFixed(1).padStart(6)} ns`);
}
