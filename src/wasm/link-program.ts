/**
 * Links a program compiled to WebAssembly (C, C++, Rust, Zig, ...) to one of linmem's allocator modules, as its malloc
 * family, in one call:
 *
 *     const { instance, heap } = await linkProgram(bytes, { allocator: "tlsf" });
 *
 * It does what has to happen, in the order it has to happen:
 *
 * 1. One memory for both: the program's imported `env.memory`, made as large as the program declares it needs (or the
 *    memory given, which must be a WebAssembly.Memory that large).
 * 2. The allocator module is instantiated on that memory. It has no heap yet.
 * 3. The program is instantiated, importing the allocator's exports as the module "linmem" (include/linmem.h declares
 *    them for C), with the other imports given.
 * 4. The heap is laid out at the program's `__heap_base`, the first byte after its static data and stack, which only
 *    the instantiated program can tell (link it with `--export=__heap_base`). A heap base given by the caller must not
 *    lie below it: that is the program's data, and the heap would overwrite it.
 * 5. A program built as a reactor (`-mexec-model=reactor`) exports `_initialize`, which runs its constructors; it runs
 *    now, when they can allocate.
 *
 * JavaScript then shares the heap with the program through `heap`, an Allocator like any other.
 *
 * A program built for a shared memory (clang's `-matomics -Wl,--shared-memory`) gets the allocator's shared build,
 * which takes the heap's lock for every call, so that other threads may use the heap at once: JavaScript through the
 * allocators' `attach`, other instances of a program through `loadAllocator.attach(...).exports` (docs/threads.md).
 */
import type { LockOptions } from "../allocator/lock.js";
import { ALIGNMENT, alignUp } from "../allocator/size.js";
import { LinearMemory, MAX_PAGES, type MemorySource } from "../memory/linear-memory.js";
import type { WebAssemblyImports, WebAssemblyInstance } from "../webassembly-types.js";
import { importableMemory, initHeap, instantiateAllocator, type ModuleLoadOptions } from "./loader.js";
import { type MemoryImport, memoryImport } from "./memory-import.js";
import { type AllocatorModuleName, requireModuleName } from "./modules.js";
import type { WasmAllocator } from "./wasm-allocator.js";

export interface LinkOptions extends LockOptions, ModuleLoadOptions {
  /** The allocator module the program gets as its malloc family. */
  allocator: AllocatorModuleName;
  /** The memory to share, a WebAssembly.Memory (or a LinearMemory wrapping one); default a new one, as the program asks. */
  memory?: MemorySource;
  /** The program's other imports. `env.memory` and the module `linmem` are added. */
  imports?: WebAssemblyImports;
  /** Where the heap begins; default the program's `__heap_base`, rounded up to 8. It may not lie below that. */
  heapBase?: number;
}

export interface LinkedProgram {
  instance: WebAssemblyInstance;
  /** The heap the program allocates in, as JavaScript sees it. */
  heap: WasmAllocator;
  memory: LinearMemory;
}

/** Instantiates `program`, the bytes of a WebAssembly module, with an allocator module as its malloc family. */
export async function linkProgram(
  program: ArrayBufferView<ArrayBuffer> | ArrayBuffer,
  options: LinkOptions,
): Promise<LinkedProgram> {
  requireModuleName(options.allocator);
  const bytes = ArrayBuffer.isView(program)
    ? new Uint8Array(program.buffer, program.byteOffset, program.byteLength)
    : new Uint8Array(program);
  const imported = memoryImport(bytes);
  const memory = importableMemory(options.memory ?? memoryFor(imported));
  if (imported !== undefined && imported.shared !== memory.shared) {
    throw new TypeError(
      `the program imports ${imported.shared ? "a shared" : "an unshared"} memory, and the memory given is ` +
        `${memory.shared ? "shared" : "not"}`,
    );
  }
  const allocator = await instantiateAllocator(options.allocator, memory, options);
  const imports = options.imports ?? {};
  const { instance } = await WebAssembly.instantiate(bytes, {
    ...imports,
    env: { ...imports.env, memory: memory.memory },
    linmem: allocator,
  });
  const heap = initHeap(options.allocator, memory, allocator, heapBaseFor(instance, options.heapBase), options);
  const initialize = instance.exports._initialize;
  if (typeof initialize === "function") initialize();
  return { instance, heap, memory };
}

/** A new memory as large as the program's memory import declares it needs, growing as far as it allows. */
function memoryFor(imported: MemoryImport | undefined): LinearMemory {
  if (imported === undefined || imported.module !== "env" || imported.name !== "memory") {
    throw new TypeError("the program imports no env.memory: link it with --import-memory to share its memory");
  }
  return LinearMemory.create({
    initialPages: imported.minimumPages,
    maximumPages: imported.maximumPages ?? MAX_PAGES,
    shared: imported.shared,
  });
}

/** The heap base: the program's `__heap_base`, or one given at or above it. */
function heapBaseFor(instance: WebAssemblyInstance, given: number | undefined): number {
  const exported = instance.exports.__heap_base;
  if (!(exported instanceof WebAssembly.Global)) {
    if (given !== undefined) return given;
    throw new TypeError(
      "the program does not export __heap_base: link it with --export=__heap_base, or give a heapBase past its data",
    );
  }
  const programEnd = alignUp(exported.value as number, ALIGNMENT);
  if (given === undefined) return programEnd;
  if (given < programEnd) {
    throw new RangeError(
      `heapBase ${given} lies inside the program's data and stack, which end at its __heap_base ${exported.value}`,
    );
  }
  return given;
}
