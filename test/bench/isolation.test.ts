/**
 * Allocators in workers of their own need the compiled worker module, so these tests run the built package (dist/,
 * which `npm test` builds first) and are skipped where it is absent.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type * as Contenders from "../../src/bench/contenders.js";
import type * as Ring from "../../src/bench/ring.js";
import type * as Runner from "../../src/bench/runner.js";

const DIST = new URL("../../dist/bench/", import.meta.url);
const BUILT = existsSync(new URL("entrant-worker.js", DIST));

async function built<T>(module: string): Promise<T> {
  return (await import(new URL(module, DIST).href)) as T;
}

describe.skipIf(!BUILT)(
  BUILT
    ? "allocators in workers of their own"
    : "allocators in workers of their own (skipped: the built package is missing: run `npm run build`)",
  () => {
    it("are measured and verified there, and report where they ran", async () => {
      const { runBenchmark } = await built<typeof Runner>("runner.js");
      const { ringWorkload } = await built<typeof Ring>("ring.js");
      const { CONTENDERS } = await built<typeof Contenders>("contenders.js");
      const chosen = CONTENDERS.filter(({ name }) => name === "arena" || name === "uint8array");
      const ring = ringWorkload({ liveBlocks: 16, steps: 1000, minSize: 8, maxSize: 64, seed: 3 });

      const isolated = await runBenchmark([ring], chosen, { runs: 2, timeLimit: 60 });
      expect(isolated.results.map(({ contender, status, isolated }) => [contender, status, isolated])).toEqual([
        ["arena", "measured", true],
        ["uint8array", "measured", true],
      ]);
      for (const result of isolated.results) expect(result.runs).toHaveLength(2);

      const local = await runBenchmark([ring], chosen, { runs: 1, timeLimit: 60, isolate: false });
      expect(local.results.map(({ isolated }) => isolated)).toEqual([false, false]);
      // The verified run is the same wherever it runs.
      expect(local.results.map(({ footprint }) => footprint)).toEqual(
        isolated.results.map(({ footprint }) => footprint),
      );
    });
  },
);
