/**
 * The growth policy of src/allocator/growth.ts, in WebAssembly: to reach a byte, first try to double the memory (or
 * more, if doubling is not enough), then to grow by exactly the pages needed, else trap with OUT_OF_MEMORY. Both
 * builds grow alike, so that their memories keep the same size.
 */
import { MAX_PAGES, PAGE_SIZE } from "../generated/linear-memory";
import * as trap from "./trap";

/** Makes the memory reach `start + length` and returns that end, or traps if it cannot, having changed nothing. */
export function ensureMemory(start: u32, length: u32): u32 {
  const end = start + length;
  // An end past 2^32 wraps around, and no heap may reach that far: it asks for more pages than a memory can have, so
  // both attempts to grow fail, and one refusal covers both cases.
  const needed = select<i32>(MAX_PAGES + 1, <i32>((end - 1) / PAGE_SIZE) + 1 - memory.size(), end < start);
  if (needed > 0) {
    if (memory.grow(max(needed, memory.size())) < 0) {
      if (memory.grow(needed) < 0) {
        trap.trap_code = trap.OUT_OF_MEMORY;
        unreachable();
      }
    }
  }
  return end;
}
