/**
 * Every allocator the benchmark knows, in the order reports list them: linmem's own first, then the peers. Adding
 * one is one line.
 */
import { arena } from "../allocator/arena.js";
import { buddy } from "../allocator/buddy.js";
import { tlsf } from "../allocator/tlsf.js";
import { type Contender, linmemAllocator, linmemModule } from "./contender.js";
import { assemblyScriptTlsf } from "./peers/assemblyscript-tlsf.js";
import { dlmalloc, emmalloc } from "./peers/emscripten-malloc.js";
import { thingMalloc } from "./peers/thing-malloc.js";
import { uint8Array } from "./peers/uint8array.js";

/** A heap that never reuses memory runs only the workloads whose every byte fits. */
const FREES_NOTHING = { reusesMemory: false };

export const CONTENDERS: readonly Contender[] = [
  linmemAllocator("arena", "linmem's arena (TypeScript): a bump pointer", arena, FREES_NOTHING),
  linmemModule("arena", "linmem's arena (WebAssembly)", FREES_NOTHING),
  linmemAllocator("tlsf", "linmem's TLSF (TypeScript): two-level segregated fit", tlsf),
  linmemModule("tlsf", "linmem's TLSF (WebAssembly)"),
  linmemModule("tlsf", "linmem's TLSF (WebAssembly, the build compiled for speed)", { fast: true }),
  linmemAllocator("buddy", "linmem's buddy allocator (TypeScript): power-of-two blocks", buddy),
  linmemModule("buddy", "linmem's buddy allocator (WebAssembly)"),
  linmemModule("buddy", "linmem's buddy allocator (WebAssembly, the build compiled for speed)", { fast: true }),
  assemblyScriptTlsf,
  dlmalloc,
  emmalloc,
  thingMalloc,
  uint8Array,
];
