/**
 * Loads an allocator module onto a memory:
 *
 *     const heap = await loadAllocator("arena", memory, { heapBase: 1024 });   // a new heap
 *     const same = await loadAllocator.attach("arena", memory, 1024);          // the heap already there
 *
 * Each call makes a new instance of the module (compiled once), bound to one heap, and returns it as an `Allocator`
 * with the same contract and trap codes as the TypeScript build. The memory must be a `WebAssembly.Memory` (or a
 * `LinearMemory` wrapping one), since the module imports it. For a shared memory, the instance is of the module's
 * shared build, which takes the heap's lock for every call, with a tag of its own and the lock timeout given
 * (`lockTimeoutMs`); each thread loads an instance of its own. On an unshared memory, `fast: true` loads the module's
 * fast build, compiled for speed (modules.ts), which keeps the same heap.
 */
import { type AllocatorOptions, DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { requireHeapBase } from "../allocator/heap-header.js";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  type LockOptions,
  newLockTag,
  requireLockTimeout,
  threadMayWait,
} from "../allocator/lock.js";
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import type { WebAssemblyMemory } from "../webassembly-types.js";
import { type AllocatorExports, allocatorExports, sharedAllocatorExports } from "./abi.js";
import { type AllocatorModuleName, allocatorModule, requireModuleName } from "./modules.js";
import { translateTrap } from "./traps.js";
import { TYPESCRIPT_TWINS } from "./twins.js";
import { WasmAllocator } from "./wasm-allocator.js";

/** Which build of a module to load. */
export interface ModuleLoadOptions {
  /** The fast build, compiled for speed: for an unshared memory only. Default false, the build compiled for size. */
  fast?: boolean;
}

export interface LoadAllocator {
  /** Instantiates the module `name` on `memory` and lays out a new, empty heap at `options.heapBase` (default 8). */
  <N extends AllocatorModuleName>(
    name: N,
    memory: MemorySource,
    options?: AllocatorOptions & ModuleLoadOptions,
  ): Promise<WasmAllocator>;
  /** Instantiates the module `name` on `memory`, bound to the heap at `heapBase` as it is, after checking it. */
  attach<N extends AllocatorModuleName>(
    name: N,
    memory: MemorySource,
    heapBase: number,
    options?: LockOptions & ModuleLoadOptions,
  ): Promise<WasmAllocator>;
}

async function create<N extends AllocatorModuleName>(
  name: N,
  source: MemorySource,
  options: AllocatorOptions & ModuleLoadOptions = {},
): Promise<WasmAllocator> {
  requireModuleName(name);
  const heapBase = options.heapBase ?? DEFAULT_HEAP_BASE;
  requireHeapBase(heapBase);
  requireLockOptions(options);
  const memory = importableMemory(source);
  return initHeap(name, memory, await instantiateAllocator(name, memory, options), heapBase, options);
}

/**
 * Lays out a new heap at `heapBase` with an instance made by instantiateAllocator, and returns it as an allocator: the
 * last step of loading, which a host that must instantiate other modules first (linkProgram) takes later.
 */
export function initHeap(
  name: AllocatorModuleName,
  memory: LinearMemory,
  exports: AllocatorExports,
  heapBase: number,
  options: LockOptions = {},
): WasmAllocator {
  requireHeapBase(heapBase);
  try {
    exports.init(heapBase);
  } catch (error) {
    throw translateTrap(error, exports.trap_code, name, `init(${heapBase})`, () =>
      TYPESCRIPT_TWINS[name](memory, { heapBase }),
    );
  }
  return new WasmAllocator(name, memory, heapBase, exports, TYPESCRIPT_TWINS[name].attach(memory, heapBase, options));
}

async function attach<N extends AllocatorModuleName>(
  name: N,
  source: MemorySource,
  heapBase: number,
  options: LockOptions & ModuleLoadOptions = {},
): Promise<WasmAllocator> {
  requireModuleName(name);
  requireHeapBase(heapBase);
  requireLockOptions(options);
  const memory = importableMemory(source);
  // The twin checks the heap (under its lock, if shared) before the module is trusted with it.
  const twin = TYPESCRIPT_TWINS[name].attach(memory, heapBase, options);
  const exports = await instantiateAllocator(name, memory, options);
  exports.attach(heapBase);
  return new WasmAllocator(name, memory, heapBase, exports, twin);
}

export const loadAllocator: LoadAllocator = Object.assign(create, { attach });

/** A memory an allocator module can import: a WebAssembly.Memory, shared or not, wrapped. */
export function importableMemory(source: MemorySource): LinearMemory & { memory: WebAssemblyMemory } {
  const memory = LinearMemory.wrap(source);
  if (memory.memory === null) {
    throw new TypeError("an allocator module imports its memory: give it a WebAssembly.Memory, not a plain buffer");
  }
  return memory as LinearMemory & { memory: WebAssemblyMemory };
}

/**
 * A new instance of an allocator module on `memory`, before it has a heap: of the shared build on a shared memory, set
 * up with a tag of its own, the lock timeout, and whether this thread may wait; of the fast build when asked. A
 * RangeError for the fast build on a shared memory, which has none.
 */
export async function instantiateAllocator(
  name: AllocatorModuleName,
  memory: LinearMemory & { memory: WebAssemblyMemory },
  options: LockOptions & ModuleLoadOptions = {},
): Promise<AllocatorExports> {
  const shared = memory.shared;
  const build = await allocatorModule(name, { shared, fast: options.fast === true });
  const env = shared ? { memory: memory.memory, now: () => performance.now() } : { memory: memory.memory };
  const instance = await WebAssembly.instantiate(build, { env });
  if (!shared) return allocatorExports(instance, name);
  const exports = sharedAllocatorExports(instance, name);
  exports.lock_setup(newLockTag(), options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, threadMayWait() ? 1 : 0);
  return exports;
}

function requireLockOptions(options: LockOptions): void {
  if (options.lockTimeoutMs !== undefined) requireLockTimeout(options.lockTimeoutMs);
}
