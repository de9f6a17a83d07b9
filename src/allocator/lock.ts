/**
 * The heap lock: how the threads that share one heap take turns, in JavaScript and in WebAssembly alike
 * (assembly/shared/lock.ts is the same protocol). A third party that keeps to it can use a linmem heap from any
 * language, at the same time as linmem's allocators.
 *
 * The lock word is the heap header's second u32, at heapBase + 4 (heap-header.ts), 0 in a new heap:
 *
 *     0            free
 *     tag          held by the thread whose tag this is: an even number other than 0
 *     tag | 1      held, and some thread may be sleeping until it is free
 *
 * Every access to the word is a sequentially consistent atomic operation (`Atomics` in JavaScript, the atomic
 * instructions of WebAssembly threads), and every byte of the heap is read and written only by the thread that holds
 * the lock: the atomic operations that pass the lock from thread to thread also order all of those accesses. The
 * memory's size is no exception: a heap grows only under its lock.
 *
 * What every thread must do. To acquire, as the thread with tag T: compare-and-swap the word from 0 to T (or T | 1, see
 * below); the lock is held when the word was 0. While it is held, a thread may spin, loading the word until it is 0;
 * or sleep: set bit 0 of the word (compare-and-swap from W to W | 1), then wait while the word is W | 1
 * (`Atomics.wait` in a worker or in Node's main thread, `memory.atomic.wait32` in WebAssembly), for at most
 * LOCK_SLEEP_MS at a time, and look again. A thread that has slept takes the lock as T | 1, keeping the bit for
 * whoever still sleeps. To release: exchange the word with 0; if bit 0 of the old value was set, a sleeper must be
 * woken (`Atomics.notify`, `memory.atomic.notify`, with a count of 1), at once or within LOCK_BURST more releases of
 * the same thread, which takes the lock as T | 1 until it has woken one. A sleeper also wakes by itself: no wake is
 * ever lost for longer than LOCK_SLEEP_MS. A thread may not wait on a browser's main thread: there it only spins.
 *
 * What linmem's threads do besides, for speed, which another implementation need not do:
 *
 *   1. Acquire with one compare-and-swap; release with one exchange: the usual way, and the least a lock can cost.
 *   2. When the lock is held, spin LOCK_SPINS times, then sleep as above, until the lock is had or the lock timeout
 *      has passed since the spinning: then the call traps with LOCK_TIMEOUT, having changed nothing but, perhaps, bit
 *      0 of the word.
 *   3. Wake a sleeper only every LOCK_BURST releases, and after waking one, give way: let the lock be, for
 *      LOCK_GIVE_WAY_MS at most, until another thread takes it. Two threads that allocate all the time on two cores
 *      would otherwise take turns call by call, and every call would bring the heap's lines from the other core; in
 *      turns of many calls, each thread works on lines of its own cache.
 *
 * A thread never takes the lock twice (a second attempt would wait on itself), and holds it only inside a call: it
 * never keeps it while doing something else.
 *
 * Here, the compare-and-swap of the usual way and the exchange of the release go through lock-word.ts, which runs
 * them in WebAssembly where it can, as that costs less than `Atomics`; the rest is `Atomics`.
 *
 * A thread that dies holding the lock (a worker terminated in the middle of a call) leaves the word holding its tag.
 * Every other thread then traps with LOCK_TIMEOUT. A program that knows the thread is dead, and its tag (each
 * allocator's `lockOwner`), can `breakLock` and then `check()` the heap: the dead thread may have left it half changed.
 */
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import { AllocationTrap } from "./errors.js";
import { LOCK_OFFSET } from "./heap-header.js";
import { lockWordOperations } from "./lock-word.js";

/** The bit of the lock word that says a thread may be waiting. */
export const LOCK_WAITING = 1;

/** Times a thread loads the held lock's word before it sleeps: about a microsecond. */
export const LOCK_SPINS = 100;

/** The longest a thread sleeps before it looks at the word again, in milliseconds. */
export const LOCK_SLEEP_MS = 1;

/**
 * The releases of a thread between two wakings of a sleeper: a turn of the lock, some 1 to 4 ms of calls, long beside
 * the time a sleeping thread takes to wake (some 10 to 70 µs in Node 20 on a virtual machine, and at times ms).
 */
export const LOCK_BURST = 65536;

/** How long, at most, a thread that woke a sleeper lets the lock be for it, in milliseconds. */
export const LOCK_GIVE_WAY_MS = 1;

/**
 * How long a call waits for the lock before it traps with LOCK_TIMEOUT, by default, in milliseconds. An allocation
 * takes tens of nanoseconds, growing the memory microseconds; `check()`, `stats()` and `walk()` take up to some 0.2 s
 * per million blocks (bench/heap-walk-time.mjs), which a waiting thread must sit out. A shorter timeout tells sooner of
 * a dead thread, at the risk of trapping behind a long check.
 */
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;

/** The longest lock timeout, some 24 days: the modules take it as an i32 (`lock_setup`). */
export const MAX_LOCK_TIMEOUT_MS = 0x7fff_ffff;

export interface LockOptions {
  /**
   * How long, in milliseconds, a call waits for the heap's lock before it traps with LOCK_TIMEOUT, having changed
   * nothing: a whole number from 0 (take the lock only if it is free) to 2^31 - 1. Default 5000.
   */
  lockTimeoutMs?: number;
}

/** Throws a RangeError unless `timeout` is a lock timeout. */
export function requireLockTimeout(timeout: number): void {
  if (!Number.isInteger(timeout) || timeout < 0 || timeout > MAX_LOCK_TIMEOUT_MS) {
    throw new RangeError(`lockTimeoutMs must be a whole number from 0 to ${MAX_LOCK_TIMEOUT_MS}, got ${timeout}`);
  }
}

/** A new tag: an even number from 2 to 2^32 - 2, drawn at random, so that two threads hardly ever share one. */
export function newLockTag(): number {
  const [random = 0] = crypto.getRandomValues(new Uint32Array(1));
  return (random & ~LOCK_WAITING) >>> 0 || 2;
}

/** The lock of the heap at `heapBase` in a shared memory, as one thread (one tag) takes and releases it. */
export class HeapLock {
  /** The tag this lock is held with: an even number other than 0, unique to this object in all likelihood. */
  readonly owner: number;
  /** Milliseconds to wait before giving up. */
  readonly timeoutMs: number;
  private readonly words: Int32Array;
  private readonly index: number;
  /** The owner as the lock word holds it: an i32. */
  private readonly tag: number;
  /** The lock word's byte address, and the two operations of the usual way, through WebAssembly where they can be. */
  private readonly address: number;
  private readonly take: (address: number, tag: number) => number;
  private readonly give: (address: number) => number;
  /** What this thread takes the lock with: its tag, with the bit while a sleeper's waking is put off. */
  private taking: number;
  /** Calls released since a sleeper was last woken, while one sleeps. */
  private deferred = 0;
  /** True after this thread woke a sleeper, which should have the lock next. */
  private woke = false;

  constructor(memory: LinearMemory, heapBase: number, options: LockOptions = {}) {
    const { lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS } = options;
    requireLockTimeout(lockTimeoutMs);
    if (!memory.shared) throw new TypeError("a heap lock is for a heap in a shared memory");
    this.owner = newLockTag();
    this.timeoutMs = lockTimeoutMs;
    // A shared buffer is never detached, so a view made once keeps reaching the header.
    this.words = memory.i32;
    this.index = (heapBase + LOCK_OFFSET) >>> 2;
    this.tag = this.owner | 0;
    this.address = heapBase + LOCK_OFFSET;
    this.taking = this.tag;
    ({ take: this.take, give: this.give } = lockWordOperations(memory));
  }

  /** Takes the lock, waiting for it as long as the timeout allows; else traps with LOCK_TIMEOUT, naming `operation`. */
  acquire(operation: string): void {
    if (this.woke) this.giveWay();
    if (this.take(this.address, this.taking) !== 0) this.contend(operation);
  }

  release(): void {
    if ((this.give(this.address) & LOCK_WAITING) === 0) return;
    // A thread sleeps: it is woken once this thread has had its turn, and until then this one keeps the bit.
    if (++this.deferred < LOCK_BURST) {
      this.taking = this.tag | LOCK_WAITING;
      return;
    }
    this.deferred = 0;
    this.taking = this.tag;
    this.woke = true;
    Atomics.notify(this.words, this.index, 1);
  }

  /** After waking a thread, lets it take the lock first: waits, a while at most, for someone to take it. */
  private giveWay(): void {
    this.woke = false;
    const until = performance.now() + LOCK_GIVE_WAY_MS;
    while (Atomics.load(this.words, this.index) === 0 && performance.now() < until) {}
  }

  /** Step 2 above: the lock was held when `acquire` tried. */
  private contend(operation: string): void {
    const { words, index } = this;
    for (let spin = 0; spin < LOCK_SPINS; spin++) {
      if (Atomics.load(words, index) === 0 && Atomics.compareExchange(words, index, 0, this.taking) === 0) return;
    }
    const waits = mayWait();
    const deadline = performance.now() + this.timeoutMs;
    let slept = false;
    for (;;) {
      const word = Atomics.load(words, index);
      if (word === 0) {
        // A thread that slept takes the lock with the bit, for whoever still sleeps.
        if (Atomics.compareExchange(words, index, 0, slept ? this.tag | LOCK_WAITING : this.taking) === 0) return;
        continue;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw this.timedOut(operation, word);
      if (!waits) continue;
      if ((word & LOCK_WAITING) === 0 && Atomics.compareExchange(words, index, word, word | LOCK_WAITING) !== word) {
        continue;
      }
      slept = true;
      Atomics.wait(words, index, word | LOCK_WAITING, Math.min(left, LOCK_SLEEP_MS));
    }
  }

  private timedOut(operation: string, word: number): AllocationTrap {
    const holder = tagOf(word);
    return new AllocationTrap(
      "LOCK_TIMEOUT",
      `${operation}: the heap's lock was held by the thread with tag ${holder} for all of ${this.timeoutMs} ms; ` +
        "if that thread is dead, breakLock(memory, heapBase, tag) and check() the heap",
    );
  }
}

/** Whether this thread may block in Atomics.wait: everywhere but a browser's main thread. Asked once. */
let waitAllowed: boolean | undefined;

function mayWait(): boolean {
  if (waitAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      waitAllowed = true;
    } catch {
      waitAllowed = false;
    }
  }
  return waitAllowed;
}

/** Whether the thread running this may wait for a lock (false on a browser's main thread), for hosts of modules. */
export function threadMayWait(): boolean {
  return mayWait();
}

function tagOf(word: number): number {
  return (word & ~LOCK_WAITING) >>> 0;
}

function lockIndex(memory: LinearMemory, heapBase: number): number {
  if (heapBase + LOCK_OFFSET + 4 > memory.byteLength) {
    throw new RangeError(`no heap at ${heapBase}: memory ends at ${memory.byteLength}`);
  }
  return (heapBase + LOCK_OFFSET) >>> 2;
}

/** The tag of the thread that holds the lock of the heap at `heapBase`, or 0 when it is free. */
export function lockHolder(source: MemorySource, heapBase: number): number {
  const memory = LinearMemory.wrap(source);
  return tagOf(Atomics.load(memory.i32, lockIndex(memory, heapBase)));
}

/**
 * Releases the lock of the heap at `heapBase` if the thread tagged `holder` holds it, and wakes every waiter: for a
 * program that knows that thread to be dead (a worker that exited or was terminated in the middle of a call). Returns
 * whether it did. The dead thread may have left the heap half changed: `check()` it before going on, and if it fails,
 * give the heap up (or `reset()` it, losing every block). Breaking the lock of a live thread corrupts the heap.
 */
export function breakLock(source: MemorySource, heapBase: number, holder: number): boolean {
  const memory = LinearMemory.wrap(source);
  const words = memory.i32;
  const index = lockIndex(memory, heapBase);
  for (;;) {
    const word = Atomics.load(words, index);
    if (word === 0 || tagOf(word) !== holder) return false;
    if (Atomics.compareExchange(words, index, word, 0) === word) {
      Atomics.notify(words, index);
      return true;
    }
  }
}
