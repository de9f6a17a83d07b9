import { describe, expect, it } from "vitest";
import type { Contender } from "../../src/bench/contender.js";
import { CONTENDERS } from "../../src/bench/contenders.js";
import { assemblyScriptTlsf } from "../../src/bench/peers/assemblyscript-tlsf.js";
import { thingMalloc } from "../../src/bench/peers/thing-malloc.js";
import { uint8Array } from "../../src/bench/peers/uint8array.js";
import { describeUnavailable, unavailableAmong } from "../../src/bench/requirement.js";

const NEEDS = { peakLiveBytes: 1 << 16, bytesAllocated: 1 << 20 };

/** Allocates, resizes and frees a few blocks, checking that each keeps its bytes. */
async function exercise(contender: Contender): Promise<void> {
  const heap = await (await contender.load())(NEEDS);
  const blocks = [0, 1, 24, 1000].map((size, index) => {
    const ptr = heap.allocate(size);
    heap.bytes(ptr, size).fill(index + 1);
    return { ptr, size, fill: index + 1 };
  });
  expect(new Set(blocks.map(({ ptr }) => ptr)).size).toBe(blocks.length);
  for (const block of blocks) expect(block.ptr).not.toBe(0);
  const grown = blocks[2] as (typeof blocks)[number];
  grown.ptr = heap.reallocate(grown.ptr, 5000, grown.size);
  expect(Array.from(heap.bytes(grown.ptr, 24))).toEqual(new Array(24).fill(3));
  for (const { ptr, size, fill } of blocks) {
    expect(heap.bytes(ptr, Math.min(size, 24)).every((byte) => byte === fill)).toBe(true);
    heap.free(ptr);
  }
}

describe("the peers", () => {
  it("@thi.ng/malloc keeps every block's bytes, and takes a size of 0", () => exercise(thingMalloc));
  it("new Uint8Array keeps every block's bytes", () => exercise(uint8Array));
  it("AssemblyScript's TLSF keeps every block's bytes", (context) => {
    const unavailable = describeUnavailable(unavailableAmong([assemblyScriptTlsf]));
    if (unavailable !== null) context.skip(unavailable);
    return exercise(assemblyScriptTlsf);
  });

  it("@thi.ng/malloc says when its pool is full", async () => {
    const heap = await (await thingMalloc.load())({ peakLiveBytes: 0, bytesAllocated: 0 });
    expect(() => heap.allocate(64 << 20)).toThrow(/the pool of \d+ bytes is full/);
  });

  it("every contender in the registry has a name of its own", () => {
    const names = CONTENDERS.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "arena",
        "arena-wasm",
        "tlsf",
        "tlsf-wasm",
        "tlsf-wasm-fast",
        "buddy",
        "buddy-wasm",
        "buddy-wasm-fast",
        "as-tlsf",
        "dlmalloc",
        "emmalloc",
        "thi.ng",
        "uint8array",
      ]),
    );
  });
});
