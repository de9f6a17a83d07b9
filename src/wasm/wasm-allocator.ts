/**
 * An allocator module seen through the `BlockAllocator` contract: allocation, freeing and resizing go into the module,
 * and a refusal comes back as the AllocationTrap the TypeScript build throws for the same call, in the same words
 * (traps.ts). Allocations use the C family, whose refusals return 0, so that a refused call costs no exception inside
 * WebAssembly.
 *
 * The module's TypeScript twin is attached to the same heap and answers `check()`, `stats()` and `walk()`: both builds
 * keep the heap in one format, so either may read it at any time. On a shared memory, the module (its shared build)
 * and the twin take the heap's lock alike.
 *
 * Numbers cross into WebAssembly as u32, so a size, alignment or pointer that is not one would arrive truncated; those
 * are refused here, as the TypeScript build refuses them, and so is what the C family accepts but the contract does
 * not (an alignment of 1, 2 or 4, a usable size of 0): a pointer goes to the twin, which refuses it in its words and
 * changes nothing. The module checks everything else.
 */
import { AllocatorBase, type BlockAllocator, type BlockInfo, type HeapStats } from "../allocator/contract.js";
import { ALIGNMENT, requireAlignment, requireSize } from "../allocator/size.js";
import type { LinearMemory } from "../memory/linear-memory.js";
import type { AllocatorExports, SharedAllocatorExports } from "./abi.js";
import { refusal, translateTrap } from "./traps.js";

/** True when a number reaches WebAssembly unchanged as an i32 meaning u32. */
function isU32(value: number): boolean {
  return value >>> 0 === value;
}

export class WasmAllocator extends AllocatorBase implements BlockAllocator {
  /**
   * The instance's exports, to hand to another module as its allocator: a program that imports these shares the heap
   * with this object.
   */
  readonly exports: AllocatorExports;
  /** The instance's tag in the heap's lock word, for the shared build; 0 for the unshared one. */
  readonly #lockOwner: number;

  /** Made by `loadAllocator`, after the module's instance has been given its heap. */
  constructor(
    readonly name: string,
    readonly memory: LinearMemory,
    readonly heapBase: number,
    exports: AllocatorExports,
    private readonly twin: BlockAllocator,
  ) {
    super();
    this.exports = exports;
    const owner = (exports as Partial<SharedAllocatorExports>).lock_owner;
    this.#lockOwner = owner === undefined ? 0 : (owner.value as number) >>> 0;
  }

  override get lockOwner(): number {
    return this.#lockOwner;
  }

  allocate(size: number, align: number = ALIGNMENT): number {
    if (align !== ALIGNMENT) return this.allocateAligned(size, align);
    // requireSize throws for every number that is not a u32.
    if (!isU32(size)) requireSize(size, "allocate");
    const ptr = this.exports.malloc(size);
    if (ptr === 0) throw this.refused(`allocate(${size})`, () => this.twin.allocate(size));
    return ptr >>> 0;
  }

  free(ptr: number): void {
    if (!isU32(ptr)) {
      this.twin.free(ptr);
      return;
    }
    try {
      this.exports.free(ptr);
    } catch (error) {
      throw this.translate(error, `free(${ptr})`, () => this.twin.free(ptr));
    }
  }

  reallocate(ptr: number, size: number): number {
    if (ptr === 0) return this.allocate(size);
    if (!isU32(size)) requireSize(size, "reallocate");
    if (!isU32(ptr)) return this.twin.reallocate(ptr, size);
    let moved: number;
    try {
      moved = this.exports.realloc(ptr, size);
    } catch (error) {
      throw this.translate(error, `reallocate(${ptr}, ${size})`, () => this.twin.reallocate(ptr, size));
    }
    if (moved === 0) throw this.refused(`reallocate(${ptr}, ${size})`, () => this.twin.reallocate(ptr, size));
    return moved >>> 0;
  }

  usableSize(ptr: number): number {
    if (!isU32(ptr) || ptr === 0) return this.twin.usableSize(ptr);
    try {
      return this.exports.malloc_usable_size(ptr) >>> 0;
    } catch (error) {
      throw this.translate(error, `usableSize(${ptr})`, () => this.twin.usableSize(ptr));
    }
  }

  reset(): void {
    try {
      this.exports.reset_memory();
    } catch (error) {
      // Only a shared build refuses a reset, as LOCK_TIMEOUT, which is not asked of the twin.
      throw this.translate(error, "reset()", () => {});
    }
  }

  walk(visit: (block: BlockInfo) => void): void {
    this.twin.walk(visit);
  }

  stats(): HeapStats {
    return this.twin.stats();
  }

  check(): void {
    this.twin.check();
  }

  private allocateAligned(size: number, align: number): number {
    // The contract's checks, in its order, for what the module would not see as the caller gave it.
    if (!isU32(size) || !isU32(align) || align < ALIGNMENT) {
      requireSize(size, "allocate");
      requireAlignment(align, "allocate");
    }
    const ptr = this.exports.aligned_alloc(align, size);
    if (ptr === 0) throw this.refused(`allocate(${size}, ${align})`, () => this.twin.allocate(size, align));
    return ptr >>> 0;
  }

  /** The error for a call of the C family that returned 0: the refusal, as the twin words it for the same call. */
  private refused(call: string, sameCallOnTwin: () => unknown): unknown {
    return refusal(this.exports.trap_code, this.name, call, sameCallOnTwin);
  }

  /** The error to throw for one out of the module: a refusal, as the twin words it for the same call. */
  private translate(error: unknown, call: string, sameCallOnTwin: () => unknown): unknown {
    return translateTrap(error, this.exports.trap_code, this.name, call, sameCallOnTwin);
  }
}
