/**
 * linkProgram: a program module and an allocator module on one memory, the heap laid at the program's __heap_base,
 * after its data; and memoryImport, which reads the memory a module asks for.
 */
import { describe, expect, it } from "vitest";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { linkProgram } from "../../src/wasm/link-program.js";
import { memoryImport } from "../../src/wasm/memory-import.js";
import { assembleWat } from "../support/wat.js";

/** A program with data at 1024, its heap base at 4096 (not a multiple of 8 when `heapBase` says so), in 3 pages. */
function program(
  options: { heapBase?: number | null; initialize?: boolean; memory?: string } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const heapBase = options.heapBase === undefined ? 4096 : options.heapBase;
  return assembleWat(`
    (module
      (import "host" "log" (func $log (param i32)))
      (import "env" "memory" ${options.memory ?? "(memory 3 100)"})
      (import "linmem" "malloc" (func $malloc (param i32) (result i32)))
      (import "linmem" "free" (func $free (param i32)))
      (data (i32.const 1024) "static data the heap must not touch")
      (global $first (mut i32) (i32.const 0))
      ${heapBase === null ? "" : `(global (export "__heap_base") i32 (i32.const ${heapBase}))`}
      (func (export "first") (result i32) (global.get $first))
      (func (export "allocate") (param i32) (result i32) (call $malloc (local.get 0)))
      (func (export "free") (param i32) (call $free (local.get 0)))
      ${options.initialize === true ? `(func (export "_initialize") (global.set $first (call $malloc (i32.const 24))) (call $log (global.get $first)))` : ""}
    )`);
}

const DATA = "static data the heap must not touch";
const host = (logged: number[] = []) => ({ host: { log: (value: number) => logged.push(value) } });

describe("linkProgram", () => {
  it("makes the memory the program asks for and lays the heap at its __heap_base, after its data", async () => {
    const { instance, heap, memory } = await linkProgram(await program(), { allocator: "tlsf", imports: host() });
    expect(memory.pages).toBe(3);
    expect(memory.maximumPages).toBe(100);
    expect(heap.heapBase).toBe(4096);
    const exports = instance.exports as Record<string, (...args: number[]) => number>;
    const fromProgram = (exports.allocate as (size: number) => number)(100) >>> 0;
    const fromHost = heap.allocate(100);
    expect(fromProgram).toBeGreaterThan(4096);
    expect(fromHost).not.toBe(fromProgram);
    heap.free(fromProgram);
    (exports.free as (ptr: number) => void)(fromHost);
    expect(new TextDecoder().decode(memory.u8.subarray(1024, 1024 + DATA.length))).toBe(DATA);
    heap.check();
    expect(heap.stats().blocksInUse).toBe(0);
  });

  it("rounds a __heap_base up to 8, and takes a heap base past it", async () => {
    const linked = await linkProgram(await program({ heapBase: 4100 }), { allocator: "buddy", imports: host() });
    expect(linked.heap.heapBase).toBe(4104);
    const later = await linkProgram(await program(), { allocator: "arena", imports: host(), heapBase: 8192 });
    expect(later.heap.heapBase).toBe(8192);
  });

  it("refuses a heap base inside the program's data and stack", async () => {
    await expect(linkProgram(await program(), { allocator: "tlsf", imports: host(), heapBase: 1024 })).rejects.toThrow(
      /heapBase 1024 lies inside the program's data and stack, which end at its __heap_base 4096/,
    );
  });

  it("needs __heap_base, or a heap base given", async () => {
    const bytes = await program({ heapBase: null });
    await expect(linkProgram(bytes, { allocator: "tlsf", imports: host() })).rejects.toThrow(/--export=__heap_base/);
    const linked = await linkProgram(bytes, { allocator: "tlsf", imports: host(), heapBase: 8192 });
    expect(linked.heap.heapBase).toBe(8192);
  });

  it("runs a reactor's _initialize once the heap is there, so that its constructors can allocate", async () => {
    const logged: number[] = [];
    const { heap } = await linkProgram(await program({ initialize: true }), {
      allocator: "tlsf",
      imports: host(logged),
    });
    expect(logged).toHaveLength(1);
    expect(heap.usableSize(logged[0] as number)).toBeGreaterThanOrEqual(24);
    expect(heap.stats().blocksInUse).toBe(1);
  });

  it("links a program that imports a shared memory to the allocator's shared build", async () => {
    const { heap, memory, instance } = await linkProgram(await program({ memory: "(memory 3 100 shared)" }), {
      allocator: "buddy",
      imports: host(),
    });
    expect(memory.shared).toBe(true);
    expect(memory.maximumPages).toBe(100);
    expect(heap.lockOwner).not.toBe(0);
    const exports = instance.exports as Record<string, (...args: number[]) => number>;
    const ptr = (exports.allocate as (size: number) => number)(100) >>> 0;
    expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(100);
    heap.free(ptr);
    heap.check();
  });

  it("links the build for speed on request, on an unshared memory only", async () => {
    const { instance, heap } = await linkProgram(await program(), { allocator: "tlsf", imports: host(), fast: true });
    const exports = instance.exports as Record<string, (...args: number[]) => number>;
    const ptr = (exports.allocate as (size: number) => number)(100) >>> 0;
    expect(heap.usableSize(ptr)).toBeGreaterThanOrEqual(100);
    heap.free(ptr);
    heap.check();
    expect(heap.stats().blocksInUse).toBe(0);
    await expect(
      linkProgram(await program({ memory: "(memory 3 100 shared)" }), {
        allocator: "tlsf",
        imports: host(),
        fast: true,
      }),
    ).rejects.toThrow(/no fast shared build/);
  });

  it("refuses a memory given whose sharing is not what the program imports", async () => {
    const shared = LinearMemory.create({ initialPages: 3, maximumPages: 100, shared: true });
    await expect(linkProgram(await program(), { allocator: "tlsf", imports: host(), memory: shared })).rejects.toThrow(
      /imports an unshared memory, and the memory given is shared/,
    );
    const unshared = LinearMemory.create({ initialPages: 3, maximumPages: 100 });
    const wantsShared = await program({ memory: "(memory 3 100 shared)" });
    await expect(linkProgram(wantsShared, { allocator: "tlsf", imports: host(), memory: unshared })).rejects.toThrow(
      /imports a shared memory, and the memory given is not/,
    );
  });

  it("refuses a program that imports no memory to share", async () => {
    const bytes = await assembleWat(`(module (memory (export "memory") 1))`);
    await expect(linkProgram(bytes, { allocator: "tlsf" })).rejects.toThrow(/--import-memory/);
  });
});

describe("memoryImport", () => {
  it("reads the limits of the imported memory, past imports of other kinds", async () => {
    expect(memoryImport(await program())).toEqual({
      module: "env",
      name: "memory",
      minimumPages: 3,
      maximumPages: 100,
      shared: false,
    });
    const bytes = await assembleWat(`
      (module
        (import "a" "g" (global i32))
        (import "a" "t" (table 1 2 funcref))
        (import "mem" "ory" (memory 130)))`);
    expect(memoryImport(bytes)).toEqual({
      module: "mem",
      name: "ory",
      minimumPages: 130,
      maximumPages: undefined,
      shared: false,
    });
  });

  it("is undefined for a module that imports no memory, and refuses a binary cut short", async () => {
    const bytes = await assembleWat(`(module (import "a" "f" (func)) (memory 1))`);
    expect(memoryImport(bytes)).toBeUndefined();
    const imports = await assembleWat(`(module (import "a" "f" (func)) (import "env" "memory" (memory 1)))`);
    expect(() => memoryImport(imports.subarray(0, imports.length - 2))).toThrow(/ends too early/);
  });
});
