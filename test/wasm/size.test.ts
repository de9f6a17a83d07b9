/**
 * Each module's size, as the package ships it, against its target: the whole C allocation family and the original, with
 * every check, in at most the bytes the target allows. A module known to be over its target says why, and must not
 * grow beyond the size it was measured at. The shared builds have no target, and must not grow either; the fast
 * builds, compiled for speed, have none.
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

describe.each(MODULE_CASES)("the $name module's fast build", (moduleCase) => {
  const size = allocatorModuleBytes(moduleCase.name, { fast: true }).length;
  it(`has no target, and is larger than the build for size, its helpers inlined: ${size} B`, () => {
    expect(size).toBeGreaterThan(allocatorModuleBytes(moduleCase.name).length);
  });
});

describe.each(MODULE_CASES)("the $name module's shared build", (moduleCase) => {
  const size = allocatorModuleBytes(moduleCase.name, { shared: true }).length;
  it(`has no target, and must not grow: ${size} B, at most ${moduleCase.sharedSize} B`, () => {
    expect(size).toBeLessThanOrEqual(moduleCase.sharedSize);
    // The unshared build carries none of the lock.
    expect(allocatorModuleBytes(moduleCase.name).length).toBeLessThan(size);
  });
});
