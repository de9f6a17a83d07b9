/**
 * One heap used through two allocators, each call going to the one the next choice names: the TypeScript and the
 * WebAssembly build of one allocator, or two allocators standing for two threads.
 */
import { type Allocator, AllocatorBase, type BlockAllocator, type HeapStats } from "../../src/allocator/contract.js";
import type { LinearMemory } from "../../src/memory/linear-memory.js";

export class Alternating extends AllocatorBase {
  readonly name = "alternating";
  readonly memory: LinearMemory;
  readonly heapBase: number;
  private turn = 0;

  constructor(
    private readonly sides: readonly [Allocator, Allocator],
    private readonly choices: readonly boolean[],
  ) {
    super();
    this.memory = sides[0].memory;
    this.heapBase = sides[0].heapBase;
  }

  allocate(size: number, align?: number): number {
    return this.next().allocate(size, align);
  }

  free(ptr: number): void {
    this.next().free(ptr);
  }

  reallocate(ptr: number, size: number): number {
    return (this.next() as BlockAllocator).reallocate(ptr, size);
  }

  reset(): void {
    this.next().reset();
  }

  stats(): HeapStats {
    return this.sides[0].stats();
  }

  /** Both sides must accept the heap. */
  check(): void {
    this.sides[0].check();
    this.sides[1].check();
  }

  private next(): Allocator {
    const choice = this.choices[this.turn++ % this.choices.length];
    return this.sides[choice ? 1 : 0];
  }
}
