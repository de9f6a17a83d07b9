import { describe, expect, it } from "vitest";
import { HeapCorruptionError } from "../../src/allocator/errors.js";
import { expectHeader, magicNumber, magicTag, requireHeapBase, writeHeader } from "../../src/allocator/heap-header.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";

describe("heap header", () => {
  it("spells the magic in little-endian ASCII", () => {
    const memory = LinearMemory.create();
    writeHeader(memory, 16, magicNumber("ARN1"));
    expect(String.fromCharCode(...memory.u8.subarray(16, 20))).toBe("ARN1");
    expect(magicTag(magicNumber("TLSF"))).toBe("TLSF");
    expect(() => magicNumber("TOO LONG")).toThrow(RangeError);
  });

  it("tells a heap of another kind, or no heap at all", () => {
    const memory = LinearMemory.create();
    writeHeader(memory, 16, magicNumber("ARN1"));
    expect(() => expectHeader(memory, 16, magicNumber("ARN1"))).not.toThrow();
    expect(() => expectHeader(memory, 16, magicNumber("TLSF"))).toThrow(HeapCorruptionError);
    expect(() => expectHeader(memory, 16, magicNumber("TLSF"))).toThrow(/expected a "TLSF" heap/);
    expect(() => expectHeader(memory, memory.byteLength, magicNumber("ARN1"))).toThrow(/no heap here/);
  });

  it("accepts only 8-aligned heap bases inside the address space", () => {
    expect(() => requireHeapBase(0)).not.toThrow();
    expect(() => requireHeapBase(24)).not.toThrow();
    for (const bad of [4, -8, 8.5, Number.NaN, 2 ** 32]) expect(() => requireHeapBase(bad)).toThrow(RangeError);
  });
});
