/**
 * The growth policy, the same for every allocator: when the heap needs memory up to byte `end`, first try to double
 * the memory (or more, if doubling is not enough), so that a growing heap asks rarely; if the memory's maximum
 * forbids that, grow by exactly the pages needed; if even that fails, the caller traps with OUT_OF_MEMORY.
 *
 * Needs are measured from the memory's actual size, so a heap that starts beyond the current end of memory still
 * gets enough pages, and memory grown meanwhile by someone else counts.
 */
import { type LinearMemory, PAGE_SIZE } from "../memory/linear-memory.js";

/** The first byte no heap may reach: heap offsets are stored as u32, so 2^32 itself is out of range. */
export const ADDRESS_LIMIT = 0xffff_ffff;

/** Makes the memory at least `end` bytes long. Returns false, having changed nothing, when it cannot. */
export function ensureMemory(memory: LinearMemory, end: number): boolean {
  if (end > ADDRESS_LIMIT) return false;
  const length = memory.byteLength;
  if (end <= length) return true;
  const pagesBefore = Math.floor(length / PAGE_SIZE);
  const pagesNeeded = Math.ceil(end / PAGE_SIZE) - pagesBefore;
  return memory.grow(Math.max(pagesNeeded, pagesBefore)) !== -1 || memory.grow(pagesNeeded) !== -1;
}
