/**
 * The heap lock of src/allocator/lock.ts, in WebAssembly: the same protocol on the same word, the heap header's second
 * u32, so that JavaScript and WebAssembly threads exclude each other on one heap. The protocol is described there.
 *
 * Only the shared builds (assembly/threads/) use it, compiled with `--enable threads`. They import, besides the shared
 * memory, a clock in milliseconds as `env.now` (`performance.now` in JavaScript), by which a thread knows when the
 * lock timeout has passed; and they export `lock_setup`, by which the host sets each instance up, and `lock_owner`.
 */
import { LOCK_OFFSET } from "../generated/heap-header";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  LOCK_BURST,
  LOCK_GIVE_WAY_MS,
  LOCK_SLEEP_MS,
  LOCK_SPINS,
  LOCK_WAITING,
} from "../generated/lock";
import { now } from "./env";
import * as trap from "./trap";

/** The tag this instance holds the lock with: an even number other than 0, naming its thread to the others. */
export let lock_owner: u32 = 2;
/** How long to wait for the lock, in milliseconds, before refusing the call with LOCK_TIMEOUT. */
let timeoutMs: u32 = DEFAULT_LOCK_TIMEOUT_MS;
/** Whether this thread may wait (`memory.atomic.wait32`); where it may not (a browser's main thread), it spins. */
let mayWait: bool = true;

/** The lock word of the heap this instance works on. */
let word: u32 = 0;
/** Whether this instance holds the lock now, so that a trap in the middle of a call can let go of it first. */
let held: bool = false;
/** What this instance takes the lock with: its tag, with the bit while a sleeper's waking is put off. */
let taking: u32 = 2;
/** Calls released since a sleeper was last woken, while one sleeps. */
let deferred: u32 = 0;
/** True after this instance woke a sleeper, which should have the lock next. */
let woke: bool = false;

/**
 * Sets this instance up, before its first call: its tag, an even number other than 0, of its own among the threads
 * (the loader draws one at random; 2 until set); the lock timeout in milliseconds (5000 until set); and whether its
 * thread may wait (1), or must spin (0, a browser's main thread). Not changing the tag while the lock is held.
 */
export function lock_setup(owner: u32, timeout_ms: u32, may_wait: u32): void {
  lock_owner = owner;
  taking = owner;
  timeoutMs = timeout_ms;
  mayWait = may_wait !== 0;
}

/** Works on the lock of the heap at `heapBase` from now on. */
export function bindLock(heapBase: u32): void {
  word = heapBase + LOCK_OFFSET;
}

/**
 * Taking and releasing the lock, as the entry points of the shared builds do: static methods, so that they compile
 * inline, where a call would cost an eighth of an allocation (`@inline` takes no function outside a class for the
 * project's formatter).
 */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods, not functions the formatter reads.
export class HeapLock {
  /** Takes the lock: at once when it is free, else after waiting. False, with LOCK_TIMEOUT stored, when it timed out. */
  @inline static acquire(): bool {
    if (woke) giveWay();
    if (atomic.cmpxchg<u32>(word, 0, taking) && !contend()) return false;
    held = true;
    return true;
  }

  /** Takes the lock, or traps with LOCK_TIMEOUT: for the entry points that have no way to refuse. */
  @inline static acquireOrTrap(): void {
    if (!HeapLock.acquire()) unreachable();
  }

  @inline static release(): void {
    held = false;
    if (atomic.xchg<u32>(word, 0) & LOCK_WAITING) wakeInTurn();
  }

  /** Releases the lock and passes `result` on: the end of an entry point. */
  @inline static releasing(result: u32): u32 {
    HeapLock.release();
    return result;
  }
}

/** Lets go of the lock if this instance holds it: before a trap, which would leave it held for good. */
export function releaseIfHeld(): void {
  if (held) HeapLock.release();
}

/**
 * A thread sleeps: it is woken once this instance has had its turn of LOCK_BURST calls, and until then this one keeps
 * the bit. As in src/allocator/lock.ts, as all that follows.
 */
function wakeInTurn(): void {
  if (++deferred < LOCK_BURST) {
    taking = lock_owner | LOCK_WAITING;
    return;
  }
  deferred = 0;
  taking = lock_owner;
  woke = true;
  atomic.notify(word, 1);
}

/** After waking a thread, lets it take the lock first: waits, a while at most, for someone to take it. */
function giveWay(): void {
  woke = false;
  const until = now() + <f64>LOCK_GIVE_WAY_MS;
  while (!atomic.load<u32>(word) && now() < until) {}
}

/** The lock was held when `acquire` tried: spin, then sleep, until it is had or the timeout has passed. */
function contend(): bool {
  for (let spin: u32 = 0; spin < LOCK_SPINS; spin++) {
    if (!atomic.load<u32>(word) && !atomic.cmpxchg<u32>(word, 0, taking)) return true;
  }
  const deadline = now() + <f64>timeoutMs;
  let slept = false;
  while (true) {
    const seen = atomic.load<u32>(word);
    if (!seen) {
      // A thread that slept takes the lock with the bit, for whoever still sleeps.
      if (!atomic.cmpxchg<u32>(word, 0, slept ? lock_owner | LOCK_WAITING : taking)) return true;
      continue;
    }
    const left = deadline - now();
    if (left <= 0) {
      trap.trap_code = trap.LOCK_TIMEOUT;
      return false;
    }
    if (!mayWait) continue;
    if (!(seen & LOCK_WAITING) && atomic.cmpxchg<u32>(word, seen, seen | LOCK_WAITING) !== seen) continue;
    slept = true;
    // The timeout is in nanoseconds.
    memory.atomic.wait32(word, <i32>(seen | LOCK_WAITING), <i64>(min(left, <f64>LOCK_SLEEP_MS) * 1e6));
  }
}
