import { describe, expect, it } from "vitest";
import { BlockList } from "../../src/map/block-list.js";
import { freeSizes, SIZE_CLASSES, sizeClassOf } from "../../src/map/free-sizes.js";

describe("freeSizes", () => {
  it("counts the free blocks, and their bytes, by power of two", () => {
    const blocks = new BlockList(1);
    for (const [size, used] of [
      [12, false],
      [16, false],
      [31, false],
      [32, true],
      [4096, false],
      [2 ** 31 + 8, false],
    ] as const) {
      blocks.add({ ptr: 8, size, used });
    }
    const { counts, bytes } = freeSizes(blocks);
    expect(counts).toHaveLength(SIZE_CLASSES);
    expect(counts[3]).toBe(1);
    expect(counts[4]).toBe(2);
    expect(bytes[4]).toBe(47);
    expect(counts[5]).toBe(0);
    expect(counts[12]).toBe(1);
    expect(counts[31]).toBe(1);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(5);
    expect([0, 1, 2, 3, 1023, 1024].map(sizeClassOf)).toEqual([0, 0, 1, 1, 9, 10]);
  });
});
