/** The loader and the modules it loads: what it accepts, what it refuses, and the modules' imports and exports. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BlockAllocator } from "../../src/allocator/contract.js";
import { AllocationTrap, HeapCorruptionError, TRAP_CODE_NUMBERS, type TrapCode } from "../../src/allocator/errors.js";
import { LinearMemory, PAGE_SIZE } from "../../src/memory/linear-memory.js";
import { ALLOCATOR_FUNCTIONS, type AllocatorExports } from "../../src/wasm/abi.js";
import { instantiateAllocator, loadAllocator } from "../../src/wasm/loader.js";
import {
  ALLOCATOR_MODULE_NAMES,
  type AllocatorModuleName,
  allocatorModule,
  allocatorModuleBytes,
} from "../../src/wasm/modules.js";
import { translateTrap } from "../../src/wasm/traps.js";
import { WasmAllocator } from "../../src/wasm/wasm-allocator.js";
import { MODULE_CASES } from "./support/cases.js";

describe("allocator modules", () => {
  it("are all under test", () => {
    expect(MODULE_CASES.map((moduleCase) => moduleCase.name).sort()).toEqual([...ALLOCATOR_MODULE_NAMES].sort());
  });
});

describe.each(MODULE_CASES)("the $name module", ({ name }) => {
  it("ships the bytes the build wrote, as a fresh copy each time", () => {
    const bytes = allocatorModuleBytes(name);
    expect(Buffer.from(bytes).equals(readFileSync(new URL(`../../build/wasm/${name}.wasm`, import.meta.url)))).toBe(
      true,
    );
    bytes[0] = 0xff;
    expect(allocatorModuleBytes(name)[0]).toBe(0);
  });

  it("imports its memory and nothing else, and exports the ABI", async () => {
    const module = await allocatorModule(name);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: "env", name: "memory", kind: "memory" }]);
    const exports = WebAssembly.Module.exports(module).map(({ name, kind }) => `${kind} ${name}`);
    expect(exports.sort()).toEqual(
      [...ALLOCATOR_FUNCTIONS.map((function_) => `function ${function_}`), "global trap_code"].sort(),
    );
  });

  it("runs allocation, aligned allocation, resizing, usable sizes and frees in the module, not in its twin", async () => {
    const memory = LinearMemory.create();
    const exports = await instantiateAllocator(name, memory as LinearMemory & { memory: WebAssembly.Memory });
    exports.init(64);
    const calls: string[] = [];
    const counted = Object.fromEntries(
      Object.entries(exports).map(([key, value]) => [
        key,
        typeof value === "function"
          ? (...args: number[]) => {
              calls.push(key);
              return (value as (...args: number[]) => number)(...args);
            }
          : value,
      ]),
    ) as unknown as AllocatorExports;
    const twin = MODULE_CASES.find((moduleCase) => moduleCase.name === name)?.typescript.attach(memory, 64);
    const heap = new WasmAllocator(name, memory, 64, counted, twin as BlockAllocator);
    const ptr = heap.allocate(100, 64);
    const moved = heap.reallocate(heap.allocate(10), 5000);
    expect(heap.usableSize(moved)).toBeGreaterThanOrEqual(5000);
    heap.free(ptr);
    heap.free(moved);
    expect(calls).toEqual(["aligned_alloc", "malloc", "realloc", "malloc_usable_size", "free", "free"]);
  });

  it("is compiled once", () => {
    expect(allocatorModule(name)).toBe(allocatorModule(name));
  });

  it("ships a fast build the build wrote, with the same imports and exports, compiled apart", async () => {
    const bytes = allocatorModuleBytes(name, { fast: true });
    expect(
      Buffer.from(bytes).equals(readFileSync(new URL(`../../build/wasm/${name}-fast.wasm`, import.meta.url))),
    ).toBe(true);
    expect(Buffer.from(bytes).equals(Buffer.from(allocatorModuleBytes(name)))).toBe(false);
    const fast = await allocatorModule(name, { fast: true });
    expect(fast).not.toBe(await allocatorModule(name));
    const compact = await allocatorModule(name);
    expect(WebAssembly.Module.imports(fast)).toEqual(WebAssembly.Module.imports(compact));
    expect(WebAssembly.Module.exports(fast)).toEqual(WebAssembly.Module.exports(compact));
  });

  it("loads its fast build on request, on the same heap format as the other", async () => {
    const memory = LinearMemory.create();
    const fast = await loadAllocator(name, memory, { heapBase: 64, fast: true });
    const ptr = fast.allocate(100);
    // The build for size picks up the heap the fast build made, and the fast one attaches to it again.
    const compact = await loadAllocator.attach(name, memory, 64);
    expect(compact.usableSize(ptr)).toBe(fast.usableSize(ptr));
    compact.free(ptr);
    const again = await loadAllocator.attach(name, memory, 64, { fast: true });
    expect(again.stats().blocksInUse).toBe(0);
    again.check();
  });

  it("has no fast build for a shared memory, and says so", async () => {
    const shared = LinearMemory.create({ shared: true, maximumPages: 4 });
    await expect(loadAllocator(name, shared, { fast: true })).rejects.toThrow(/no fast shared build/);
    expect(() => allocatorModuleBytes(name, { shared: true, fast: true })).toThrow(RangeError);
  });

  it("loads as an Allocator on the heap it was given", async () => {
    const memory = LinearMemory.create();
    const heap = await loadAllocator(name, memory, { heapBase: 4096 });
    expect(heap).toBeInstanceOf(WasmAllocator);
    expect(heap.name).toBe(name);
    expect(heap.memory).toBe(memory);
    expect(heap.heapBase).toBe(4096);
    expect(heap.allocate(10)).toBeGreaterThan(4096);
    expect(heap.stats().blocksInUse).toBe(1);
    heap.check();
  });

  it("puts its heap at 8 by default, and takes a WebAssembly.Memory as it is", async () => {
    const heap = await loadAllocator(name, new WebAssembly.Memory({ initial: 1 }));
    expect(heap.heapBase).toBe(8);
    heap.check();
  });

  it("makes an instance per heap, so heaps in one memory stay apart", async () => {
    const memory = LinearMemory.create();
    const low = await loadAllocator(name, memory, { heapBase: 8 });
    // The second heap starts where the memory ends, as a TLSF heap owns the memory up to its end when it is made.
    const high = await loadAllocator(name, memory, { heapBase: PAGE_SIZE });
    expect(high.allocate(8)).toBeGreaterThan(PAGE_SIZE);
    expect(low.allocate(8)).toBeLessThan(PAGE_SIZE);
    low.check();
    high.check();
  });

  it("attaches only to a heap of its own kind", async () => {
    const memory = LinearMemory.create();
    await expect(loadAllocator.attach(name, memory, 1024)).rejects.toThrow(HeapCorruptionError);
    await loadAllocator(name, memory, { heapBase: 1024 });
    const attached = await loadAllocator.attach(name, memory, 1024);
    attached.check();
  });

  it("refuses what it cannot load onto", async () => {
    const unknown = "malloc" as AllocatorModuleName;
    await expect(loadAllocator(unknown, LinearMemory.create())).rejects.toThrow(RangeError);
    await expect(loadAllocator(name, new ArrayBuffer(65536))).rejects.toThrow(TypeError);
    const growable = new SharedArrayBuffer(65536, { maxByteLength: 2 * 65536 });
    await expect(loadAllocator(name, growable)).rejects.toThrow(/give it a WebAssembly.Memory/);
    for (const heapBase of [-8, 12, 2 ** 32, 1.5]) {
      await expect(loadAllocator(name, LinearMemory.create(), { heapBase })).rejects.toThrow(RangeError);
      await expect(loadAllocator.attach(name, LinearMemory.create(), heapBase)).rejects.toThrow(RangeError);
    }
  });

  it("turns a trap into an AllocationTrap once, setting trap_code back to 0", async () => {
    const heap = await loadAllocator(name, LinearMemory.create());
    expect(() => heap.allocate(2 ** 31)).toThrow(/size must be/);
    expect(heap.exports.trap_code.value).toBe(0);
  });
});

describe("translateTrap", () => {
  const trapCode = new WebAssembly.Global({ value: "i32", mutable: true }, 0);
  const twinRefuses = (code: TrapCode) => () => {
    throw new AllocationTrap(code, "allocate(8): the twin's words");
  };

  it("passes on a trap with no code stored: a fault, not a refusal", () => {
    const fault = new WebAssembly.RuntimeError("memory access out of bounds");
    expect(translateTrap(fault, trapCode, "arena", "allocate(8)", twinRefuses("OUT_OF_MEMORY"))).toBe(fault);
  });

  it("passes on errors that are not traps", () => {
    trapCode.value = 3;
    const error = new TypeError("not a trap");
    expect(translateTrap(error, trapCode, "arena", "allocate(8)", twinRefuses("OUT_OF_MEMORY"))).toBe(error);
    expect(trapCode.value).toBe(3);
  });

  it("gives the twin's refusal of the same call, and sets the code back to 0", () => {
    trapCode.value = TRAP_CODE_NUMBERS.OUT_OF_MEMORY;
    const refusal = translateTrap(
      new WebAssembly.RuntimeError("unreachable"),
      trapCode,
      "arena",
      "allocate(8)",
      twinRefuses("OUT_OF_MEMORY"),
    );
    expect(refusal).toBeInstanceOf(AllocationTrap);
    expect((refusal as AllocationTrap).message).toBe("allocate(8): the twin's words");
    expect(trapCode.value).toBe(0);
  });

  it.each([
    ["accepts the call", () => 8, "accepted it"],
    ["refuses it with another code", twinRefuses("INVALID_SIZE"), "threw INVALID_SIZE"],
  ])("says the builds disagree when the twin %s", (_, twin, outcome) => {
    trapCode.value = TRAP_CODE_NUMBERS.OUT_OF_MEMORY;
    const error = translateTrap(new WebAssembly.RuntimeError("unreachable"), trapCode, "arena", "allocate(8)", twin);
    expect(error).not.toBeInstanceOf(AllocationTrap);
    expect((error as Error).message).toBe(
      `the arena module refused allocate(8) with OUT_OF_MEMORY, but its TypeScript twin ${outcome}`,
    );
  });
});
