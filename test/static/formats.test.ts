import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import {
  type ElementType,
  elementsOffset,
  encodeArray,
  encodeString,
  readArray,
  readString,
  writeString,
} from "../../src/static/formats.js";

/** Strings of arbitrary UTF-16 code units, lone surrogates included. */
const codeUnitStrings = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength });

describe("strings", () => {
  it("lay out as a u32 length then UTF-16LE code units", () => {
    expect(Buffer.from(encodeString("Hello")).toString("hex")).toBe("0500000048006500" + "6c006c006f00");
    const memory = LinearMemory.create();
    expect(writeString(memory, 8, "Hello")).toBe(22);
    expect(Buffer.from(memory.u8.subarray(8, 22)).toString("hex")).toBe("05000000480065006c006c006f00");
    expect(readString(memory, 8)).toBe("Hello");
  });

  it("round-trip any code units, lone surrogates included, at even and odd pointers", () => {
    const memory = LinearMemory.create({ initialPages: 4 });
    fc.assert(
      fc.property(codeUnitStrings(300), fc.integer({ min: 0, max: PAGE_SIZE }), (s, ptr) => {
        writeString(memory, ptr, s);
        expect(readString(memory, ptr)).toBe(s);
      }),
    );
  });

  it("keep lone surrogates in long strings, which the decoder path would replace", () => {
    const memory = LinearMemory.create({ initialPages: 4 });
    const long = `${"x".repeat(5000)}\ud800${"y".repeat(5000)}\udfff`;
    writeString(memory, 16, long);
    expect(readString(memory, 16)).toBe(long);
    const valid = "😀 ok ".repeat(3000);
    writeString(memory, 16, valid);
    expect(readString(memory, 16)).toBe(valid);
  });

  it("read from a shared memory", () => {
    const memory = LinearMemory.create({ maximumPages: 2, shared: true });
    const s = "shared ".repeat(40);
    writeString(memory, 8, s);
    expect(readString(memory, 8)).toBe(s);
  });

  it("refuse a pointer or length that runs past the end of memory, naming the pointer", () => {
    const memory = LinearMemory.create();
    expect(() => readString(memory, PAGE_SIZE - 2)).toThrow(/readString\(65534\).*past the end of memory/);
    memory.u32[4] = 1_000_000;
    expect(() => readString(memory, 16)).toThrow(RangeError);
    expect(() => readString(memory, -4)).toThrow(/readString\(-4\)/);
    expect(() => readString(memory, 1.5)).toThrow(RangeError);
  });

  it("are not written at all when they would not fit", () => {
    const memory = LinearMemory.create();
    const before = memory.u8.slice();
    expect(() => writeString(memory, PAGE_SIZE - 10, "too long")).toThrow(/writeString\(65526\)/);
    expect(Buffer.compare(memory.u8, before)).toBe(0);
  });
});

const types: ElementType[] = ["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64"];

describe("arrays", () => {
  it("put a u32 count first and align 8-byte elements after a 4-byte gap", () => {
    const bytes = encodeArray("f64", [1]);
    expect(bytes.length).toBe(16);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(new DataView(bytes.buffer).getFloat64(8, true)).toBe(1);
    expect(Array.from(encodeArray("u16", [0x102, 3]))).toEqual([2, 0, 0, 0, 2, 1, 3, 0]);
    expect(elementsOffset("i8")).toBe(4);
    expect(elementsOffset("u64")).toBe(8);
  });

  it("round-trip every element type", () => {
    const memory = LinearMemory.create();
    const samples: Record<ElementType, (number | bigint)[]> = {
      i8: [-128, 0, 127],
      u8: [0, 255],
      i16: [-32768, 32767],
      u16: [0, 65535],
      i32: [-(2 ** 31), 2 ** 31 - 1],
      u32: [0, 2 ** 32 - 1],
      i64: [-(2n ** 63n), 2n ** 63n - 1n, 5],
      u64: [0n, 2n ** 64n - 1n],
      f32: [0.5, -1.25, Number.POSITIVE_INFINITY],
      f64: [Math.PI, -0, Number.NaN],
    };
    for (const type of types) {
      const values = samples[type];
      memory.u8.set(encodeArray(type, values), 64);
      const read = Array.from(readArray(memory, 64, type) as ArrayLike<number | bigint>);
      const expected = type === "i64" ? values.map((v) => BigInt(v)) : values;
      expect(read, type).toEqual(expected);
    }
  });

  it("refuse values the element type cannot hold exactly", () => {
    expect(() => encodeArray("u8", [300])).toThrow(/u8 cannot hold values\[0\] = 300/);
    expect(() => encodeArray("i32", [1.5])).toThrow(RangeError);
    expect(() => encodeArray("u64", [-1n])).toThrow(RangeError);
    expect(() => encodeArray("i64", [0.5])).toThrow(RangeError);
    expect(() => encodeArray("f64", [1n])).toThrow(RangeError);
    expect(() => encodeArray("i128" as ElementType, [1])).toThrow(TypeError);
  });

  it("refuse a count that runs past the end of memory", () => {
    const memory = LinearMemory.create();
    memory.u32[2] = 0xffff;
    expect(() => readArray(memory, 8, "u32")).toThrow(/readArray\(8\): 65535 elements of u32/);
  });
});
