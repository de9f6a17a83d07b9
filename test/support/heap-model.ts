/**
 * A model of what a heap must keep, for property tests of any allocator: the live blocks, each filled with a pattern
 * of its own. Every operation goes through the allocator and then through the model, which asserts the contract:
 * non-zero, aligned pointers inside memory, no two live blocks overlapping, every live block's bytes unchanged by
 * what happened to the others, and `check()` passing.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Allocator, BlockAllocator, BlockInfo } from "../../src/allocator/contract.js";
import { AllocationTrap, type TrapCode } from "../../src/allocator/errors.js";
import { ALIGNMENT, MAX_ALLOCATION } from "../../src/allocator/size.js";

interface LiveBlock {
  ptr: number;
  size: number;
  seed: number;
}

/** Blocks up to this size get every byte patterned; larger ones a sample, so that 1 GiB blocks stay cheap. */
const FULL_PATTERN_LIMIT = 4096;
const SAMPLE_EDGE = 256;
const SAMPLE_STRIDE = 65521;

/** The offsets of a block that carry its pattern. */
function* patternOffsets(size: number): Generator<number> {
  if (size <= FULL_PATTERN_LIMIT) {
    for (let i = 0; i < size; i++) yield i;
    return;
  }
  for (let i = 0; i < SAMPLE_EDGE; i++) yield i;
  for (let i = SAMPLE_EDGE; i < size - SAMPLE_EDGE; i += SAMPLE_STRIDE) yield i;
  for (let i = size - SAMPLE_EDGE; i < size; i++) yield i;
}

function patternByte(seed: number, offset: number): number {
  return (seed * 131 + offset * 7 + (offset >>> 8)) & 0xff;
}

export class HeapModel {
  readonly live: LiveBlock[] = [];
  private seeds = 1;

  constructor(readonly allocator: Allocator) {}

  allocate(size: number, align?: number): number {
    const ptr = align === undefined ? this.allocator.allocate(size) : this.allocator.allocate(size, align);
    this.adopt(ptr, size, align ?? ALIGNMENT);
    return ptr;
  }

  free(ptr: number): void {
    const index = this.indexOf(ptr);
    this.verify(this.live[index] as LiveBlock);
    this.allocator.free(ptr);
    this.live.splice(index, 1);
  }

  reallocate(ptr: number, size: number): number {
    const index = this.indexOf(ptr);
    const block = this.live[index] as LiveBlock;
    this.verify(block);
    const moved = (this.allocator as BlockAllocator).reallocate(ptr, size);
    this.live.splice(index, 1);
    // The bytes up to the smaller size come along; the pattern is then rewritten over the whole new size. Only the
    // offsets the old block was patterned at are known: a large block carries a sample.
    const u8 = this.allocator.memory.u8;
    for (const offset of patternOffsets(block.size)) {
      if (offset >= size) break;
      expect(u8[moved + offset], `byte ${offset} of block ${ptr} moved to ${moved}`).toBe(
        patternByte(block.seed, offset),
      );
    }
    this.adopt(moved, size, ALIGNMENT);
    return moved;
  }

  reset(): void {
    this.allocator.reset();
    this.live.length = 0;
  }

  /** Asserts that the heap passes its own check and that every live block keeps its bytes. */
  verifyAll(): void {
    this.allocator.check();
    for (const block of this.live) this.verify(block);
  }

  /** The live block at a position chosen by a generated number, or undefined when there are none. */
  pick(choice: number): LiveBlock | undefined {
    return this.live.length === 0 ? undefined : this.live[choice % this.live.length];
  }

  private adopt(ptr: number, size: number, align: number): void {
    expect(ptr, "pointer").not.toBe(0);
    expect(ptr % align, `pointer ${ptr} aligned to ${align}`).toBe(0);
    expect(ptr + size, `block ${ptr}+${size} inside memory`).toBeLessThanOrEqual(this.allocator.memory.byteLength);
    const extent = Math.max(size, 1);
    for (const other of this.live) {
      const overlaps = ptr < other.ptr + Math.max(other.size, 1) && other.ptr < ptr + extent;
      expect(overlaps, `block ${ptr}+${size} overlaps live block ${other.ptr}+${other.size}`).toBe(false);
    }
    const block = { ptr, size, seed: this.seeds++ };
    const u8 = this.allocator.memory.u8;
    for (const offset of patternOffsets(size)) u8[ptr + offset] = patternByte(block.seed, offset);
    this.live.push(block);
  }

  private verify(block: LiveBlock): void {
    const u8 = this.allocator.memory.u8;
    for (const offset of patternOffsets(block.size)) {
      if (u8[block.ptr + offset] !== patternByte(block.seed, offset)) {
        expect.fail(`byte ${offset} of live block ${block.ptr}+${block.size} changed`);
      }
    }
  }

  private indexOf(ptr: number): number {
    const index = this.live.findIndex((block) => block.ptr === ptr);
    expect(index, `${ptr} is a live block`).toBeGreaterThanOrEqual(0);
    return index;
  }
}

/** One step of a generated workload. `pick` chooses a live block by position. */
export type HeapOperation =
  | { kind: "allocate"; size: number; align?: number }
  | { kind: "free"; pick: number }
  | { kind: "reallocate"; pick: number; size: number }
  | { kind: "reset" };

/** Sizes that matter to allocators: tiny, small, medium, and just around powers of two. */
export const sizes: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 64 }),
  fc.integer({ min: 0, max: 4096 }),
  fc.integer({ min: 3, max: 20 }).chain((k) => fc.integer({ min: Math.max(0, 2 ** k - 9), max: 2 ** k + 9 })),
);

/** Alignments `allocate(size, align)` accepts, weighted toward the common ones. */
export const alignments: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(8, 16),
  fc.integer({ min: 3, max: 16 }).map((k) => 2 ** k),
);

export interface WorkloadOptions {
  /** Include `allocate(size, align)` steps. */
  aligned?: boolean;
  /** Include `reallocate` steps (for a BlockAllocator). */
  reallocate?: boolean;
  maxLength?: number;
}

export function workloads(options: WorkloadOptions = {}): fc.Arbitrary<HeapOperation[]> {
  const operations: fc.Arbitrary<HeapOperation>[] = [
    sizes.map((size) => ({ kind: "allocate" as const, size })),
    sizes.map((size) => ({ kind: "allocate" as const, size })),
    fc.nat().map((pick) => ({ kind: "free" as const, pick })),
    fc.constant({ kind: "reset" as const }),
  ];
  if (options.aligned) {
    operations.push(fc.record({ kind: fc.constant("allocate" as const), size: sizes, align: alignments }));
  }
  if (options.reallocate) {
    operations.push(fc.record({ kind: fc.constant("reallocate" as const), pick: fc.nat(), size: sizes }));
  }
  return fc.array(fc.oneof(...operations), { maxLength: options.maxLength ?? 60 });
}

/** Sizes near the 1 GiB limit, for a few steps of their own: memory grows to match. */
export const hugeSizes: fc.Arbitrary<number> = fc.integer({ min: MAX_ALLOCATION - 4096, max: MAX_ALLOCATION });

/** Runs a workload through the model, verifying the whole heap after every step. */
export function runWorkload(model: HeapModel, workload: readonly HeapOperation[]): void {
  for (const step of workload) {
    switch (step.kind) {
      case "allocate":
        model.allocate(step.size, step.align);
        break;
      case "free": {
        const block = model.pick(step.pick);
        if (block !== undefined) model.free(block.ptr);
        break;
      }
      case "reallocate": {
        const block = model.pick(step.pick);
        if (block !== undefined) model.reallocate(block.ptr, step.size);
        break;
      }
      case "reset":
        model.reset();
        break;
    }
    model.verifyAll();
  }
}

/** A copy of every byte of memory, to show that a refused call changed nothing. */
export function snapshot(allocator: Allocator): Uint8Array {
  return allocator.memory.u8.slice();
}

/**
 * Asserts that `call` is refused with an AllocationTrap of `code`, and that the refusal changed nothing: the memory
 * has the same size and bytes, and the heap still passes its check.
 */
export function expectRefused(allocator: Allocator, call: () => unknown, code: TrapCode): AllocationTrap {
  const before = snapshot(allocator);
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a ${code} trap`).toBeInstanceOf(AllocationTrap);
  expect(caught).toBeInstanceOf(WebAssembly.RuntimeError);
  expect((caught as AllocationTrap).code).toBe(code);
  const after = allocator.memory.u8;
  expect(after.length, "memory size after a refused call").toBe(before.length);
  expect(Buffer.compare(after, before), "memory bytes after a refused call").toBe(0);
  allocator.check();
  return caught as AllocationTrap;
}

/** The blocks `walk()` reports, in its order. */
export function walked(allocator: BlockAllocator): BlockInfo[] {
  const blocks: BlockInfo[] = [];
  allocator.walk((block) => blocks.push(block));
  return blocks;
}
