/**
 * The C allocation family of each module against the original family of the same module, on two memories: the same
 * calls give the same pointers and leave the same bytes, and where the original family traps, the C family returns 0
 * with the same code in trap_code, having changed nothing. Then what is C's own: calloc, realloc(p, 0), usable sizes,
 * NULL. Every build of each module: for size, for speed, and the shared one, on a shared memory.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TRAP_CODE_NUMBERS } from "../../src/allocator/errors.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import type { AllocatorExports } from "../../src/wasm/abi.js";
import { instantiateAllocator } from "../../src/wasm/loader.js";
import { ALLOCATOR_MODULE_NAMES, type AllocatorModuleName } from "../../src/wasm/modules.js";

const HEAP_BASE = 64;

/** Each module, in each build. */
const BUILDS = ALLOCATOR_MODULE_NAMES.flatMap((name) => [
  { name, shared: false, fast: false, build: "" },
  { name, shared: false, fast: true, build: "fast build's " },
  { name, shared: true, fast: false, build: "shared build's " },
]);

async function heap(
  name: AllocatorModuleName,
  shared: boolean,
  fast = false,
): Promise<{ exports: AllocatorExports; memory: LinearMemory }> {
  const memory = LinearMemory.create({ initialPages: 1, maximumPages: 8, shared });
  const exports = await instantiateAllocator(name, memory as LinearMemory & { memory: WebAssembly.Memory }, { fast });
  exports.init(HEAP_BASE);
  return { exports, memory };
}

/** The original call: its result, or the code it trapped with. */
function trapping(exports: AllocatorExports, call: () => number): { value: number } | { code: number } {
  try {
    return { value: call() >>> 0 };
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    const code = exports.trap_code.value as number;
    exports.trap_code.value = 0;
    return { code };
  }
}

/** The C family's call: its result, or, for 0, the code it stored. */
function returning(exports: AllocatorExports, call: () => number): { value: number } | { code: number } {
  const value = call() >>> 0;
  if (value !== 0) return { value };
  const code = exports.trap_code.value as number;
  exports.trap_code.value = 0;
  return { code };
}

type Step =
  | { kind: "allocate"; size: number }
  | { kind: "aligned"; size: number; align: number }
  | { kind: "resize"; pick: number; size: number }
  | { kind: "free"; pick: number };

const sizes = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 3000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 300_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(MAX_ALLOCATION, MAX_ALLOCATION + 1, 0xffff_ffff) },
);
const step: fc.Arbitrary<Step> = fc.oneof(
  sizes.map((size) => ({ kind: "allocate" as const, size })),
  fc.record({
    kind: fc.constant("aligned" as const),
    size: sizes,
    align: fc.constantFrom(1, 4, 8, 16, 64, 4096, 65536, 3, 24, 131072),
  }),
  fc.record({ kind: fc.constant("resize" as const), pick: fc.nat(), size: sizes }),
  fc.nat().map((pick) => ({ kind: "free" as const, pick })),
);

describe.each(BUILDS)("the $name module's $build C family", ({ name, shared, fast }) => {
  it("matches the original family call for call: same pointers and bytes, 0 and its trap code for a trap", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const c = await heap(name, shared, fast);
        const seed = await heap(name, shared, fast);
        const live: number[] = [];
        for (const [index, next] of steps.entries()) {
          let expected: { value: number } | { code: number };
          let actual: { value: number } | { code: number };
          const pick = "pick" in next ? live[next.pick % Math.max(live.length, 1)] : undefined;
          if (next.kind === "allocate") {
            expected = trapping(seed.exports, () => seed.exports.allocate_memory(next.size));
            actual = returning(c.exports, () => c.exports.malloc(next.size));
          } else if (next.kind === "aligned") {
            expected = trapping(seed.exports, () => seed.exports.allocate_memory_aligned(next.size, next.align));
            actual = returning(c.exports, () => c.exports.aligned_alloc(next.align, next.size));
          } else if (pick === undefined) {
            continue;
          } else if (next.kind === "resize") {
            expected = trapping(seed.exports, () => seed.exports.reallocate_memory(pick, next.size));
            actual = returning(c.exports, () => c.exports.realloc(pick, next.size));
            if ("value" in expected) live.splice(live.indexOf(pick), 1);
          } else {
            seed.exports.free_memory(pick);
            c.exports.free(pick);
            live.splice(live.indexOf(pick), 1);
            expected = actual = { value: 0 };
          }
          expect(actual, `step ${index}: ${JSON.stringify(next)}`).toEqual(expected);
          if ("value" in expected && next.kind !== "free") {
            live.push(expected.value);
            seed.memory.u8.fill(index & 0xff, expected.value, expected.value + 8);
            c.memory.u8.fill(index & 0xff, expected.value, expected.value + 8);
          }
          expect(c.memory.byteLength).toBe(seed.memory.byteLength);
          expect(Buffer.compare(c.memory.u8, seed.memory.u8), `memories after step ${index}`).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("calloc: zeroed bytes over old ones, and 0 for a product past 1 GiB or 2^32", async () => {
    const { exports, memory } = await heap(name, shared, fast);
    const dirty = exports.malloc(4000) >>> 0;
    memory.u8.fill(0xee, dirty, dirty + 4000);
    exports.free(dirty);
    const zeroed = exports.calloc(100, 40) >>> 0;
    expect(memory.u8.subarray(zeroed, zeroed + 4000).every((byte) => byte === 0)).toBe(true);
    for (const [count, size] of [
      [0x1_0000, 0x1_0001],
      [0x4000_0001, 1],
      [2, 0x8000_0000],
    ] as const) {
      expect(exports.calloc(count, size)).toBe(0);
      expect(exports.trap_code.value).toBe(TRAP_CODE_NUMBERS.INVALID_SIZE);
    }
    expect(exports.calloc(0, 5)).not.toBe(0);
  });

  it("realloc(p, 0) keeps p, a block of its own; realloc(0, n) allocates; NULL is freed and measured as nothing", async () => {
    const { exports } = await heap(name, shared, fast);
    const ptr = exports.malloc(300);
    expect(exports.realloc(ptr, 0)).toBe(ptr);
    expect(exports.malloc_usable_size(ptr)).toBeLessThan(300);
    const other = exports.realloc(0, 10);
    expect(other).not.toBe(0);
    expect(other).not.toBe(ptr);
    expect(exports.malloc_usable_size(other)).toBeGreaterThanOrEqual(10);
    expect(exports.malloc_usable_size(0)).toBe(0);
    exports.free(0);
    exports.free(ptr);
    expect(() => exports.free(ptr)).toThrow(WebAssembly.RuntimeError);
    expect(exports.trap_code.value).toBe(TRAP_CODE_NUMBERS.DOUBLE_FREE);
  });
});
