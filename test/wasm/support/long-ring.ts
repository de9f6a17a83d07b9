/**
 * A long ring run in lockstep: 30,000 steps of random allocations (some aligned, a few large), resizes and frees, with
 * up to 600 blocks live, so that both builds go through many doublings of the memory and must stay alike in every
 * byte. The first bytes of each block are written, so the memories also show which bytes an allocator moved.
 */
import { seededRandom } from "../../../src/bench/random.js";
import type { Lockstep } from "./lockstep.js";

export interface LongRingOptions {
  seed: number;
  /** The largest of the rare large requests, in bytes. */
  largest: number;
  /** Grow the memory from outside the heap now and then, and reset the heap, as a TLSF heap must survive. */
  interruptions?: boolean;
}

const STEPS = 30_000;
const LIVE = 600;

export function runLongRing(lockstep: Lockstep, { seed, largest, interruptions = false }: LongRingOptions): void {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const ring: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    if (ring.length >= LIVE) lockstep.free(ring.splice(pick(4), 1)[0] as number);
    const choice = pick(20);
    const size = choice === 0 ? pick(largest) : 8 + pick(505);
    let outcome: ReturnType<Lockstep["run"]>;
    if (choice === 1) {
      outcome = lockstep.allocate(size, 2 ** (3 + pick(14)));
    } else if (choice === 2 && ring.length > 0) {
      const index = pick(ring.length);
      outcome = lockstep.reallocate(ring[index] as number, size);
      ring.splice(index, 1);
    } else {
      outcome = lockstep.allocate(size);
    }
    // Memory can grow to 4 GiB here: every call is a valid one, and both builds must grant it.
    if (!("value" in outcome) || outcome.value === undefined)
      throw new Error(`step ${step} refused: ${JSON.stringify(outcome)}`);
    ring.push(outcome.value);
    lockstep.fill(outcome.value, Math.min(size, 64), step & 0xff);
    if (interruptions && step % 7_919 === 0) lockstep.growOutside(1);
    if (interruptions && step % 10_007 === 10_006) {
      lockstep.reset();
      ring.length = 0;
    }
    if (step % 1000 === 0) lockstep.expectSameMemory(`at step ${step}`);
  }
  lockstep.expectSameMemory("at the end");
  lockstep.check();
}
