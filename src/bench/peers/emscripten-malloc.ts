/**
 * The allocators Emscripten links into C and C++ programs: dlmalloc, its default, and emmalloc, its small option.
 * `npm run build` builds each from emcc's own system library (`-sMALLOC=dlmalloc|emmalloc`, scripts/build-peers.mjs)
 * when emcc is installed; they are called from JavaScript through their `malloc`, `free`, `realloc` and `memalign`.
 * The package does not ship them: these contenders are available in a clone of the repository built with emcc.
 *
 * Each heap has a memory of its own, passed in. The heap begins at `__heap_base`, after static data and the stack. A
 * reset zeroes the memory and lays a new instance over it, which starts an empty heap there.
 */
import { readFile } from "node:fs/promises";
import type { LinearHeap } from "../../trace/heap.js";
import type { Contender } from "../contender.js";
import { buildProduct, type Requirement } from "../requirement.js";

interface MallocExports {
  _initialize(): void;
  heap_base(): number;
  malloc(size: number): number;
  memalign(align: number, size: number): number;
  realloc(ptr: number, size: number): number;
  free(ptr: number): void;
}

/** As scripts/build-peers.mjs sets them: two pages hold static data, the stack and the heap's start; 4 GiB at most. */
const INITIAL_PAGES = 2;
const MAXIMUM_PAGES = 65536;

export const dlmalloc = emscriptenMalloc(
  "dlmalloc",
  "dlmalloc, Emscripten's default malloc, compiled to WebAssembly (emcc -O2 -sMALLOC=dlmalloc), called from JavaScript",
);

export const emmalloc = emscriptenMalloc(
  "emmalloc",
  "emmalloc, Emscripten's small malloc, compiled to WebAssembly (emcc -O2 -sMALLOC=emmalloc), called from JavaScript",
);

function emscriptenMalloc(name: "dlmalloc" | "emmalloc", description: string): Contender {
  const file = new URL(`../../../build/wasm/${name}.wasm`, import.meta.url);
  return {
    name,
    description,
    origin: "peer",
    reusesMemory: true,
    requires: [emscriptenBuild(file)],
    async load() {
      const module = await WebAssembly.compile(await readFile(file));
      return () => mallocHeap(name, module);
    },
  };
}

/** A module that the repository's build makes only where emcc is installed. */
function emscriptenBuild(file: URL): Requirement {
  return {
    ...buildProduct(file),
    howToGet:
      "which `npm run build` makes in a clone of linmem's repository where emcc is installed " +
      "(`apt-get install -y emscripten`)",
  };
}

function mallocHeap(name: string, module: WebAssembly.Module): LinearHeap {
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES });
  const imports = { env: { memory, emscripten_notify_memory_growth() {} } };
  const instantiate = (): MallocExports => {
    const exports = new WebAssembly.Instance(module, imports).exports as unknown as MallocExports;
    exports._initialize();
    return exports;
  };
  let instance = instantiate();
  const outOfMemory = (call: string): RangeError => new RangeError(`${name}: ${call} returned 0, out of memory`);
  // Pointers are made unsigned (>>> 0), as the memory may grow past 2 GiB.
  return {
    allocate(size, align) {
      const ptr = align === undefined ? instance.malloc(size) : instance.memalign(align, size);
      if (ptr === 0) throw outOfMemory(align === undefined ? `malloc(${size})` : `memalign(${align}, ${size})`);
      return ptr >>> 0;
    },
    free: (ptr) => instance.free(ptr),
    reallocate(ptr, size) {
      let moved = instance.realloc(ptr, size);
      // emmalloc's realloc(ptr, 0) frees the block and returns 0, as C allows; a resize to 0 still keeps a block.
      if (moved === 0 && size === 0) moved = instance.malloc(0);
      if (moved === 0) throw outOfMemory(`realloc(${ptr}, ${size})`);
      return moved >>> 0;
    },
    bytes: (ptr, size) => new Uint8Array(memory.buffer, ptr, size),
    heapBase: instance.heap_base(),
    memorySize: () => memory.buffer.byteLength,
    reset() {
      // The allocator's state lies in zero-initialised static data, which a new instance does not clear.
      new Uint8Array(memory.buffer).fill(0);
      instance = instantiate();
    },
  };
}
