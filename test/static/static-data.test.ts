import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { type ElementType, readArray, readString } from "../../src/static/formats.js";
import { StaticData } from "../../src/static/static-data.js";

describe("StaticData", () => {
  it('lays out "Hello" at 8, byte for byte, with the heap at 24', () => {
    const data = new StaticData();
    expect(data.string("Hello")).toBe(8);
    expect(data.end).toBe(22);
    expect(data.heapBase).toBe(24);
    const memory = LinearMemory.create();
    data.writeTo(memory);
    expect(Array.from(memory.u8.subarray(8, 22))).toEqual([
      0x05, 0x00, 0x00, 0x00, 0x48, 0x00, 0x65, 0x00, 0x6c, 0x00, 0x6c, 0x00, 0x6f, 0x00,
    ]);
    expect(Array.from(memory.u8.subarray(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("stores identical constants once", () => {
    const data = new StaticData();
    const hello = data.string("Hello");
    const world = data.string("world");
    expect(data.string("Hello")).toBe(hello);
    expect(world).not.toBe(hello);
    const numbers = data.array("i32", [1, 2, 3]);
    expect(data.array("i32", [1, 2, 3])).toBe(numbers);
    expect(data.array("i32", [1, 2, 4])).not.toBe(numbers);
    expect(data.segments.length).toBe(4);
  });

  it("starts with an empty heap right after the null reserve", () => {
    expect(new StaticData().heapBase).toBe(8);
    expect(new StaticData({ memoryBase: 13 }).heapBase).toBe(16);
    expect(() => new StaticData({ memoryBase: -8 })).toThrow(RangeError);
  });

  it("aligns raw segments as asked, and never below 8", () => {
    const data = new StaticData();
    data.bytes(new Uint8Array([1]));
    expect(data.bytes(new Uint8Array([2, 3]), 4096)).toBe(4096);
    expect(data.bytes(new Uint8Array([4]), 2) % 8).toBe(0);
    expect(() => data.bytes(new Uint8Array(1), 3)).toThrow(RangeError);
  });

  it("keeps every layout 8-aligned, ordered, disjoint, readable, with HEAP_BASE the next 8-aligned offset", () => {
    const constant = fc.oneof(
      fc.string({ maxLength: 20 }).map((s) => ({ kind: "string" as const, s })),
      fc.record({
        kind: fc.constant("array" as const),
        type: fc.constantFrom<ElementType>("u8", "i16", "u32", "f64", "i64"),
        values: fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 9 }),
      }),
      fc.record({
        kind: fc.constant("bytes" as const),
        data: fc.uint8Array({ maxLength: 17 }),
        align: fc.constantFrom(1, 8, 16, 64),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.array(constant, { maxLength: 25 }), (memoryBase, constants) => {
        const data = new StaticData({ memoryBase });
        const placed = constants.map((c) => {
          if (c.kind === "string") return { c, ptr: data.string(c.s) };
          if (c.kind === "array") {
            const values = c.type === "i64" ? c.values.map(BigInt) : c.values;
            return { c, ptr: data.array(c.type, values) };
          }
          return { c, ptr: data.bytes(c.data, c.align) };
        });
        let previousEnd = memoryBase;
        for (const segment of data.segments) {
          expect(segment.offset % 8).toBe(0);
          expect(segment.offset).toBeGreaterThanOrEqual(previousEnd);
          previousEnd = segment.offset + segment.bytes.length;
        }
        expect(data.end).toBe(previousEnd);
        expect(data.heapBase % 8).toBe(0);
        expect(data.heapBase - data.end).toBeGreaterThanOrEqual(0);
        expect(data.heapBase - data.end).toBeLessThan(8);
        const memory = LinearMemory.create();
        data.writeTo(memory);
        for (const { c, ptr } of placed) {
          if (c.kind === "string") expect(readString(memory, ptr)).toBe(c.s);
          else if (c.kind === "array") expect(Array.from(readArray(memory, ptr, c.type), Number)).toEqual(c.values);
          else {
            expect(ptr % Math.max(c.align, 8)).toBe(0);
            expect(Array.from(memory.u8.subarray(ptr, ptr + c.data.length))).toEqual(Array.from(c.data));
          }
        }
      }),
    );
  });

  it("grows the memory it is written to, and refuses one that cannot grow", () => {
    const data = new StaticData();
    data.bytes(new Uint8Array(PAGE_SIZE * 2));
    const memory = LinearMemory.create();
    data.writeTo(memory);
    expect(memory.pages).toBe(3);
    expect(() => data.writeTo(new ArrayBuffer(PAGE_SIZE))).toThrow(/static data needs/);
  });
});
