/**
 * Allocators in workers of their own need the compiled worker module, so these tests run the built package (dist/,
 * which `npm test` builds first) and are skipped where it is absent.
 */
import { describe, expect, it } from "vitest";
import type * as Contenders from "../../src/bench/contenders.js";
import type * as Ring from "../../src/bench/ring.js";
import type * as Runner from "../../src/bench/runner.js";
import { builtModule, NOT_BUILT } from "../support/built-package.js";

describe.skipIf(NOT_BUILT !== null)(
  NOT_BUILT === null
    ? "allocators in workers of their own"
    : `allocators in workers of their own (skipped: ${NOT_BUILT})`,
  () => {
    it("are measured and verified there, and report where they ran", async () => {
      const { runBenchmark } = await builtModule<typeof Runner>("bench/runner.js");
      const { ringWorkload } = await builtModule<typeof Ring>("bench/ring.js");
      const { CONTENDERS } = await builtModule<typeof Contenders>("bench/contenders.js");
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
