/**
 * Each module's size, as the package ships it, against its target: a module more than 25% above its target fails,
 * unless the case records why it is known to be, and then the test holds that it still is, so that the note goes
 * when the module comes within bounds, and that it has not grown beyond the size it was measured at.
 */
import { describe, expect, it } from "vitest";
import { allocatorModuleBytes } from "../../src/wasm/modules.js";
import { MODULE_CASES } from "./support/cases.js";

/** How far above its target a module may be. */
const TOLERANCE = 1.25;

describe.each(MODULE_CASES)("the $name module's size", (moduleCase) => {
  const size = allocatorModuleBytes(moduleCase.name).length;
  const limit = Math.floor(moduleCase.sizeTarget * TOLERANCE);
  const report = `${size} B, target ${moduleCase.sizeTarget} B, limit ${limit} B`;

  if (moduleCase.overTarget === undefined) {
    it(`is within 25% of its target: ${report}`, () => {
      expect(size).toBeLessThanOrEqual(limit);
    });
  } else {
    const { reason, measuredSize } = moduleCase.overTarget;
    it(`is known to be more than 25% above its target: ${report}, as ${reason}; at most ${measuredSize} B`, () => {
      expect(size).toBeGreaterThan(limit);
      expect(size).toBeLessThanOrEqual(measuredSize);
    });
  }
});
