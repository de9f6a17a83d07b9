import { describe, expect, it } from "vitest";
import { freshCopy } from "../../src/bench/fresh-copy.js";
import { spread } from "../../src/bench/statistics.js";

describe("spread", () => {
  it("gives the median, smallest and largest value, whatever their order", () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spread([7])).toEqual({ median: 7, min: 7, max: 7 });
  });

  it("refuses no values", () => {
    expect(() => spread([])).toThrow(RangeError);
  });
});

describe("freshCopy", () => {
  it("makes a different function that computes the same", () => {
    const sum = (values: Uint32Array, scale: number): number => {
      let total = 0;
      for (let i = 0; i < values.length; i++) total += (values[i] as number) * scale;
      return total;
    };
    const copy = freshCopy(sum);
    expect(copy).not.toBe(sum);
    expect(copy(new Uint32Array([1, 2, 3]), 2)).toBe(12);
  });
});
