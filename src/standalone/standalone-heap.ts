/**
 * A heap ready on import, as `import "allocator/tlsf"` (or arena, or buddy) gave a program in the original memory
 * model: a memory of its own, starting at one page and growing as the heap needs, and a heap that begins right after
 * the 8-byte null-pointer reserve, reached through the model's three functions.
 */
import { type Allocator, type AllocatorFactory, DEFAULT_HEAP_BASE } from "../allocator/contract.js";
import { LinearMemory } from "../memory/linear-memory.js";

export interface StandaloneHeap<A extends Allocator> {
  /** The memory the heap lives in. */
  readonly memory: LinearMemory;
  /** Where the heap begins. */
  readonly HEAP_BASE: number;
  /** The allocator behind the three functions, for everything else it offers: `stats()`, `check()`, ... */
  readonly allocator: A;
  allocate_memory(size: number): number;
  free_memory(ptr: number): void;
  reset_memory(): void;
}

export function standaloneHeap<A extends Allocator>(factory: AllocatorFactory<A>): StandaloneHeap<A> {
  const memory = LinearMemory.create();
  const allocator = factory(memory, { heapBase: DEFAULT_HEAP_BASE });
  return {
    memory,
    HEAP_BASE: DEFAULT_HEAP_BASE,
    allocator,
    allocate_memory: (size) => allocator.allocate(size),
    free_memory: (ptr) => allocator.free(ptr),
    reset_memory: () => allocator.reset(),
  };
}
