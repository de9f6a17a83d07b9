import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { alignUp, MAX_ALLOCATION, requireAlignment, requireSize } from "../../src/allocator/size.js";

function trapCode(call: () => void): string | undefined {
  try {
    call();
  } catch (error) {
    return error instanceof AllocationTrap ? error.code : "not a trap";
  }
  return undefined;
}

describe("requireSize", () => {
  it("accepts every integer from 0 to 1 GiB", () => {
    for (const size of [0, 1, 8, 4096, MAX_ALLOCATION - 1, MAX_ALLOCATION]) {
      expect(trapCode(() => requireSize(size, "allocate"))).toBeUndefined();
    }
  });

  it("traps with INVALID_SIZE on negative, fractional, NaN, infinite and oversized sizes", () => {
    for (const size of [-1, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_ALLOCATION + 1, 2 ** 32, -(2 ** 32)]) {
      expect(
        trapCode(() => requireSize(size, "allocate")),
        String(size),
      ).toBe("INVALID_SIZE");
    }
  });
});

describe("requireAlignment", () => {
  it("accepts the powers of two from 8 to 65536 and nothing else", () => {
    for (let k = 0; k <= 20; k++) {
      const expected = k >= 3 && k <= 16 ? undefined : "INVALID_ALIGNMENT";
      expect(
        trapCode(() => requireAlignment(2 ** k, "allocate")),
        `2^${k}`,
      ).toBe(expected);
    }
    for (const align of [12, 24, 0, -8, 8.5]) {
      expect(trapCode(() => requireAlignment(align, "allocate"))).toBe("INVALID_ALIGNMENT");
    }
  });
});

describe("alignUp", () => {
  it("returns the least multiple at or above the value, beyond 2^31 too", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 16 }), (value, k) => {
        const alignment = 2 ** k;
        const aligned = alignUp(value, alignment);
        expect(aligned % alignment).toBe(0);
        expect(aligned).toBeGreaterThanOrEqual(value);
        expect(aligned - value).toBeLessThan(alignment);
      }),
    );
  });
});
