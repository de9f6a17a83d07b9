/**
 * One heap, two builds: what the TypeScript build allocates the WebAssembly build frees, and the other way round, and
 * each build's `check()` accepts the heap the other left.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Allocator } from "../../src/allocator/contract.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import { Alternating } from "../support/alternating.js";
import { MODULE_CASES } from "./support/cases.js";
import { Lockstep } from "./support/lockstep.js";
import { LiveBlocks, steps } from "./support/steps.js";

const HEAP_BASE = 256;

/** Memories for random workloads: small enough a maximum that the largest requests run out of memory. */
const SMALL_MEMORY = { maximumPages: 256 };

describe.each(MODULE_CASES)("one $name heap shared by both builds", (moduleCase) => {
  /** The two builds, each able to make a heap in a memory or to attach to one already there. */
  const typescript = {
    name: "TypeScript",
    make: async (memory: LinearMemory): Promise<Allocator> => moduleCase.typescript(memory, { heapBase: HEAP_BASE }),
    attach: async (memory: LinearMemory): Promise<Allocator> => moduleCase.typescript.attach(memory, HEAP_BASE),
  };
  const webAssembly = {
    name: "WebAssembly",
    make: (memory: LinearMemory): Promise<Allocator> => loadAllocator(moduleCase.name, memory, { heapBase: HEAP_BASE }),
    attach: (memory: LinearMemory): Promise<Allocator> => loadAllocator.attach(moduleCase.name, memory, HEAP_BASE),
  };

  it.each([
    { maker: typescript, user: webAssembly },
    { maker: webAssembly, user: typescript },
  ])("is used, freed and reset by $user.name after $maker.name made it, and checked by both", async (builds) => {
    const memory = LinearMemory.create();
    const maker = await builds.maker.make(memory);
    const first = maker.allocate(24);
    const second = maker.allocate(100);
    const user = await builds.user.attach(memory);
    const third = user.allocate(40);
    expect([first, second]).not.toContain(third);
    user.free(first);
    maker.free(third);
    user.check();
    maker.check();
    user.reset();
    maker.check();
    expect(maker.allocate(24)).toBe(first);
  });

  it("behaves, call by call and byte by byte, as a heap used by TypeScript alone", async () => {
    await fc.assert(
      fc.asyncProperty(
        steps({ reallocate: moduleCase.reallocate }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }),
        async (workload, choices) => {
          const reference = moduleCase.typescript(LinearMemory.create(SMALL_MEMORY), { heapBase: HEAP_BASE });
          const memory = LinearMemory.create(SMALL_MEMORY);
          const typescript = moduleCase.typescript(memory, { heapBase: HEAP_BASE });
          const wasm = await loadAllocator.attach(moduleCase.name, memory, HEAP_BASE);
          const pair = new Lockstep(reference, new Alternating([typescript, wasm], choices));
          const live = new LiveBlocks(pair);
          for (const [index, step] of workload.entries()) {
            live.run(step);
            pair.expectSameMemory(`after step ${index}, ${JSON.stringify(step)}`);
          }
          pair.check();
        },
      ),
      { numRuns: 150 },
    );
  });
});
