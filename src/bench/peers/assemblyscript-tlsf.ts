/**
 * AssemblyScript's runtime TLSF (asc, `--runtime minimal`), built by `npm run build` from
 * bench/peers/assemblyscript-tlsf.ts and called from JavaScript. Its runtime cannot reset its heap, so every heap is a
 * fresh instance with a fresh memory.
 */
import { readFile } from "node:fs/promises";
import type { Heap } from "../../trace/heap.js";
import { type Contender, ContenderUnavailable } from "../contender.js";

const MODULE_FILE = new URL("../../../build/wasm/assemblyscript-tlsf.wasm", import.meta.url);

interface TlsfExports {
  malloc(size: number): number;
  realloc(ptr: number, size: number): number;
  free(ptr: number): void;
  heapBase(): number;
}

export const assemblyScriptTlsf: Contender = {
  name: "as-tlsf",
  description: "AssemblyScript's runtime TLSF, compiled to WebAssembly (asc --runtime minimal), called from JavaScript",
  origin: "peer",
  reusesMemory: true,
  async load() {
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(await readFile(MODULE_FILE));
    } catch (error) {
      throw new ContenderUnavailable(this.name, `cannot load ${MODULE_FILE.pathname} (npm run build makes it)`, {
        cause: error,
      });
    }
    return () => tlsfHeap(module);
  },
};

function tlsfHeap(module: WebAssembly.Module): Heap {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const tlsf = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as TlsfExports;
  const { malloc, realloc, free } = tlsf;
  return {
    allocate(size, align) {
      if (align !== undefined && align > 16) throw new RangeError(`as-tlsf cannot align to ${align}`);
      return malloc(size);
    },
    free,
    reallocate: (ptr, size) => realloc(ptr, size),
    bytes: (ptr, size) => new Uint8Array(memory.buffer, ptr, size),
    heapBase: tlsf.heapBase(),
    memorySize: () => memory.buffer.byteLength,
  };
}
