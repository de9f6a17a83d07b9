import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import { tlsf } from "../../src/allocator/tlsf.js";
import { FIGURE_LABELS } from "../../src/map/figure-labels.js";
import { type MappableAllocator, mapMemory } from "../../src/map/memory-map.js";
import { ELEMENT_BUDGET, heapMapSvg } from "../../src/map/svg.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { walked } from "../support/heap-model.js";

const sample = loadTrace(SAMPLE_TRACE);
const CAPTION = { title: "a heap", footer: "linmem map" };

/** The attributes of every element that has `attribute`, in document order. */
function elementsWith(svg: string, attribute: string): Record<string, string>[] {
  const elements: Record<string, string>[] = [];
  for (const [tag] of svg.matchAll(/<[a-z]+ [^>]*>/g)) {
    if (!tag.includes(` ${attribute}=`)) continue;
    elements.push(Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, name, value]) => [name, value])));
  }
  return elements;
}

function sampleHeap(factory: typeof tlsf | typeof buddy, events: number): MappableAllocator {
  const heap = factory(LinearMemory.create());
  new ReplayCursor(sample, heap).advanceTo(events);
  return heap;
}

describe("heapMapSvg", () => {
  for (const [name, factory] of [
    ["tlsf", tlsf],
    ["buddy", buddy],
  ] as const) {
    it(`draws every block of a ${name} heap as an element that walk() agrees with, each area, and the figures`, () => {
      const heap = sampleHeap(factory, 20_000);
      const map = mapMemory(heap);
      const svg = heapMapSvg(map, CAPTION);
      const blocks = elementsWith(svg, "data-ptr").map((element) => ({
        ptr: Number(element["data-ptr"]),
        size: Number(element["data-size"]),
        used: element["data-state"] === "used",
      }));
      expect(blocks).toEqual(walked(heap));
      expect(elementsWith(svg, "data-state").map((element) => element["data-state"])).toEqual(
        walked(heap).map((block) => (block.used ? "used" : "free")),
      );
      const areas = elementsWith(svg, "data-area").map((element) => ({
        kind: element["data-area"],
        start: Number(element["data-start"]),
        end: Number(element["data-end"]),
      }));
      expect(areas).toEqual(map.areas);
      const stats = heap.stats();
      const shown = Object.fromEntries(
        [...svg.matchAll(/data-stat="(\w+)">([^<]*)</g)].map(([, stat, text]) => [stat, text]),
      );
      const blocksInUse = FIGURE_LABELS.find(({ stat }) => stat === "blocksInUse");
      expect(shown.blocksInUse).toBe(blocksInUse?.format(stats.blocksInUse));
      expect(Object.keys(shown)).toEqual(FIGURE_LABELS.map(({ stat }) => stat));
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [\s\S]*<\/svg>\n$/);
      expect(svg).toContain("each drawn alone");
    });
  }

  it("gives the same bytes for the same heap, drawn twice from two replays", () => {
    const first = heapMapSvg(mapMemory(sampleHeap(tlsf, 30_000)), CAPTION);
    const second = heapMapSvg(mapMemory(sampleHeap(tlsf, 30_000)), CAPTION);
    expect(second).toBe(first);
    expect(heapMapSvg(mapMemory(sampleHeap(tlsf, 30_001)), CAPTION)).not.toBe(first);
  });

  it("draws a heap of 100,000 blocks in under 1 MB, tiny blocks in runs that account for every block", () => {
    const heap = tlsf(LinearMemory.create());
    const pointers: number[] = [];
    for (let i = 0; i < 100_000; i++) pointers.push(heap.allocate(8 + (i % 7) * 8));
    // Every third block freed: small free blocks between used ones, and large blocks here and there.
    for (const [i, ptr] of pointers.entries()) if (i % 3 === 0) heap.free(ptr);
    for (let i = 0; i < 20; i++) heap.allocate(40_000);
    const blocks = walked(heap);
    expect(blocks.length).toBeGreaterThan(100_000);
    const svg = heapMapSvg(mapMemory(heap), CAPTION);
    expect(Buffer.byteLength(svg)).toBeLessThan(1_000_000);
    expect(svg).toMatch(/drawn in [\d,]+ runs/);

    const singles = elementsWith(svg, "data-ptr").map((element) => Number(element["data-ptr"]));
    const runs = elementsWith(svg, "data-blocks").map((element) => ({
      start: Number(element["data-start"]),
      end: Number(element["data-end"]),
      blocks: Number(element["data-blocks"]),
      usedBlocks: Number(element["data-used-blocks"]),
      usedBytes: Number(element["data-used-bytes"]),
    }));
    expect(singles.length + runs.length).toBeLessThanOrEqual(ELEMENT_BUDGET);
    expect(singles.length).toBeGreaterThan(0);
    // Each block is drawn alone or lies in exactly one run, whose counts are its blocks'.
    const single = new Set(singles);
    let run = 0;
    let inRun = { blocks: 0, usedBlocks: 0, usedBytes: 0 };
    for (const block of blocks) {
      if (single.has(block.ptr)) continue;
      while ((runs[run]?.end ?? Number.POSITIVE_INFINITY) <= block.ptr) {
        expect(inRun).toEqual({
          blocks: runs[run]?.blocks,
          usedBlocks: runs[run]?.usedBlocks,
          usedBytes: runs[run]?.usedBytes,
        });
        inRun = { blocks: 0, usedBlocks: 0, usedBytes: 0 };
        run++;
      }
      const current = runs[run];
      expect(current?.start).toBeLessThanOrEqual(block.ptr - 4);
      expect(block.ptr + block.size).toBeLessThanOrEqual(current?.end ?? 0);
      inRun.blocks++;
      if (block.used) {
        inRun.usedBlocks++;
        inRun.usedBytes += block.size;
      }
    }
    expect(run).toBe(runs.length - 1);
    expect(inRun.blocks).toBe(runs.at(-1)?.blocks);
  });
});
