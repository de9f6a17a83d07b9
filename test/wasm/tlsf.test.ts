/**
 * What the generic module tests do not reach in the TLSF module: regions made when someone else grew the memory,
 * resets over several regions, long runs that fill every size class, and pointers whose header, or whose left
 * neighbour's back link, was forged inside a live block. Each runs the TypeScript and the WebAssembly build side by
 * side, which must return the same pointers and traps and keep the same bytes. Resizes and aligned allocations, which
 * the module leaves to its twin, mix the two builds on the WebAssembly side.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { MODULE_CASES } from "./support/cases.js";
import { Lockstep, type LockstepOptions } from "./support/lockstep.js";
import { runLongRing } from "./support/long-ring.js";
import { LiveBlocks, type Step, steps } from "./support/steps.js";

const TLSF = MODULE_CASES.find((moduleCase) => moduleCase.name === "tlsf") as (typeof MODULE_CASES)[number];

async function pair(options: LockstepOptions): Promise<Lockstep> {
  return Lockstep.pair(TLSF, options);
}

type GrowthStep = Step | { kind: "grow-outside"; pages: number };

describe("the tlsf module and its TypeScript twin", () => {
  it("make the same regions when the memory was grown by someone else, and reset them alike", async () => {
    const workload: fc.Arbitrary<GrowthStep[]> = fc
      .tuple(
        steps({ reallocate: true, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 3 })), { maxLength: 6 }),
      )
      .map(([operations, growths]) => {
        const all: GrowthStep[] = [...operations];
        for (const [at, pages] of growths) all.splice(at % (all.length + 1), 0, { kind: "grow-outside", pages });
        return all;
      });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200 }), workload, async (base, workload) => {
        const lockstep = await pair({ heapBase: base * 8, initialPages: 1, maximumPages: 40 });
        const live = new LiveBlocks(lockstep);
        for (const [index, step] of workload.entries()) {
          if (step.kind === "grow-outside") lockstep.growOutside(step.pages);
          else live.run(step);
          lockstep.expectSameMemory(`after step ${index}, ${JSON.stringify(step)}`);
        }
        lockstep.check();
        lockstep.reset();
        lockstep.expectSameMemory("after the last reset");
        lockstep.check();
      }),
      { numRuns: 150 },
    );
  });

  it("keep the same bytes through a long ring of allocations, aligned allocations, resizes and frees", async () => {
    runLongRing(await pair({ heapBase: 1024 }), { seed: 5, largest: 200_000, interruptions: true });
  });

  it("refuse a pointer alike when a forged header or back link sits inside a live block", async () => {
    await fc.assert(
      fc.asyncProperty(
        // The victim, one of the blocks left live, and a slot in its payload: both forged words lie inside it, so the
        // heap itself stays sound and only the pointer is false.
        fc
          .constantFrom(...LIVE_VICTIMS)
          .chain((victim) => fc.tuple(fc.constant(victim), fc.integer({ min: 1, max: requestOf(victim) / 8 }))),
        fc.oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 4096 })),
        fc.oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: -600, max: 600 })),
        fc.boolean(),
        async ([victim, slot], header, link, resize) => {
          const lockstep = await pair({ heapBase: 64, initialPages: 1, maximumPages: 2 });
          const blocks: number[] = [];
          for (let i = 0; i < BLOCK_COUNT; i++) blocks.push(value(lockstep.allocate(requestOf(i))));
          for (const i of FREED) lockstep.free(blocks[i] as number);
          // A pointer 8 * slot bytes into the victim, with a forged header before it and a forged word before that,
          // which the check takes for a back link when the forged header has its P bit. Links near the pointer are
          // read as offsets from it.
          const ptr = (blocks[victim] as number) + 8 * slot;
          const backLink = Math.abs(link) <= 600 ? ptr - 4 + link : link;
          for (const side of [lockstep.reference, lockstep.subject]) {
            side.memory.u32[(ptr - 4) >>> 2] = header >>> 0;
            side.memory.u32[(ptr - 8) >>> 2] = backLink >>> 0;
          }
          if (resize) lockstep.reallocate(ptr, 24);
          else lockstep.free(ptr);
          lockstep.expectSameMemory(`after refusing ${ptr}`);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("grow alike until the memory's maximum, then refuse alike", async () => {
    const lockstep = await pair({ heapBase: PAGE_SIZE - 1024, initialPages: 1, maximumPages: 12 });
    for (let i = 0; i < 40; i++) {
      const outcome = lockstep.allocate(PAGE_SIZE / 2 + i * 1000);
      if (i % 3 === 2) lockstep.growOutside(1);
      if ("trap" in outcome) break;
    }
    lockstep.expectSameMemory("when the memory is full");
    lockstep.check();
  });
});

/** The forged-header test's heap: BLOCK_COUNT blocks of growing sizes, FREED among them freed again. */
const BLOCK_COUNT = 16;
const FREED = [3, 7, 11];
const LIVE_VICTIMS = Array.from({ length: BLOCK_COUNT }, (_, i) => i).filter((i) => !FREED.includes(i));

/** The bytes asked for block `i`: a multiple of 8, all of them inside its payload. */
function requestOf(i: number): number {
  return 16 + i * 40;
}

function value(outcome: ReturnType<Lockstep["run"]>): number {
  if (!("value" in outcome) || outcome.value === undefined) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value;
}
