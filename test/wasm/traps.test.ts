/**
 * The same bad calls refused with the same trap codes by both builds, each refusal changing nothing; and the error ABI
 * as a host without the loader sees it: a RuntimeError, and the code in the `trap_code` global.
 */
import { describe, expect, it } from "vitest";
import type { Allocator } from "../../src/allocator/contract.js";
import { AllocationTrap, TRAP_CODE_NUMBERS, type TrapCode } from "../../src/allocator/errors.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import type { AllocatorExports } from "../../src/wasm/abi.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import { allocatorModule } from "../../src/wasm/modules.js";
import { expectRefused } from "../support/heap-model.js";
import { BUILD_CASES, type BuildCase, MODULE_CASES } from "./support/cases.js";
import { Lockstep } from "./support/lockstep.js";

const HEAP_BASE = 64;

interface BadCall {
  code: TrapCode;
  label: string;
  call: (allocator: Allocator) => unknown;
}

function allocating(code: TrapCode, size: number, align?: number): BadCall {
  const label = align === undefined ? `allocate(${size})` : `allocate(${size}, ${align})`;
  return { code, label, call: (allocator) => allocator.allocate(size, align) };
}

function freeing(ptr: number): BadCall {
  return { code: "INVALID_POINTER", label: `free(${ptr})`, call: (allocator) => allocator.free(ptr) };
}

/**
 * Arguments that are not u32 (-1, 2.5, NaN, 2^40, ...) are refused by the loader's own checks, as the TypeScript
 * contract words them, before a module sees them. The rest reach the module: the code it stores must be the code the
 * twin refuses the same call with, or the loader reports a disagreement. (The loader takes the message from the twin,
 * so messages are not compared here.)
 */
const BAD_CALLS: readonly BadCall[] = [
  ...[-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_ALLOCATION + 1, 2 ** 32 - 8, 2 ** 32, 2 ** 40].map((size) =>
    allocating("INVALID_SIZE", size),
  ),
  // The size is checked before the alignment.
  allocating("INVALID_SIZE", -1, 3),
  ...[0, 1, 4, 12, 2 ** 17, -8, 8.5, 2 ** 32 + 8].map((align) => allocating("INVALID_ALIGNMENT", 8, align)),
  allocating("OUT_OF_MEMORY", 2 * PAGE_SIZE),
  allocating("OUT_OF_MEMORY", MAX_ALLOCATION),
  allocating("OUT_OF_MEMORY", PAGE_SIZE + 8, PAGE_SIZE),
  ...[3, HEAP_BASE, HEAP_BASE + 4, PAGE_SIZE * 4, -8, 100.5, 2 ** 32, 0xffff_fff8].map(freeing),
  {
    code: "INVALID_POINTER",
    label: "free(the end of the heap)",
    call: (allocator) => allocator.free(allocator.stats().heapEnd),
  },
];

/** Both builds with the same small heap in use, in memories that may grow by one page. */
async function usedHeaps(moduleCase: BuildCase): Promise<Lockstep> {
  const pair = await Lockstep.create(moduleCase, { initialPages: 1, maximumPages: 2, heapBase: HEAP_BASE });
  if (typeof pair === "string") throw new Error(`no heap: ${pair}`);
  for (const size of [3, 100, 0, 4000]) pair.allocate(size);
  return pair;
}

describe.each(BUILD_CASES)("the $name module's $build refuses bad calls as its TypeScript twin does", (moduleCase) => {
  it.each(BAD_CALLS)("$code for $label, changing nothing", async ({ code, call }) => {
    const pair = await usedHeaps(moduleCase);
    expectRefused(pair.reference, () => call(pair.reference), code);
    expectRefused(pair.subject, () => call(pair.subject), code);
    pair.expectSameMemory("after the refusals");
  });

  it.runIf(moduleCase.doubleFree)("DOUBLE_FREE for a block freed twice", async () => {
    const pair = await usedHeaps(moduleCase);
    const block = pair.allocate(16);
    if (!("value" in block)) throw new Error("no block");
    pair.free(block.value as number);
    expectRefused(pair.reference, () => pair.reference.free(block.value as number), "DOUBLE_FREE");
    expectRefused(pair.subject, () => pair.subject.free(block.value as number), "DOUBLE_FREE");
  });

  it.each([2 * PAGE_SIZE, 0xffff_ffe8, 0xffff_fff0])(
    "OUT_OF_MEMORY, as AllocationTraps, when the heap's state does not fit in memory at %i",
    async (heapBase) => {
      const memory = () => LinearMemory.create({ initialPages: 1, maximumPages: 2 });
      const refusals = [
        () => moduleCase.typescript(memory(), { heapBase }),
        () => loadAllocator(moduleCase.name, memory(), { heapBase }),
      ];
      for (const make of refusals) {
        await expect(async () => make()).rejects.toSatisfy(
          (error) => error instanceof AllocationTrap && error.code === "OUT_OF_MEMORY",
        );
      }
    },
  );
});

describe.each(MODULE_CASES)("the $name module's error ABI, without the loader", (moduleCase) => {
  async function instance(): Promise<AllocatorExports> {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 2 });
    const { exports } = await WebAssembly.instantiate(await allocatorModule(moduleCase.name), { env: { memory } });
    return exports as unknown as AllocatorExports;
  }

  it("starts with trap_code 0", async () => {
    expect((await instance()).trap_code.value).toBe(0);
  });

  it("stores the trap code, then traps", async () => {
    const exports = await instance();
    exports.init(HEAP_BASE);
    const refusals: [TrapCode, () => unknown][] = [
      ["INVALID_SIZE", () => exports.allocate_memory(MAX_ALLOCATION + 1)],
      ["OUT_OF_MEMORY", () => exports.allocate_memory(2 * PAGE_SIZE)],
      ["INVALID_POINTER", () => exports.free_memory(HEAP_BASE + 3)],
    ];
    for (const [code, call] of refusals) {
      exports.trap_code.value = 0;
      expect(call).toThrow(WebAssembly.RuntimeError);
      expect(exports.trap_code.value, code).toBe(TRAP_CODE_NUMBERS[code]);
    }
  });

  it("leaves trap_code alone on calls that succeed", async () => {
    const exports = await instance();
    exports.init(HEAP_BASE);
    exports.free_memory(exports.allocate_memory(10));
    exports.reset_memory();
    expect(exports.trap_code.value).toBe(0);
  });
});
