/**
 * A contender: an allocator the benchmark measures, linmem's own or a peer. It is loaded once (a module, a WebAssembly
 * build) and then makes empty heaps: one for the verified run, one for the timed runs, which reset it before each
 * (entrant.ts), so that every run starts from the same state.
 */
import type { Allocator, AllocatorOptions } from "../allocator/contract.js";
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import { type Heap, heapOf } from "../trace/heap.js";
import { loadAllocator } from "../wasm/loader.js";
import type { AllocatorModuleName } from "../wasm/modules.js";
import type { Requirement } from "./requirement.js";

/** What a workload will ask of a heap, for heaps that must be sized in advance. */
export interface HeapNeeds {
  /** The most bytes live at once. */
  peakLiveBytes: number;
  /** Bytes asked for over the whole run. */
  bytesAllocated: number;
}

/** Makes a new, empty heap (at once, or after instantiating a WebAssembly module). */
export type HeapMaker = (needs: HeapNeeds) => Heap | Promise<Heap>;

export interface Contender {
  /** The name to select it by: "tlsf", "thi.ng". */
  readonly name: string;
  /** What it is, for reports. */
  readonly description: string;
  /** linmem's own allocators, or peers measured for comparison. */
  readonly origin: "linmem" | "peer";
  /** False for a heap that never reuses memory (an arena): it runs only workloads whose every byte fits in memory. */
  readonly reusesMemory: boolean;
  /**
   * What it needs beyond the package (requirement.ts), checked before it is listed or loaded: where one is not met,
   * the contender is not available here. None for linmem's own.
   */
  readonly requires: readonly Requirement[];
  /** Loads what the contender needs, once its requirements are met. */
  load(): Promise<HeapMaker>;
}

/**
 * Anything that makes a linmem heap in a memory: `arena`, `tlsf`, `buddy`, or a WebAssembly build through
 * `loadAllocator`.
 */
export type AllocatorMaker = (memory: MemorySource, options?: AllocatorOptions) => Allocator | Promise<Allocator>;

/**
 * One of linmem's allocators, from its factory. Each heap gets a memory of its own, starting at one page and growing
 * as the allocator asks.
 */
export function linmemAllocator(
  name: string,
  description: string,
  factory: AllocatorMaker,
  options: { reusesMemory?: boolean } = {},
): Contender {
  return {
    name,
    description,
    origin: "linmem",
    reusesMemory: options.reusesMemory ?? true,
    requires: [],
    async load() {
      return async () => heapOf(await factory(LinearMemory.create()));
    },
  };
}

/**
 * One of linmem's allocator modules, as `<module>-wasm`, or `<module>-wasm-fast` for its fast build: an instance of the
 * module on each heap's memory.
 */
export function linmemModule(
  module: AllocatorModuleName,
  description: string,
  options: { reusesMemory?: boolean; fast?: boolean } = {},
): Contender {
  const fast = options.fast === true;
  return linmemAllocator(
    `${module}-wasm${fast ? "-fast" : ""}`,
    description,
    (memory) => loadAllocator(module, memory, { fast }),
    options,
  );
}
