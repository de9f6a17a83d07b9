import { describe, expect, it } from "vitest";
import { ADDRESS_LIMIT, ensureMemory } from "../../src/allocator/growth.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";

describe("ensureMemory", () => {
  it("does nothing when the memory is long enough", () => {
    const memory = LinearMemory.create({ initialPages: 2 });
    expect(ensureMemory(memory, 2 * PAGE_SIZE)).toBe(true);
    expect(memory.pages).toBe(2);
  });

  it("doubles the memory when that is enough", () => {
    const memory = LinearMemory.create({ initialPages: 4 });
    expect(ensureMemory(memory, 4 * PAGE_SIZE + 1)).toBe(true);
    expect(memory.pages).toBe(8);
  });

  it("grows by what is needed when that is more than doubling", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    expect(ensureMemory(memory, 10 * PAGE_SIZE)).toBe(true);
    expect(memory.pages).toBe(10);
  });

  it("grows by exactly what is needed when the maximum forbids doubling", () => {
    const memory = LinearMemory.create({ initialPages: 4, maximumPages: 6 });
    expect(ensureMemory(memory, 5 * PAGE_SIZE + 100)).toBe(true);
    expect(memory.pages).toBe(6);
  });

  it("fails and changes nothing when even that is too much", () => {
    const memory = LinearMemory.create({ initialPages: 4, maximumPages: 6 });
    expect(ensureMemory(memory, 6 * PAGE_SIZE + 1)).toBe(false);
    expect(memory.pages).toBe(4);
    expect(ensureMemory(LinearMemory.wrap(new ArrayBuffer(PAGE_SIZE)), PAGE_SIZE + 1)).toBe(false);
  });

  it("counts from the memory's real end, for a heap that starts beyond it", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    expect(ensureMemory(memory, 7 * PAGE_SIZE + 8)).toBe(true);
    expect(memory.byteLength).toBeGreaterThanOrEqual(7 * PAGE_SIZE + 8);
  });

  it("refuses to reach 2^32, which a u32 heap offset cannot hold", () => {
    const memory = LinearMemory.create({ initialPages: 1 });
    expect(ensureMemory(memory, ADDRESS_LIMIT + 1)).toBe(false);
    expect(memory.pages).toBe(1);
  });
});
