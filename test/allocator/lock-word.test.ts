/** The lock word's two operations, through WebAssembly on a shared WebAssembly.Memory and through Atomics otherwise. */
import { describe, expect, it } from "vitest";
import { LOCK_WORD_BYTES, LOCK_WORD_TEXT, lockWordOperations } from "../../src/allocator/lock-word.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { assembleWat } from "../support/wat.js";

describe("the lock word's operations", () => {
  it("come from a module whose bytes are its text, assembled", async () => {
    const bytes = await assembleWat(LOCK_WORD_TEXT);
    expect(Buffer.from(bytes).toString("base64")).toBe(LOCK_WORD_BYTES);
  });

  it.each([
    { memory: "a shared WebAssembly.Memory", make: () => LinearMemory.create({ maximumPages: 4, shared: true }) },
    {
      memory: "a growable SharedArrayBuffer",
      make: () => LinearMemory.wrap(new SharedArrayBuffer(PAGE_SIZE, { maxByteLength: 4 * PAGE_SIZE })),
    },
  ])("compare-and-swap from 0 and exchange with 0, on $memory", ({ make }) => {
    const memory = make();
    const { take, give } = lockWordOperations(memory);
    expect(take(68, 0x1234)).toBe(0);
    expect(memory.u32[17]).toBe(0x1234);
    expect(take(68, 0x5678)).toBe(0x1234);
    expect(memory.u32[17]).toBe(0x1234);
    expect(give(68)).toBe(0x1234);
    expect(memory.u32[17]).toBe(0);
    // Tags up to 2^32 - 2 come back as the i32 they are.
    expect(take(68, 0xffff_fffe)).toBe(0);
    expect(give(68) >>> 0).toBe(0xffff_fffe);
  });

  it("are one instance per memory, shared by its locks", () => {
    const memory = LinearMemory.create({ maximumPages: 4, shared: true });
    const other = LinearMemory.wrap(memory.memory as WebAssembly.Memory);
    expect(lockWordOperations(other).take).toBe(lockWordOperations(memory).take);
  });
});
