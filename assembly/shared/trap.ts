/**
 * How a module refuses a call: it stores the reason in its exported global `trap_code`, then traps with
 * `unreachable`. The host catches the trap and reads the global. The numbers are part of the modules' ABI: they are
 * TRAP_CODE_NUMBERS of src/allocator/errors.ts, generated into ../generated/errors.ts.
 *
 * Each refusal is written out where it happens, as `trap.trap_code = trap.CODE; unreachable();` after
 * `import * as trap from "./shared/trap"`: those two instructions take fewer bytes than a call to a shared function
 * and the function itself.
 */

export { DOUBLE_FREE, INVALID_ALIGNMENT, INVALID_POINTER, INVALID_SIZE, OUT_OF_MEMORY } from "../generated/errors";

/** Why the last refused call was refused; 0 until one is. The host may set it back to 0 after reading it. */
// biome-ignore lint/style/useConst: the modules assign it through their namespace import; a const would be a constant, not the mutable global the host reads.
export let trap_code: u32 = 0;
