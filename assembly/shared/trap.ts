/**
 * How a module refuses a call. The C family (`malloc`, `realloc`, ...) stores the reason in the exported global
 * `trap_code` and returns 0; the seed's family (`allocate_memory`, ...) stores it and traps with `unreachable`, and the
 * host catches the trap and reads the global. A pointer that is not a live block traps in both families, as `free`
 * has nothing to return. The numbers are part of the modules' ABI: they are TRAP_CODE_NUMBERS of
 * src/allocator/errors.ts, generated into ../generated/errors.ts.
 */

export { DOUBLE_FREE, INVALID_ALIGNMENT, INVALID_POINTER, INVALID_SIZE, OUT_OF_MEMORY } from "../generated/errors";

/** Why the last refused call was refused; 0 until one is. The host may set it back to 0 after reading it. */
export let trap_code: u32 = 0;

/** Refuses a call of the C family: stores why, and returns 0, which is no block's pointer. */
export function refuse(code: u32): u32 {
  trap_code = code;
  return 0;
}

/** The seed's family: the C family's result, or a trap when it was 0, its reason stored already. */
export function orTrap(result: u32): u32 {
  if (!result) unreachable();
  return result;
}
