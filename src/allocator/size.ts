/**
 * The size and alignment rules every allocator shares. A block is aligned to at least 8 bytes; a request is an
 * integer from 0 to 1 GiB; an extra alignment is a power of two from 8 to 64 KiB.
 */
import { AllocationTrap } from "./errors.js";

/** The alignment of every block, in bytes: 2^ALIGNMENT_BITS. */
export const ALIGNMENT_BITS = 3;
export const ALIGNMENT = 1 << ALIGNMENT_BITS;

/** The largest size one block may have: 1 GiB. */
export const MAX_ALLOCATION = 0x4000_0000;

/** The largest alignment `allocate(size, align)` accepts: one WebAssembly page. */
export const MAX_ALIGNMENT = 0x1_0000;

/**
 * Rounds `value`, a non-negative integer, up to a multiple of `alignment`, a power of two. Only the padding goes
 * through 32-bit arithmetic, so the result is exact beyond 2^31 and never wraps.
 */
export function alignUp(value: number, alignment: number): number {
  return value + (-value & (alignment - 1));
}

/** Traps with INVALID_SIZE unless `size` is an integer from 0 to 1 GiB. */
export function requireSize(size: number, operation: string): void {
  // `>>> 0` maps NaN, fractions and negatives to a different number, so one comparison rejects them all.
  if (size >>> 0 !== size || size > MAX_ALLOCATION) {
    throw new AllocationTrap(
      "INVALID_SIZE",
      `${operation}(${size}): size must be an integer from 0 to ${MAX_ALLOCATION}`,
    );
  }
}

/** Traps with INVALID_ALIGNMENT unless `align` is a power of two from 8 to 65536. */
export function requireAlignment(align: number, operation: string): void {
  if (align >>> 0 !== align || align < ALIGNMENT || align > MAX_ALIGNMENT || (align & (align - 1)) !== 0) {
    throw new AllocationTrap(
      "INVALID_ALIGNMENT",
      `${operation}: alignment must be a power of two from ${ALIGNMENT} to ${MAX_ALIGNMENT}, got ${align}`,
    );
  }
}

/** Traps with INVALID_POINTER: the one message every allocator gives for a pointer it did not hand out. */
export function invalidPointer(operation: string, ptr: number, why: string): AllocationTrap {
  return new AllocationTrap("INVALID_POINTER", `${operation}(${ptr}): ${why}`);
}
