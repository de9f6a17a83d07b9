/**
 * dlmalloc and emmalloc exist only where `npm run build` found emcc (apt-get install -y emscripten); elsewhere their
 * tests are skipped, and the reason the contender gives for being unavailable is printed once and noted on each.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { HeapMaker } from "../../../src/bench/contender.js";
import { dlmalloc, emmalloc } from "../../../src/bench/peers/emscripten-malloc.js";
import { describeUnavailable, unavailableAmong } from "../../../src/bench/requirement.js";
import { ringWorkload } from "../../../src/bench/ring.js";
import { traceWorkload } from "../../../src/bench/trace-workload.js";
import type { Footprint } from "../../../src/bench/workload.js";
import { loadTrace, SAMPLE_TRACE } from "../../../src/trace/load.js";

const NEEDS = { peakLiveBytes: 1 << 16, bytesAllocated: 1 << 20 };

/** A footprint that counts at least the live bytes and no more than the memory past the heap's start. */
function expectSensible(footprint: Footprint, heapBase: number): void {
  const { peakLiveBytes, peakFootprint, memorySize } = footprint;
  expect(peakFootprint).not.toBeNull();
  expect(peakFootprint as number).toBeGreaterThanOrEqual(peakLiveBytes);
  expect(peakFootprint as number).toBeLessThanOrEqual((memorySize as number) - heapBase);
}

describe.each([dlmalloc, emmalloc])("$name", (contender) => {
  const unavailable = describeUnavailable(unavailableAmong([contender]));
  let maker: HeapMaker | null = null;
  beforeAll(async () => {
    if (unavailable === null) maker = await contender.load();
    else console.warn(`${contender.name}'s tests are skipped. ${unavailable}`);
  });

  /** The contender's heap maker, or the test skipped with why the contender is unavailable. */
  const heapMaker = (skip: (note: string) => never): HeapMaker => maker ?? skip(unavailable ?? "");

  it("begins its heap where its first block is, after static data and the stack", async ({ skip }) => {
    const heap = await heapMaker(skip)(NEEDS);
    expect(heap.heapBase).toBeGreaterThan(0);
    const first = heap.allocate(8);
    // Only the allocator's own header or state lies between the heap's start and its first block.
    expect(first).toBeGreaterThan(heap.heapBase as number);
    expect(first - (heap.heapBase as number)).toBeLessThanOrEqual(64);
  });

  it("keeps every block's bytes through allocation, aligned allocation and resizing", async ({ skip }) => {
    const heap = await heapMaker(skip)(NEEDS);
    const small = heap.allocate(24);
    const aligned = heap.allocate(100, 4096);
    expect(aligned % 4096).toBe(0);
    heap.bytes(small, 24).fill(1);
    heap.bytes(aligned, 100).fill(2);
    const grown = heap.reallocate(small, 100_000, 24);
    expect(heap.bytes(grown, 24).every((byte) => byte === 1)).toBe(true);
    expect(heap.bytes(aligned, 100).every((byte) => byte === 2)).toBe(true);
    heap.free(grown);
    heap.free(aligned);
  });

  it("keeps a block when one is resized to 0 bytes", async ({ skip }) => {
    const heap = await heapMaker(skip)(NEEDS);
    const resized = heap.reallocate(heap.allocate(40), 0, 40);
    expect(resized).not.toBe(0);
    heap.free(resized);
  });

  it("grows its memory as blocks need it, and says when it can grow no more", async ({ skip }) => {
    const heap = await heapMaker(skip)(NEEDS);
    const before = heap.memorySize() as number;
    const large = heap.allocate(8 << 20);
    expect(heap.memorySize()).toBeGreaterThanOrEqual(large + (8 << 20));
    expect(heap.memorySize()).toBeGreaterThan(before);
    expect(() => heap.allocate(0xfff0_0000)).toThrow(new RegExp(`^${contender.name}: malloc\\(\\d+\\) returned 0`));
  });

  it("starts again from an empty heap on reset, with its memory kept", async ({ skip }) => {
    const heap = await heapMaker(skip)(NEEDS);
    const first = heap.allocate(32);
    heap.allocate(1 << 20);
    const grown = heap.memorySize();
    heap.reset();
    expect(heap.memorySize()).toBe(grown);
    expect(heap.allocate(32)).toBe(first);
  });

  it("runs a ring verified, every byte intact, and measures its footprint", async ({ skip }) => {
    const makeHeap = heapMaker(skip);
    const ring = ringWorkload({ liveBlocks: 100, steps: 20_000, minSize: 8, maxSize: 512, seed: 5 });
    const heap = await makeHeap(ring);
    expectSensible(ring.verify(heap), heap.heapBase as number);
  });

  it("replays the sample trace verified, every byte intact, and measures its footprint", async ({ skip }) => {
    const makeHeap = heapMaker(skip);
    const sample = traceWorkload(loadTrace(SAMPLE_TRACE));
    const heap = await makeHeap(sample);
    const footprint = sample.verify(heap);
    expect(footprint.peakLiveBytes).toBe(sample.peakLiveBytes);
    expectSensible(footprint, heap.heapBase as number);
  });
});
