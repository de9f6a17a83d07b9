/**
 * Loads an allocator module onto a memory:
 *
 *     const heap = await loadAllocator("arena", memory, { heapBase: 1024 });   // a new heap
 *     const same = await loadAllocator.attach("arena", memory, 1024);          // the heap already there
 *
 * Each call makes a new instance of the module (compiled once), bound to one heap, and returns it as an `Allocator`
 * with the same contract and trap codes as the TypeScript build. The memory must be a `WebAssembly.Memory` (or a
 * `LinearMemory` wrapping one), since the module imports it.
 */
import { type AllocatorOptions, type BlockAllocator, DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { requireHeapBase } from "../allocator/heap-header.js";
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import type { WebAssemblyMemory } from "../webassembly-types.js";
import { type AllocatorExports, allocatorExports } from "./abi.js";
import { type AllocatorModuleName, allocatorModule, requireModuleName } from "./modules.js";
import { translateTrap } from "./traps.js";
import { TYPESCRIPT_TWINS } from "./twins.js";
import { WasmAllocator } from "./wasm-allocator.js";

export interface LoadAllocator {
  /** Instantiates the module `name` on `memory` and lays out a new, empty heap at `options.heapBase` (default 8). */
  <N extends AllocatorModuleName>(name: N, memory: MemorySource, options?: AllocatorOptions): Promise<WasmAllocator>;
  /** Instantiates the module `name` on `memory`, bound to the heap at `heapBase` as it is, after checking it. */
  attach<N extends AllocatorModuleName>(name: N, memory: MemorySource, heapBase: number): Promise<WasmAllocator>;
}

async function create<N extends AllocatorModuleName>(
  name: N,
  source: MemorySource,
  options: AllocatorOptions = {},
): Promise<WasmAllocator> {
  requireModuleName(name);
  const heapBase = options.heapBase ?? DEFAULT_HEAP_BASE;
  requireHeapBase(heapBase);
  const memory = importableMemory(source);
  return initHeap(name, memory, await instantiateAllocator(name, memory), heapBase);
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
): WasmAllocator {
  requireHeapBase(heapBase);
  try {
    exports.init(heapBase);
  } catch (error) {
    throw translateTrap(error, exports.trap_code, name, `init(${heapBase})`, () =>
      TYPESCRIPT_TWINS[name](memory, { heapBase }),
    );
  }
  return bind(name, memory, heapBase, exports, TYPESCRIPT_TWINS[name].attach(memory, heapBase));
}

async function attach<N extends AllocatorModuleName>(
  name: N,
  source: MemorySource,
  heapBase: number,
): Promise<WasmAllocator> {
  requireModuleName(name);
  requireHeapBase(heapBase);
  const memory = importableMemory(source);
  // The twin checks the heap before the module is trusted with it.
  const twin = TYPESCRIPT_TWINS[name].attach(memory, heapBase);
  const exports = await instantiateAllocator(name, memory);
  exports.attach(heapBase);
  return bind(name, memory, heapBase, exports, twin);
}

export const loadAllocator: LoadAllocator = Object.assign(create, { attach });

/** A memory an allocator module can import: a WebAssembly.Memory, wrapped. */
export function importableMemory(source: MemorySource): LinearMemory & { memory: WebAssemblyMemory } {
  const memory = LinearMemory.wrap(source);
  if (memory.memory === null) {
    throw new TypeError("an allocator module imports its memory: give it a WebAssembly.Memory, not a plain buffer");
  }
  if (memory.shared) throw new TypeError("allocator modules do not take shared memories yet");
  return memory as LinearMemory & { memory: WebAssemblyMemory };
}

/** A new instance of an allocator module on `memory`, before it has a heap. */
export async function instantiateAllocator(
  name: AllocatorModuleName,
  memory: LinearMemory & { memory: WebAssemblyMemory },
): Promise<AllocatorExports> {
  const instance = await WebAssembly.instantiate(await allocatorModule(name), { env: { memory: memory.memory } });
  return allocatorExports(instance, name);
}

/** The allocator for an instance bound to its heap, with the twin attached to the same heap. */
function bind(
  name: AllocatorModuleName,
  memory: LinearMemory,
  heapBase: number,
  exports: AllocatorExports,
  twin: BlockAllocator,
): WasmAllocator {
  return new WasmAllocator(name, memory, heapBase, exports, twin);
}
