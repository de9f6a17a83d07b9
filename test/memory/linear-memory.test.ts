import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LinearMemory, MAX_PAGES, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { assembleWat } from "../support/wat.js";

describe("LinearMemory.create", () => {
  it("makes a one-page memory that may grow to 4 GiB by default", () => {
    const memory = LinearMemory.create();
    expect(memory.pages).toBe(1);
    expect(memory.byteLength).toBe(PAGE_SIZE);
    expect(memory.maximumPages).toBe(MAX_PAGES);
    expect(memory.shared).toBe(false);
    expect(memory.memory).toBeInstanceOf(WebAssembly.Memory);
  });

  it("refuses page counts that are not whole, negative, too large or inconsistent", () => {
    expect(() => LinearMemory.create({ initialPages: 1.5 })).toThrow(RangeError);
    expect(() => LinearMemory.create({ initialPages: -1 })).toThrow(RangeError);
    expect(() => LinearMemory.create({ maximumPages: MAX_PAGES + 1 })).toThrow(RangeError);
    expect(() => LinearMemory.create({ initialPages: 3, maximumPages: 2 })).toThrow(/exceeds maximumPages/);
  });

  it("backs a shared memory with a SharedArrayBuffer", () => {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 4, shared: true });
    expect(memory.shared).toBe(true);
    expect(memory.u8.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe("grow", () => {
  it("returns the previous page count, or -1 beyond the maximum with nothing changed", () => {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 3 });
    expect(memory.grow(1)).toBe(1);
    expect(memory.pages).toBe(2);
    expect(memory.grow(2)).toBe(-1);
    expect(memory.pages).toBe(2);
    expect(memory.grow(0)).toBe(2);
    expect(memory.grow(1)).toBe(2);
    expect(memory.byteLength).toBe(3 * PAGE_SIZE);
  });

  it("refuses a delta that is not a page count", () => {
    const memory = LinearMemory.create();
    expect(() => memory.grow(-1)).toThrow(RangeError);
    expect(() => memory.grow(0.5)).toThrow(RangeError);
  });

  it("cannot grow a plain buffer, whose size is fixed", () => {
    const memory = LinearMemory.wrap(new ArrayBuffer(100_000));
    expect(memory.pages).toBe(1);
    expect(memory.byteLength).toBe(100_000);
    expect(memory.grow(0)).toBe(1);
    expect(memory.grow(1)).toBe(-1);
    expect(memory.byteLength).toBe(100_000);
  });
});

describe("views", () => {
  it("all alias the same little-endian bytes", () => {
    const memory = LinearMemory.create();
    memory.f64[1] = 1.5;
    expect(Array.from(memory.u8.subarray(8, 16))).toEqual([0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    memory.u32[4] = 0xdeadbeef;
    expect(memory.i32[4]).toBe(0xdeadbeef | 0);
    expect(memory.u16[8]).toBe(0xbeef);
    expect(memory.u8[16]).toBe(0xef);
    memory.f32[5] = 0.25;
    expect(memory.u32[5]).toBe(0x3e800000);
  });

  it("see growth made through the same object", () => {
    const memory = LinearMemory.create();
    const before = memory.u8;
    memory.u8[10] = 42;
    memory.grow(2);
    expect(before.length).toBe(0); // the old buffer is detached: this is the bug the getters prevent
    expect(memory.u8.length).toBe(3 * PAGE_SIZE);
    expect(memory.u32.length).toBe((3 * PAGE_SIZE) / 4);
    expect(memory.f64.length).toBe((3 * PAGE_SIZE) / 8);
    expect(memory.u8[10]).toBe(42);
  });

  it("see growth made by another holder of the same WebAssembly.Memory", () => {
    const raw = new WebAssembly.Memory({ initial: 1, maximum: 10 });
    const first = LinearMemory.wrap(raw);
    const second = LinearMemory.wrap(raw);
    first.u32[0] = 7;
    expect(second.u32[0]).toBe(7);
    raw.grow(1);
    second.grow(1);
    expect(first.pages).toBe(3);
    first.u32[3 * (PAGE_SIZE / 4) - 1] = 99;
    expect(second.u32[3 * (PAGE_SIZE / 4) - 1]).toBe(99);
    expect(first.u32[0]).toBe(7);
  });

  it("see growth made by WebAssembly code", async () => {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 8 });
    const bytes = await assembleWat(`(module
      (import "env" "memory" (memory 1))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))`);
    const { instance } = await WebAssembly.instantiate(bytes, { env: { memory: memory.memory as WebAssembly.Memory } });
    const exports = instance.exports as { grow(pages: number): number; store(at: number, value: number): void };
    const view = memory.u32;
    expect(exports.grow(3)).toBe(1);
    exports.store(4 * PAGE_SIZE - 4, 1234);
    expect(view.length).toBe(0);
    expect(memory.byteLength).toBe(4 * PAGE_SIZE);
    expect(memory.u32[PAGE_SIZE - 1]).toBe(1234);
  });

  it("see growth of a shared memory, which hands out a longer buffer instead of detaching", () => {
    const raw = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const memory = LinearMemory.wrap(raw);
    const before = memory.u8;
    raw.grow(2);
    expect(before.length).toBe(PAGE_SIZE); // still attached, but too short
    expect(memory.u8.length).toBe(3 * PAGE_SIZE);
    memory.u8[3 * PAGE_SIZE - 1] = 5;
    expect(new Uint8Array(raw.buffer)[3 * PAGE_SIZE - 1]).toBe(5);
  });

  it("stay valid through any sequence of growth by any holder", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ byRaw: fc.boolean(), pages: fc.integer({ min: 0, max: 3 }) })), (steps) => {
        const raw = new WebAssembly.Memory({ initial: 1, maximum: 64 });
        const memory = LinearMemory.wrap(raw, { maximumPages: 64 });
        let pages = 1;
        for (const step of steps) {
          const grown = step.byRaw ? raw.grow(step.pages) : memory.grow(step.pages);
          expect(grown).toBe(pages);
          pages += step.pages;
          const last = pages * (PAGE_SIZE / 4) - 1;
          memory.u32[last] = pages;
          expect(new Uint32Array(raw.buffer)[last]).toBe(pages);
        }
        expect(memory.pages).toBe(pages);
      }),
    );
  });
});

describe("LinearMemory.wrap", () => {
  it("returns a LinearMemory as it is", () => {
    const memory = LinearMemory.create();
    expect(LinearMemory.wrap(memory)).toBe(memory);
  });

  it("wraps a SharedArrayBuffer as a fixed shared memory", () => {
    const memory = LinearMemory.wrap(new SharedArrayBuffer(PAGE_SIZE * 2));
    expect(memory.shared).toBe(true);
    expect(memory.pages).toBe(2);
    expect(memory.grow(1)).toBe(-1);
  });

  it("refuses anything that is not memory", () => {
    expect(() => LinearMemory.wrap(new Uint8Array(8) as unknown as ArrayBuffer)).toThrow(TypeError);
  });
});

describe("a shared memory", () => {
  it("is made with a maximum, and grows as an unshared one does", () => {
    const memory = LinearMemory.create({ initialPages: 1, maximumPages: 3, shared: true });
    expect(memory.memory?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(memory.grow(1)).toBe(1);
    expect(memory.grow(2)).toBe(-1);
    expect(memory.byteLength).toBe(2 * PAGE_SIZE);
  });

  it("wraps a growable SharedArrayBuffer, whose views follow its length, up to its maximum", () => {
    const buffer = new SharedArrayBuffer(PAGE_SIZE, { maxByteLength: 4 * PAGE_SIZE });
    const memory = LinearMemory.wrap(buffer);
    expect(memory.shared).toBe(true);
    expect(memory.maximumPages).toBe(4);
    const before = memory.u32;
    expect(memory.grow(2)).toBe(1);
    expect(buffer.byteLength).toBe(3 * PAGE_SIZE);
    expect(before.length).toBe((3 * PAGE_SIZE) / 4); // a view without a length follows the buffer
    expect(memory.grow(2)).toBe(-1);
    expect(memory.pages).toBe(3);
    memory.f64[(3 * PAGE_SIZE) / 8 - 1] = 2.5;
    expect(new Float64Array(buffer)[(3 * PAGE_SIZE) / 8 - 1]).toBe(2.5);
  });

  it("sees a growable buffer grown by another holder, in whole pages from its length then", () => {
    const buffer = new SharedArrayBuffer(PAGE_SIZE + 8, { maxByteLength: 8 * PAGE_SIZE });
    const first = LinearMemory.wrap(buffer);
    const second = LinearMemory.wrap(buffer);
    buffer.grow(2 * PAGE_SIZE);
    expect(first.byteLength).toBe(2 * PAGE_SIZE);
    expect(second.grow(1)).toBe(2);
    expect(first.u8.length).toBe(3 * PAGE_SIZE);
  });

  it("wraps a resizable ArrayBuffer alike", () => {
    const buffer = new ArrayBuffer(PAGE_SIZE, { maxByteLength: 2 * PAGE_SIZE });
    const memory = LinearMemory.wrap(buffer);
    expect(memory.shared).toBe(false);
    expect(memory.grow(1)).toBe(1);
    expect(memory.u16.length).toBe(PAGE_SIZE);
    expect(memory.grow(1)).toBe(-1);
  });

  it("refuses a growable buffer whose lengths are not multiples of 8, which its views could not follow", () => {
    expect(() => LinearMemory.wrap(new SharedArrayBuffer(12, { maxByteLength: PAGE_SIZE }))).toThrow(RangeError);
    expect(() => LinearMemory.wrap(new ArrayBuffer(8, { maxByteLength: 100 }))).toThrow(/multiples of 8/);
  });

  it("holds its views until released: the getters stop asking the memory, byteLength does not", () => {
    const raw = new WebAssembly.Memory({ initial: 1, maximum: 8, shared: true });
    const memory = LinearMemory.wrap(raw);
    memory.holdViews(PAGE_SIZE);
    raw.grow(1); // another thread, say
    expect(memory.u8.length).toBe(PAGE_SIZE);
    expect(memory.byteLength).toBe(2 * PAGE_SIZE);
    memory.releaseViews();
    raw.grow(1);
    expect(memory.u32.length).toBe((3 * PAGE_SIZE) / 4);
  });

  it("refreshes views held short of the end asked for, and on growing through it", () => {
    const raw = new WebAssembly.Memory({ initial: 1, maximum: 8, shared: true });
    const memory = LinearMemory.wrap(raw);
    expect(memory.u8.length).toBe(PAGE_SIZE);
    raw.grow(1);
    memory.holdViews(PAGE_SIZE + 1);
    expect(memory.u8.length).toBe(2 * PAGE_SIZE);
    expect(memory.grow(1)).toBe(2);
    expect(memory.f32.length).toBe((3 * PAGE_SIZE) / 4);
    memory.releaseViews();
  });
});
