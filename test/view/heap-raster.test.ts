import { describe, expect, it } from "vitest";
import { TLSF_CONTROL_SIZE, tlsf } from "../../src/allocator/tlsf.js";
import { mapMemory } from "../../src/map/memory-map.js";
import { COLORS, rgb } from "../../src/map/palette.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { rasterize } from "../../src/view/heap-raster.js";

const LAYOUT = { width: 64, maxRows: 16, rowPitch: 4, barHeight: 3 };

describe("rasterize", () => {
  it("paints each pixel the color of the bytes it stands for, in rows, and the sentinel over its pixel", () => {
    const heap = tlsf(LinearMemory.create());
    const ptr = heap.allocate(20_000);
    const map = mapMemory(heap);
    const raster = rasterize(map, LAYOUT);
    expect(raster.scale.bytesPerPixel).toBe(PAGE_SIZE / (64 * 16));
    expect(raster.width).toBe(64);
    expect(raster.height).toBe(16 * 4);
    const bytesPerPixel = raster.scale.bytesPerPixel;
    const pixel = (address: number, line = 0): number[] => {
      const cell = Math.floor(address / bytesPerPixel);
      const at = ((Math.floor(cell / 64) * 4 + line) * 64 + (cell % 64)) * 4;
      return [...raster.pixels.subarray(at, at + 4)];
    };
    expect(pixel(ptr + 10_000)).toEqual([...rgb(COLORS.used), 255]);
    expect(pixel(ptr + 10_000, 2)).toEqual([...rgb(COLORS.used), 255]);
    // The gap under each row stays empty.
    expect(pixel(ptr + 10_000, 3)).toEqual([0, 0, 0, 0]);
    expect(pixel(ptr + 30_000)).toEqual([...rgb(COLORS.free), 255]);
    expect(pixel(PAGE_SIZE - 1)).toEqual([...rgb(COLORS.sentinel), 255]);
    // A pixel shared by the control structure and the first block mixes them by bytes: it spans 1728 to 1792, of which
    // 4 bytes are state and 60 the block (from its header at 8 + 1724 = 1732).
    const firstBlock = 8 + TLSF_CONTROL_SIZE;
    expect(ptr - map.blockOverhead).toBe(firstBlock);
    const cellStart = Math.floor(firstBlock / bytesPerPixel) * bytesPerPixel;
    const stateBytes = firstBlock - cellStart;
    const state = rgb(COLORS.state);
    const used = rgb(COLORS.used);
    const mix = state.map(
      (channel, index) =>
        (channel * stateBytes + (used[index] as number) * (bytesPerPixel - stateBytes)) / bytesPerPixel,
    );
    const shared = pixel(firstBlock);
    expect(stateBytes).toBe(4);
    expect(shared[3]).toBe(255);
    for (const [index, channel] of mix.entries())
      expect(Math.abs((shared[index] as number) - channel)).toBeLessThanOrEqual(0.5);
  });

  it("lays a map out for a larger span when asked, leaving the rows past its memory empty", () => {
    const map = mapMemory(tlsf(LinearMemory.create()));
    const raster = rasterize(map, LAYOUT, 4 * PAGE_SIZE);
    expect(raster.scale.bytesPerPixel).toBe((4 * PAGE_SIZE) / (64 * 16));
    expect(raster.height).toBe(4 * 4);
  });
});
