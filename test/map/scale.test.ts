import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mapScale, rowSpans } from "../../src/map/scale.js";

describe("mapScale", () => {
  it("takes the fewest bytes a pixel, a power of two, that fit the memory in the rows allowed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 32 }),
        fc.integer({ min: 16, max: 2048 }),
        fc.integer({ min: 1, max: 100 }),
        (memory, width, maxRows) => {
          const scale = mapScale(memory, width, maxRows);
          expect(Number.isInteger(Math.log2(scale.bytesPerPixel))).toBe(true);
          expect(scale.rowBytes).toBe(width * scale.bytesPerPixel);
          expect(scale.rows).toBeLessThanOrEqual(maxRows);
          expect(scale.rows * scale.rowBytes).toBeGreaterThanOrEqual(memory);
          if (scale.bytesPerPixel > 1) expect(Math.ceil(memory / (scale.rowBytes / 2))).toBeGreaterThan(maxRows);
        },
      ),
    );
  });
});

describe("rowSpans", () => {
  it("cuts a stretch at row ends, each piece to scale", () => {
    const scale = mapScale(4096, 16, 16);
    expect(scale.bytesPerPixel).toBe(16);
    expect(rowSpans(scale, 200, 600)).toEqual([
      { row: 0, x: 12.5, width: 3.5 },
      { row: 1, x: 0, width: 16 },
      { row: 2, x: 0, width: 5.5 },
    ]);
    expect(rowSpans(scale, 256, 256)).toEqual([]);
  });
});
