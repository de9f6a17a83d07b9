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
import {
  type Allocator,
  type AllocatorOptions,
  type BlockAllocator,
  DEFAULT_HEAP_BASE,
} from "../allocator/contract.js";
import { requireHeapBase } from "../allocator/heap-header.js";
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import { type AllocatorExports, allocatorExports } from "./abi.js";
import { type AllocatorModuleName, allocatorModule, requireModuleName } from "./modules.js";
import { translateTrap } from "./traps.js";
import { type TwinOf, TYPESCRIPT_TWINS } from "./twins.js";
import { isBlockAllocator, WasmAllocator, WasmBlockAllocator } from "./wasm-allocator.js";

/** What `loadAllocator` gives for a module: a block allocator when its twin is one. */
export type WasmAllocatorOf<N extends AllocatorModuleName> =
  TwinOf<N> extends BlockAllocator ? WasmBlockAllocator : WasmAllocator;

export interface LoadAllocator {
  /** Instantiates the module `name` on `memory` and lays out a new, empty heap at `options.heapBase` (default 8). */
  <N extends AllocatorModuleName>(
    name: N,
    memory: MemorySource,
    options?: AllocatorOptions,
  ): Promise<WasmAllocatorOf<N>>;
  /** Instantiates the module `name` on `memory`, bound to the heap at `heapBase` as it is, after checking it. */
  attach<N extends AllocatorModuleName>(name: N, memory: MemorySource, heapBase: number): Promise<WasmAllocatorOf<N>>;
}

async function create<N extends AllocatorModuleName>(
  name: N,
  source: MemorySource,
  options: AllocatorOptions = {},
): Promise<WasmAllocatorOf<N>> {
  requireModuleName(name);
  const heapBase = options.heapBase ?? DEFAULT_HEAP_BASE;
  requireHeapBase(heapBase);
  const memory = importableMemory(source);
  const exports = await instantiate(name, memory);
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
): Promise<WasmAllocatorOf<N>> {
  requireModuleName(name);
  requireHeapBase(heapBase);
  const memory = importableMemory(source);
  // The twin checks the heap before the module is trusted with it.
  const twin = TYPESCRIPT_TWINS[name].attach(memory, heapBase);
  const exports = await instantiate(name, memory);
  exports.attach(heapBase);
  return bind(name, memory, heapBase, exports, twin);
}

export const loadAllocator: LoadAllocator = Object.assign(create, { attach });

function importableMemory(source: MemorySource): LinearMemory & { memory: WebAssembly.Memory } {
  const memory = LinearMemory.wrap(source);
  if (memory.memory === null) {
    throw new TypeError("an allocator module imports its memory: give it a WebAssembly.Memory, not a plain buffer");
  }
  if (memory.shared) throw new TypeError("allocator modules do not take shared memories yet");
  return memory as LinearMemory & { memory: WebAssembly.Memory };
}

async function instantiate(
  name: AllocatorModuleName,
  memory: LinearMemory & { memory: WebAssembly.Memory },
): Promise<AllocatorExports> {
  const instance = await WebAssembly.instantiate(await allocatorModule(name), { env: { memory: memory.memory } });
  return allocatorExports(instance, name);
}

/** The allocator for an instance bound to its heap, with the twin attached to the same heap. */
function bind<N extends AllocatorModuleName>(
  name: N,
  memory: LinearMemory,
  heapBase: number,
  exports: AllocatorExports,
  twin: Allocator,
): WasmAllocatorOf<N> {
  const allocator = isBlockAllocator(twin)
    ? new WasmBlockAllocator(name, memory, heapBase, exports, twin)
    : new WasmAllocator(name, memory, heapBase, exports, twin);
  return allocator as WasmAllocatorOf<N>;
}
