/** The size and alignment rules of src/allocator/size.ts, in WebAssembly. */
import { ALIGNMENT, MAX_ALIGNMENT, MAX_ALLOCATION } from "../generated/size";
import * as trap from "./trap";

export { ALIGNMENT };

export function requireSize(size: u32): void {
  if (size > MAX_ALLOCATION) {
    trap.trap_code = trap.INVALID_SIZE;
    unreachable();
  }
}

/** A power of two from 8 to 65536. */
export function requireAlignment(align: u32): void {
  if ((align < ALIGNMENT) | (align > MAX_ALIGNMENT) | (align & (align - 1))) {
    trap.trap_code = trap.INVALID_ALIGNMENT;
    unreachable();
  }
}

/** The bytes a block of `size` takes: a multiple of 8, and 8 for a size of 0, so that every pointer is unique. */
export function blockSize(size: u32): u32 {
  // `size + (size == 0)` is max(size, 1) in fewer instructions.
  return (size + <u32>(size === 0) + ALIGNMENT - 1) & ~(ALIGNMENT - 1);
}
