/**
 * Every allocator the benchmark knows, in the order reports list them: linmem's own first, then the peers. Adding
 * one is one line.
 */
import { arena } from "../allocator/arena.js";
import { buddy } from "../allocator/buddy.js";
import { tlsf } from "../allocator/tlsf.js";
import { loadAllocator } from "../wasm/loader.js";
import { type Contender, linmemAllocator } from "./contender.js";
import { assemblyScriptTlsf } from "./peers/assemblyscript-tlsf.js";
import { thingMalloc } from "./peers/thing-malloc.js";
import { uint8Array } from "./peers/uint8array.js";

/** A heap that never reuses memory runs only the workloads whose every byte fits. */
const FREES_NOTHING = { reusesMemory: false };

export const CONTENDERS: readonly Contender[] = [
  linmemAllocator("arena", "linmem's arena (TypeScript): a bump pointer", arena, FREES_NOTHING),
  linmemAllocator(
    "arena-wasm",
    "linmem's arena (WebAssembly)",
    (memory) => loadAllocator("arena", memory),
    FREES_NOTHING,
  ),
  linmemAllocator("tlsf", "linmem's TLSF (TypeScript): two-level segregated fit", tlsf),
  linmemAllocator("buddy", "linmem's buddy allocator (TypeScript): power-of-two blocks", buddy),
  assemblyScriptTlsf,
  thingMalloc,
  uint8Array,
];
