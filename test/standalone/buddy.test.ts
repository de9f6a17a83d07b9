import { describe, expect, it } from "vitest";
import { AllocationTrap } from "../../src/allocator/errors.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import {
  allocate_memory,
  allocator,
  free_memory,
  HEAP_BASE,
  memory,
  reset_memory,
} from "../../src/standalone/buddy.js";

describe("linmem/allocator/buddy", () => {
  it("allocates, frees and resets on a memory of its own", () => {
    expect(memory).toBeInstanceOf(LinearMemory);
    expect(allocator.heapBase).toBe(HEAP_BASE);
    reset_memory();
    const first = allocate_memory(16);
    const second = allocate_memory(100_000);
    expect(second % 131072).toBe(0);
    expect(memory.byteLength).toBeGreaterThanOrEqual(second + 100_000);
    free_memory(first);
    expect(() => free_memory(first)).toThrow(AllocationTrap);
    free_memory(0);
    allocator.check();
    reset_memory();
    expect(allocate_memory(16)).toBe(first);
    expect(allocator.stats().blocksInUse).toBe(1);
    allocator.check();
  });
});
