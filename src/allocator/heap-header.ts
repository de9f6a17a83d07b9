/**
 * The two words every heap begins with, whichever allocator manages it:
 *
 *     heapBase + 0   u32  magic   four ASCII bytes naming the allocator and its format version ("ARN2", ...)
 *     heapBase + 4   u32  lock    0 when no thread holds the heap: the lock of a heap shared between threads (lock.ts)
 *
 * The rest of the state follows at heapBase + 8, in the format the allocator's own file draws. The magic lets
 * `attach` tell a heap of its own kind from anything else before it trusts a single pointer in it.
 */
import type { LinearMemory } from "../memory/linear-memory.js";
import { HeapCorruptionError } from "./errors.js";
import { ADDRESS_LIMIT } from "./growth.js";
import { ALIGNMENT } from "./size.js";

export const MAGIC_OFFSET = 0;
export const LOCK_OFFSET = 4;
export const HEADER_SIZE = 8;

/** The u32 whose little-endian bytes spell `tag`, four ASCII characters. */
export function magicNumber(tag: string): number {
  if (!/^[\x20-\x7e]{4}$/.test(tag)) throw new RangeError(`a magic tag is four ASCII characters, got "${tag}"`);
  return (tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24)) >>> 0;
}

/** The four characters a magic number spells, for messages. */
export function magicTag(magic: number): string {
  return String.fromCharCode(magic & 0xff, (magic >>> 8) & 0xff, (magic >>> 16) & 0xff, magic >>> 24);
}

/** Throws a RangeError unless `heapBase` is a usable heap start: an 8-aligned offset inside the address space. */
export function requireHeapBase(heapBase: number): void {
  if (!Number.isInteger(heapBase) || heapBase < 0 || heapBase >= ADDRESS_LIMIT || heapBase % ALIGNMENT !== 0) {
    throw new RangeError(`heapBase must be a multiple of ${ALIGNMENT} from 0 to ${ADDRESS_LIMIT}, got ${heapBase}`);
  }
}

/** Writes the header of a new heap: its magic, and the lock released. */
export function writeHeader(memory: LinearMemory, heapBase: number, magic: number): void {
  const u32 = memory.u32;
  u32[(heapBase + MAGIC_OFFSET) >>> 2] = magic;
  u32[(heapBase + LOCK_OFFSET) >>> 2] = 0;
}

/** Throws a HeapCorruptionError unless a heap with this magic starts at `heapBase`. */
export function expectHeader(memory: LinearMemory, heapBase: number, magic: number): void {
  if (heapBase + HEADER_SIZE > memory.byteLength) {
    throw new HeapCorruptionError(heapBase, `no heap here: memory ends at ${memory.byteLength}`);
  }
  const found = memory.u32[(heapBase + MAGIC_OFFSET) >>> 2];
  if (found !== magic) {
    throw new HeapCorruptionError(
      heapBase,
      `expected a "${magicTag(magic)}" heap, found magic 0x${found.toString(16).padStart(8, "0")}`,
    );
  }
}
