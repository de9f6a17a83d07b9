/**
 * How a module refuses a call. The C family (`malloc`, `realloc`, ...) stores the reason in the exported global
 * `trap_code` and returns 0; the original family (`allocate_memory`, ...) stores it and traps with `unreachable`, and
 * the host catches the trap and reads the global. A pointer that is not a live block traps in both families, as
 * `free` has nothing to return. The numbers are part of the modules' ABI: they are TRAP_CODE_NUMBERS of
 * src/allocator/errors.ts, generated into ../generated/errors.ts.
 */

export {
  DOUBLE_FREE,
  INVALID_ALIGNMENT,
  INVALID_POINTER,
  INVALID_SIZE,
  LOCK_TIMEOUT,
  OUT_OF_MEMORY,
} from "../generated/errors";

import { releaseIfHeld } from "./lock";

/** Why the last refused call was refused; 0 until one is. The host may set it back to 0 after reading it. */
export let trap_code: u32 = 0;

/** Refuses a call of the C family: stores why, and returns 0, which is no block's pointer. */
export function refuse(code: u32): u32 {
  trap_code = code;
  return 0;
}

/** Traps that cannot return 0: for a pointer that is not a live block. */
// biome-ignore lint/complexity/noStaticOnlyClass: AssemblyScript inlines static methods, not functions the formatter reads.
export class Trap {
  /**
   * Traps with `code` stored. In a shared build the call holds the heap's lock, which it lets go of first: a trap ends
   * the call where it is, and the lock would stay held for good. A static method, so that it may be compiled inline,
   * as the unshared builds need it to be, to stay as small as they are (`@inline` takes no function outside a class
   * for the project's formatter).
   */
  @inline static with(code: u32): void {
    if (ASC_FEATURE_THREADS) releaseIfHeld();
    trap_code = code;
    unreachable();
  }
}

/** The original family: the C family's result, or a trap when it was 0, its reason stored already. */
export function orTrap(result: u32): u32 {
  if (!result) unreachable();
  return result;
}
