/**
 * Two allocators side by side, each on a memory of its own made alike, usually the TypeScript and the WebAssembly build
 * of one allocator: every call goes to both, which must return the same pointer or refuse it with the same trap code,
 * and whose memories must stay equal in size and in every byte.
 */
import { expect } from "vitest";
import type { Allocator, BlockAllocator } from "../../../src/allocator/contract.js";
import { AllocationTrap, type TrapCode } from "../../../src/allocator/errors.js";
import { LinearMemory, type LinearMemoryOptions } from "../../../src/memory/linear-memory.js";
import { loadAllocator } from "../../../src/wasm/loader.js";
import type { ModuleCase } from "./cases.js";

/** What a call did: returned a value (undefined for none) or was refused. */
export type Outcome = { value: number | undefined } | { trap: TrapCode };

export interface LockstepOptions extends LinearMemoryOptions {
  heapBase: number;
}

export class Lockstep {
  /** `reference` shows what `subject` must do. */
  constructor(
    readonly reference: Allocator,
    readonly subject: Allocator,
  ) {}

  /**
   * The TypeScript build as the reference, the WebAssembly build as the subject (its fast build for `fast`), each making
   * a new heap; or, when
   * there is no room for one, the trap code both refused it with.
   */
  static async create(
    moduleCase: ModuleCase & { fast?: boolean },
    options: LockstepOptions,
  ): Promise<Lockstep | TrapCode> {
    const { heapBase, ...memoryOptions } = options;
    const reference = await settle(async () => moduleCase.typescript(LinearMemory.create(memoryOptions), { heapBase }));
    const subject = await settle(() =>
      loadAllocator(moduleCase.name, LinearMemory.create(memoryOptions), { heapBase, fast: moduleCase.fast === true }),
    );
    if (typeof reference === "string" || typeof subject === "string") {
      expect(subject, "creating the heap").toEqual(reference);
      return reference as TrapCode;
    }
    const pair = new Lockstep(reference, subject);
    pair.expectSameMemory("after creating the heap");
    return pair;
  }

  /** Like `create`, for a heap that must fit: a lockstep pair, or an error naming why there is none. */
  static async pair(moduleCase: ModuleCase, options: LockstepOptions): Promise<Lockstep> {
    const made = await Lockstep.create(moduleCase, options);
    if (typeof made === "string") throw new Error(`no heap: ${made}`);
    return made;
  }

  /** Runs `call` on both and expects the same outcome, and memories of the same size. */
  run(label: string, call: (allocator: Allocator) => unknown): Outcome {
    const expected = outcomeOf(this.reference, call);
    const actual = outcomeOf(this.subject, call);
    expect(actual, label).toEqual(expected);
    expect(this.subject.memory.byteLength, `memory size after ${label}`).toBe(this.reference.memory.byteLength);
    return expected;
  }

  allocate(size: number, align?: number): Outcome {
    const label = align === undefined ? `allocate(${size})` : `allocate(${size}, ${align})`;
    return this.run(label, (allocator) =>
      align === undefined ? allocator.allocate(size) : allocator.allocate(size, align),
    );
  }

  free(ptr: number): Outcome {
    return this.run(`free(${ptr})`, (allocator) => allocator.free(ptr));
  }

  reallocate(ptr: number, size: number): Outcome {
    return this.run(`reallocate(${ptr}, ${size})`, (allocator) => (allocator as BlockAllocator).reallocate(ptr, size));
  }

  reset(): Outcome {
    return this.run("reset()", (allocator) => allocator.reset());
  }

  /** Grows both memories alike, as another user of the memory would: the pages are not the heap's. */
  growOutside(pages: number): void {
    const grown = [this.reference.memory.grow(pages), this.subject.memory.grow(pages)];
    expect(grown[1], `grow(${pages})`).toBe(grown[0]);
  }

  /** Writes the same bytes into a block on both sides, so that the memories say which bytes an allocator moved. */
  fill(ptr: number, size: number, byte: number): void {
    this.reference.memory.u8.fill(byte, ptr, ptr + size);
    this.subject.memory.u8.fill(byte, ptr, ptr + size);
  }

  expectSameMemory(label: string): void {
    const expected = this.reference.memory.u8;
    const actual = this.subject.memory.u8;
    expect(actual.length, `memory size ${label}`).toBe(expected.length);
    if (Buffer.compare(actual, expected) !== 0) {
      const at = actual.findIndex((byte, i) => byte !== expected[i]);
      expect.fail(
        `memories differ ${label}, first at byte ${at}: ${actual[at]} in the subject, ${expected[at]} in the reference`,
      );
    }
  }

  /** Both heaps pass their own check. */
  check(): void {
    this.reference.check();
    this.subject.check();
  }
}

/** The allocator made, or the trap code it was refused with. */
async function settle(make: () => Promise<Allocator>): Promise<Allocator | TrapCode> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof AllocationTrap) return error.code;
    throw error;
  }
}

function outcomeOf(allocator: Allocator, call: (allocator: Allocator) => unknown): Outcome {
  try {
    const value = call(allocator);
    return { value: typeof value === "number" ? value : undefined };
  } catch (error) {
    if (error instanceof AllocationTrap) return { trap: error.code };
    throw error;
  }
}
