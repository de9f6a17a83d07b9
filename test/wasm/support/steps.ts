/**
 * Random operation sequences for running two allocators in lockstep, bad calls included: sizes beyond the limit or not
 * integers, alignments that are not powers of two, pointers never handed out. Whatever one build does with a step,
 * refusing it included, the other must do too.
 */
import fc from "fast-check";
import { MAX_ALLOCATION } from "../../../src/allocator/size.js";
import { alignments, sizes } from "../../support/heap-model.js";
import type { Lockstep } from "./lockstep.js";

export type Step =
  | { kind: "allocate"; size: number; align?: number }
  | { kind: "free"; pick: number }
  | { kind: "free-any"; ptr: number }
  | { kind: "free-near"; pick: number; offset: number }
  | { kind: "reallocate"; pick: number; size: number }
  | { kind: "reset" };

/** Sizes a caller may pass, valid or not. */
const anySizes: fc.Arbitrary<number> = fc.oneof(
  { weight: 8, arbitrary: sizes },
  { weight: 1, arbitrary: fc.integer({ min: MAX_ALLOCATION - 64, max: 0xffff_ffff }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, -8, 2.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, 2 ** 40) },
);

/** Alignments a caller may pass, valid or not. */
const anyAlignments: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: alignments },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 4, 12, 24, 2 ** 17, 2 ** 31, -8, 8.5, 2 ** 32 + 8) },
);

/** Pointers a caller may pass to `free`, mostly near the heap (steps also pass pointers near live blocks). */
const anyPointers: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: 0, max: 1 << 18 }),
  fc.nat().map((n) => n * 8),
  fc.constantFrom(-8, 4.5, 2 ** 32, 0xffff_fff8),
);

export interface StepOptions {
  reallocate: boolean;
  maxLength?: number;
}

export function steps(options: StepOptions): fc.Arbitrary<Step[]> {
  const choices: fc.Arbitrary<Step>[] = [
    anySizes.map((size) => ({ kind: "allocate" as const, size })),
    sizes.map((size) => ({ kind: "allocate" as const, size })),
    fc.record({ kind: fc.constant("allocate" as const), size: anySizes, align: anyAlignments }),
    fc.nat().map((pick) => ({ kind: "free" as const, pick })),
    fc.nat().map((pick) => ({ kind: "free" as const, pick })),
    anyPointers.map((ptr) => ({ kind: "free-any" as const, ptr })),
    fc.record({ kind: fc.constant("free-near" as const), pick: fc.nat(), offset: fc.integer({ min: -12, max: 12 }) }),
    fc.constant({ kind: "reset" as const }),
  ];
  if (options.reallocate) {
    choices.push(fc.record({ kind: fc.constant("reallocate" as const), pick: fc.nat(), size: anySizes }));
  }
  return fc.array(fc.oneof(...choices), { maxLength: options.maxLength ?? 80, size: "max" });
}

/** The blocks handed out and not yet freed, as both sides know them, with the byte each is filled with. */
export class LiveBlocks {
  private readonly blocks: { ptr: number; size: number }[] = [];
  private fills = 0;

  constructor(private readonly pair: Lockstep) {}

  /** Runs one step on both sides, filling each new block alike so that the memories also show what moved. */
  run(step: Step): void {
    const { pair, blocks } = this;
    switch (step.kind) {
      case "allocate": {
        const outcome = pair.allocate(step.size, step.align);
        if ("value" in outcome) this.adopt(outcome.value as number, step.size);
        break;
      }
      case "free": {
        const index = step.pick % Math.max(blocks.length, 1);
        const block = blocks[index];
        if (block === undefined) break;
        const outcome = pair.free(block.ptr);
        if ("value" in outcome) blocks.splice(index, 1);
        break;
      }
      case "free-any":
        this.freeAny(step.ptr);
        break;
      case "free-near": {
        const block = blocks[step.pick % Math.max(blocks.length, 1)];
        if (block !== undefined) this.freeAny(block.ptr + step.offset);
        break;
      }
      case "reallocate": {
        const index = step.pick % Math.max(blocks.length, 1);
        const block = blocks[index];
        if (block === undefined) break;
        const outcome = pair.reallocate(block.ptr, step.size);
        if ("value" in outcome) {
          blocks.splice(index, 1);
          this.adopt(outcome.value as number, step.size);
        }
        break;
      }
      case "reset":
        pair.reset();
        blocks.length = 0;
        break;
    }
  }

  /** Frees a pointer that may or may not be a block's. */
  private freeAny(ptr: number): void {
    const outcome = this.pair.free(ptr);
    const index = this.blocks.findIndex((block) => block.ptr === ptr);
    if ("value" in outcome && index >= 0) this.blocks.splice(index, 1);
  }

  /**
   * Fills a new block with an odd byte, as src/trace/block-pattern.ts does: a word that starts with it has the F bit
   * set, so no pointer into a block finds a used block's header forged by the fill, which a TLSF heap's checks could
   * not tell from a real one.
   */
  private adopt(ptr: number, size: number): void {
    this.pair.fill(ptr, size, ((++this.fills * 37) & 0xff) | 1);
    this.blocks.push({ ptr, size });
  }
}
