import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import { blockRuns, blockRunsWithin } from "../../src/map/block-runs.js";
import { mapMemory } from "../../src/map/memory-map.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";

/** A buddy heap of 16-byte blocks, every fourth one freed, and a few large ones after them. */
function smallBlocks(count: number) {
  const heap = buddy(LinearMemory.create());
  const pointers = Array.from({ length: count }, () => heap.allocate(16));
  for (const [i, ptr] of pointers.entries()) if (i % 4 === 0) heap.free(ptr);
  for (let i = 0; i < 3; i++) heap.allocate(4096);
  return mapMemory(heap);
}

describe("blockRuns", () => {
  it("draws every block alone at threshold 0", () => {
    const map = smallBlocks(100);
    const drawn = blockRuns(map, 0);
    expect(drawn.every((item) => item.kind === "block")).toBe(true);
    expect(drawn.map((item) => (item.kind === "block" ? item.block : null))).toEqual(map.blocks.toArray());
  });

  it("gathers neighbours under the threshold into runs of at least the threshold, and leaves larger blocks alone", () => {
    const map = smallBlocks(1000);
    const drawn = blockRuns(map, 128);
    let blocks = 0;
    let end = drawn[0]?.start ?? 0;
    for (const item of drawn) {
      expect(item.start).toBeGreaterThanOrEqual(end);
      end = item.end;
      if (item.kind === "block") {
        blocks++;
      } else {
        blocks += item.blocks;
        expect(item.blocks).toBeGreaterThan(1);
        expect(item.end - item.start).toBeLessThanOrEqual(128 + 16);
        expect(item.usedBytes).toBe(16 * item.usedBlocks);
      }
    }
    expect(blocks).toBe(map.blocks.length);
    expect(drawn.filter((item) => item.kind === "run").length).toBeGreaterThan(100);
    expect(drawn.filter((item) => item.kind === "block" && item.block.size >= 4096).length).toBeGreaterThanOrEqual(3);
  });
});

describe("blockRunsWithin", () => {
  it("draws every block alone when they fit the budget, else at the smallest power of two that fits it", () => {
    const map = smallBlocks(1000);
    const all = blockRunsWithin(map, map.blocks.length, 4);
    expect(all.threshold).toBe(0);
    expect(all.drawn).toHaveLength(map.blocks.length);
    const { threshold, drawn } = blockRunsWithin(map, 200, 4);
    expect(drawn).toEqual(blockRuns(map, threshold));
    expect(drawn.length).toBeLessThanOrEqual(200);
    expect(blockRuns(map, threshold / 2).length).toBeGreaterThan(200);
  });
});
