import { describe, expect, it } from "vitest";
import { ARENA_STATE_SIZE } from "../../src/allocator/arena.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import {
  allocate_memory,
  allocator,
  free_memory,
  HEAP_BASE,
  memory,
  reset_memory,
} from "../../src/standalone/arena.js";

describe("linmem/allocator/arena", () => {
  it("allocates, frees and resets on a memory of its own", () => {
    expect(memory).toBeInstanceOf(LinearMemory);
    reset_memory();
    const first = allocate_memory(10);
    expect(first).toBe(HEAP_BASE + ARENA_STATE_SIZE);
    const second = allocate_memory(100_000);
    expect(second).toBe(first + 16);
    expect(memory.byteLength).toBeGreaterThanOrEqual(second + 100_000);
    free_memory(second);
    free_memory(0);
    reset_memory();
    expect(allocate_memory(1)).toBe(first);
    allocator.check();
  });
});
