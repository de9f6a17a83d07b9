/**
 * The growth policy of src/allocator/growth.ts, in WebAssembly: to reach a byte, first try to double the memory (or
 * more, if doubling is not enough), then to grow by exactly the pages needed. Both builds grow alike, so that their
 * memories keep the same size.
 */
import { MAX_PAGES, PAGE_SIZE } from "../generated/linear-memory";
import { OUT_OF_MEMORY, refuse } from "./trap";

/**
 * Makes the memory reach `start + length` and returns that end, or refuses with OUT_OF_MEMORY, having changed nothing,
 * and returns 0.
 */
export function ensureMemory(start: u32, length: u32): u32 {
  const end = start + length;
  // An end past 2^32 wraps around, and no heap may reach that far: it asks for more pages than a memory can have, so
  // both attempts to grow fail, and one refusal covers both cases.
  const needed = select<i32>(MAX_PAGES + 1, <i32>((end - 1) / PAGE_SIZE) + 1 - memory.size(), end < start);
  if (needed > 0 && memory.grow(max(needed, memory.size())) < 0 && memory.grow(needed) < 0) {
    return refuse(OUT_OF_MEMORY);
  }
  return end;
}
