/**
 * AssemblyScript's runtime TLSF (asc, `--runtime minimal`), built by `npm run build` from
 * bench/peers/assemblyscript-tlsf-exports.ts and called from JavaScript. The package does not ship the module: this
 * contender is available in a clone of the repository, once built.
 *
 * The minimal runtime cannot reset its heap, but a new instance on the same memory lays a new, empty heap over it:
 * that is how this heap resets.
 */
import { readFile } from "node:fs/promises";
import type { Heap } from "../../trace/heap.js";
import type { Contender } from "../contender.js";
import { buildProduct } from "../requirement.js";

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
  requires: [buildProduct(MODULE_FILE)],
  async load() {
    const module = await WebAssembly.compile(await readFile(MODULE_FILE));
    return () => tlsfHeap(module);
  },
};

function tlsfHeap(module: WebAssembly.Module): Heap {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const instantiate = () => new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as TlsfExports;
  let tlsf = instantiate();
  return {
    allocate(size, align) {
      if (align !== undefined && align > 16) throw new RangeError(`as-tlsf cannot align to ${align}`);
      return tlsf.malloc(size);
    },
    free: (ptr) => tlsf.free(ptr),
    reallocate: (ptr, size) => tlsf.realloc(ptr, size),
    bytes: (ptr, size) => new Uint8Array(memory.buffer, ptr, size),
    heapBase: tlsf.heapBase(),
    memorySize: () => memory.buffer.byteLength,
    reset() {
      tlsf = instantiate();
    },
  };
}
