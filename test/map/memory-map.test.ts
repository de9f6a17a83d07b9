import { describe, expect, it } from "vitest";
import { buddy } from "../../src/allocator/buddy.js";
import { TLSF_CONTROL_SIZE, tlsf } from "../../src/allocator/tlsf.js";
import { MAPPABLE_ALLOCATORS } from "../../src/map/allocators.js";
import { type MappableAllocator, type MemoryMap, mapMemory } from "../../src/map/memory-map.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { walked } from "../support/heap-model.js";

const sample = loadTrace(SAMPLE_TRACE);

/** Every byte from 0 to the end of memory, as the map says: each stretch in order, no gap, no overlap. */
function stretches(map: MemoryMap): { kind: string; start: number; end: number }[] {
  const blocks = map.blocks.toArray().map((block) => ({
    kind: block.used ? "used" : "free",
    start: block.ptr - map.blockOverhead,
    end: block.ptr + block.size,
  }));
  return [...map.areas, ...blocks].sort((a, b) => a.start - b.start);
}

function expectTiling(map: MemoryMap): void {
  let at = 0;
  for (const stretch of stretches(map)) {
    expect(stretch.start, `${stretch.kind} at ${stretch.start}`).toBe(at);
    expect(stretch.end).toBeGreaterThan(stretch.start);
    at = stretch.end;
  }
  expect(at).toBe(map.memorySize);
}

function heapAfter(name: string, events: number, heapBase = 8): MappableAllocator {
  const factory = MAPPABLE_ALLOCATORS[name] as (typeof MAPPABLE_ALLOCATORS)[string];
  const allocator = factory(LinearMemory.create(), { heapBase });
  new ReplayCursor(sample, allocator).advanceTo(events);
  return allocator;
}

describe("mapMemory", () => {
  for (const name of ["tlsf", "buddy"]) {
    for (const events of [0, 1_000, 20_000, sample.length]) {
      it(`${name} after ${events} events: the blocks of walk(), the figures of stats(), the memory tiled`, () => {
        const allocator = heapAfter(name, events);
        const map = mapMemory(allocator);
        expect(map.blocks.toArray()).toEqual(walked(allocator));
        expectTiling(map);
        const stats = allocator.stats();
        expect(map.figures).toMatchObject({
          blocksInUse: stats.blocksInUse,
          bytesInUse: stats.bytesInUse,
          footprint: stats.heapEnd - stats.heapStart,
          memorySize: stats.memorySize,
        });
        const free = walked(allocator).filter((block) => !block.used);
        const freeBytes = free.reduce((sum, block) => sum + block.size, 0);
        const largest = Math.max(0, ...free.map((block) => block.size));
        expect(map.figures.freeBlocks).toBe(free.length);
        expect(map.figures.freeBytes).toBe(freeBytes);
        expect(map.figures.largestFree).toBe(largest);
        expect(map.figures.fragmentation).toBeCloseTo(freeBytes === 0 ? 0 : 1 - largest / freeBytes, 12);
        expect(map.areas.slice(0, 2).map((area) => area.kind)).toEqual(["null", "header"]);
      });
    }
  }

  it("shows static data below a heap base above 8", () => {
    const map = mapMemory(heapAfter("tlsf", 100, 4096));
    expect(map.areas.slice(0, 4)).toEqual([
      { kind: "null", start: 0, end: 8 },
      { kind: "static", start: 8, end: 4096 },
      { kind: "header", start: 4096, end: 4104 },
      { kind: "state", start: 4104, end: 4096 + TLSF_CONTROL_SIZE },
    ]);
    expectTiling(map);
  });

  it("shows each TLSF region's sentinel, and the memory someone else grew between regions", () => {
    const memory = LinearMemory.create();
    const heap = tlsf(memory);
    heap.allocate(1000);
    const foreignStart = memory.byteLength;
    memory.grow(1);
    heap.allocate(2 * PAGE_SIZE);
    const map = mapMemory(heap);
    expectTiling(map);
    const kinds = map.areas.map((area) => area.kind);
    expect(kinds.filter((kind) => kind === "sentinel")).toHaveLength(2);
    const foreign = map.areas.find((area) => area.kind === "foreign");
    // The old region's sentinel ends 4 bytes before its end of memory; the new region's first block 4 bytes after it.
    expect(foreign).toEqual({ kind: "foreign", start: foreignStart, end: foreignStart + PAGE_SIZE + 4 });
  });

  it("shows the buddy allocator's bitmap, and the memory past its tree as spare", () => {
    const memory = LinearMemory.create();
    const heap = buddy(memory);
    heap.allocate(100);
    memory.grow(3);
    const map = mapMemory(heap);
    expectTiling(map);
    const { ptr, size } = heap.bitmap();
    expect(map.areas).toContainEqual({ kind: "bitmap", start: ptr, end: ptr + size });
    expect(map.areas.at(-1)).toEqual({ kind: "spare", start: heap.treeEnd(), end: 4 * PAGE_SIZE });
  });
});
