/**
 * Each module's size, as the package ships it, against its target: the whole C allocation family and the seed's, with
 * every check, in at most the bytes the target allows. A module known to be over its target says why, and must not
 * grow beyond the size it was measured at.
 */
import { describe, expect, it } from "vitest";
import { allocatorModuleBytes } from "../../src/wasm/modules.js";
import { MODULE_CASES } from "./support/cases.js";

describe.each(MODULE_CASES)("the $name module's size", (moduleCase) => {
  const size = allocatorModuleBytes(moduleCase.name).length;
  const report = `${size} B, target ${moduleCase.sizeTarget} B`;
  const { overTarget } = moduleCase;
  if (overTarget === undefined) {
    it(`is at most its target: ${report}`, () => {
      expect(size).toBeLessThanOrEqual(moduleCase.sizeTarget);
    });
  } else {
    it(`is known to be over its target: ${report}, as ${overTarget.reason}; at most ${overTarget.measuredSize} B`, () => {
      expect(size).toBeGreaterThan(moduleCase.sizeTarget);
      expect(size).toBeLessThanOrEqual(overTarget.measuredSize);
    });
  }
});
