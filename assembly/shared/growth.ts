/**
 * The growth policy of src/allocator/growth.ts, in WebAssembly: to reach a byte, first try to double the memory (or
 * more, if doubling is not enough), then to grow by exactly the pages needed, else trap with OUT_OF_MEMORY. Both
 * builds grow alike, so that their memories keep the same size.
 */
import { OUT_OF_MEMORY, trap } from "./trap";

/** Makes the memory reach `start + length` and returns that end, or traps if it cannot, having changed nothing. */
export function ensureMemory(start: u32, length: u32): u32 {
  const end = start + length;
  // An end past 2^32 wraps around; no heap may reach that far.
  if (end < start) trap(OUT_OF_MEMORY);
  const needed = <i32>((end - 1) >>> 16) + 1 - memory.size();
  if (needed > 0) {
    if (memory.grow(max(needed, memory.size())) < 0) {
      if (memory.grow(needed) < 0) trap(OUT_OF_MEMORY);
    }
  }
  return end;
}
