/**
 * The two atomic operations a lock takes and releases with, for JavaScript: a compare-and-swap of the lock word from 0
 * to a tag, and an exchange of it with 0. On a shared WebAssembly.Memory they run in a WebAssembly module of two
 * functions, instantiated on that memory: the same instructions cost less in a call to WebAssembly than in `Atomics`,
 * which is not compiled inline in Node 20 (bench/lock-cost.mjs times both). On a SharedArrayBuffer, which no module
 * can import, they are `Atomics`.
 */
import type { LinearMemory } from "../memory/linear-memory.js";

/** The module, in WebAssembly text. LOCK_WORD_BYTES holds what wabt's wat2wasm makes of it, as a test checks. */
export const LOCK_WORD_TEXT = `(module
  (import "env" "memory" (memory 0 65536 shared))
  (func (export "take") (param i32 i32) (result i32)
    (i32.atomic.rmw.cmpxchg (local.get 0) (i32.const 0) (local.get 1)))
  (func (export "give") (param i32) (result i32)
    (i32.atomic.rmw.xchg (local.get 0) (i32.const 0))))`;

/** The module's 91 bytes, base64. */
export const LOCK_WORD_BYTES =
  "AGFzbQEAAAABDAJgAn9/AX9gAX8BfwISAQNlbnYGbWVtb3J5AgMAgIAEAwMCAAEHDwIEdGFrZQAABGdpdmUAAQoZAgwAIABBACAB/kgCAAsKACAAQQD+QQIACw==";

export interface LockWordOperations {
  /** Compare-and-swap the word at byte `address` from 0 to `tag`; returns the value it had. */
  take(address: number, tag: number): number;
  /** Exchange the word at byte `address` with 0; returns the value it had. */
  give(address: number): number;
}

let compiled: WebAssembly.Module | undefined;
/** One instance per memory, shared by every lock in it. */
const instances = new WeakMap<WebAssembly.Memory, LockWordOperations>();

/** The operations for the lock words of a shared memory. */
export function lockWordOperations(memory: LinearMemory): LockWordOperations {
  const wasm = memory.memory;
  if (wasm === null) {
    const words = memory.i32;
    return {
      take: (address, tag) => Atomics.compareExchange(words, address >>> 2, 0, tag),
      give: (address) => Atomics.exchange(words, address >>> 2, 0),
    };
  }
  let operations = instances.get(wasm);
  if (operations === undefined) {
    compiled ??= new WebAssembly.Module(Uint8Array.from(atob(LOCK_WORD_BYTES), (char) => char.charCodeAt(0)));
    operations = new WebAssembly.Instance(compiled, { env: { memory: wasm } }).exports as unknown as LockWordOperations;
    instances.set(wasm, operations);
  }
  return operations;
}
