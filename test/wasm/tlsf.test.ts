/**
 * What the generic module tests do not reach in the TLSF module: regions made when someone else grew the memory,
 * resets over several regions, long runs that fill every size class, and pointers whose header, or whose left
 * neighbour's back link, was forged inside a live block. Each runs the TypeScript and the WebAssembly build side by
 * side, which must return the same pointers and traps and keep the same bytes. Resizes and aligned allocations, which
 * the module leaves to its twin, mix the two builds on the WebAssembly side.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/bench/random.js";
import { PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { MODULE_CASES } from "./support/cases.js";
import { Lockstep } from "./support/lockstep.js";
import { LiveBlocks, type Step, steps } from "./support/steps.js";

const TLSF = MODULE_CASES.find((moduleCase) => moduleCase.name === "tlsf") as (typeof MODULE_CASES)[number];

async function pair(options: { heapBase: number; initialPages?: number; maximumPages?: number }): Promise<Lockstep> {
  const made = await Lockstep.create(TLSF, options);
  if (typeof made === "string") throw new Error(`no heap: ${made}`);
  return made;
}

/** Grows both memories alike, as another user of the memory would: the pages are not the heap's. */
function growOutside(lockstep: Lockstep, pages: number): void {
  const grown = [lockstep.reference.memory.grow(pages), lockstep.subject.memory.grow(pages)];
  expect(grown[1], `grow(${pages})`).toBe(grown[0]);
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
          if (step.kind === "grow-outside") growOutside(lockstep, step.pages);
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
    const lockstep = await pair({ heapBase: 1024 });
    const random = seededRandom(5);
    const pick = (n: number) => Math.floor(random() * n);
    const ring: number[] = [];
    for (let step = 0; step < 30_000; step++) {
      if (ring.length >= 600) {
        const [oldest] = ring.splice(pick(4), 1) as [number];
        lockstep.free(oldest);
      }
      const choice = pick(20);
      const size = choice === 0 ? pick(200_000) : 8 + pick(505);
      let outcome: ReturnType<Lockstep["run"]>;
      if (choice === 1) {
        outcome = lockstep.allocate(size, 2 ** (3 + pick(14)));
      } else if (choice === 2 && ring.length > 0) {
        const index = pick(ring.length);
        outcome = lockstep.reallocate(ring[index] as number, size);
        if ("value" in outcome) ring.splice(index, 1);
      } else {
        outcome = lockstep.allocate(size);
      }
      if ("value" in outcome) {
        ring.push(outcome.value as number);
        lockstep.fill(outcome.value as number, Math.min(size, 64), step & 0xff);
      }
      if (step % 7_919 === 0) growOutside(lockstep, 1);
      if (step % 10_007 === 10_006) {
        lockstep.reset();
        ring.length = 0;
      }
      if (step % 1000 === 0) lockstep.expectSameMemory(`at step ${step}`);
    }
    lockstep.expectSameMemory("at the end");
    lockstep.check();
  });

  it("refuse a pointer alike when a forged header or back link sits inside a live block", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 30 }),
        fc.oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 4096 })),
        fc.oneof(fc.nat({ max: 2 ** 32 - 1 }), fc.integer({ min: -600, max: 600 })),
        fc.boolean(),
        async (victim, slot, header, link, resize) => {
          const lockstep = await pair({ heapBase: 64, initialPages: 1, maximumPages: 2 });
          const blocks: number[] = [];
          for (let i = 0; i < 16; i++) blocks.push(value(lockstep.allocate(16 + i * 40)));
          for (const i of [3, 7, 11]) lockstep.free(blocks[i] as number);
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
      if (i % 3 === 2) growOutside(lockstep, 1);
      if ("trap" in outcome) break;
    }
    lockstep.expectSameMemory("when the memory is full");
    lockstep.check();
  });
});

function value(outcome: ReturnType<Lockstep["run"]>): number {
  if (!("value" in outcome) || outcome.value === undefined) throw new Error(`refused: ${JSON.stringify(outcome)}`);
  return outcome.value;
}
