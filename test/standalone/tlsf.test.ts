import { describe, expect, it } from "vitest";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { TLSF_CONTROL_SIZE } from "../../src/allocator/tlsf.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { allocate_memory, allocator, free_memory, HEAP_BASE, memory, reset_memory } from "../../src/standalone/tlsf.js";

describe("linmem/allocator/tlsf", () => {
  it("allocates, frees and resets on a memory of its own", () => {
    expect(memory).toBeInstanceOf(LinearMemory);
    expect(allocator.memory).toBe(memory);
    reset_memory();
    const first = allocate_memory(10);
    expect(first).toBe(HEAP_BASE + TLSF_CONTROL_SIZE + 4);
    const second = allocate_memory(100_000);
    expect(memory.byteLength).toBeGreaterThanOrEqual(second + 100_000);
    free_memory(first);
    // Unlike the arena, TLSF reuses what was freed...
    expect(allocate_memory(10)).toBe(first);
    free_memory(first);
    free_memory(second);
    free_memory(0);
    // ...and knows a block it already has back.
    expect(() => free_memory(second)).toThrow(AllocationTrap);
    allocator.check();
    reset_memory();
    expect(allocator.stats().blocksInUse).toBe(0);
    expect(allocator.stats().bytesFree).toBeGreaterThan(PAGE_SIZE);
    expect(allocate_memory(1)).toBe(first);
    allocator.check();
  });
});
