/**
 * Turns a module's refusal into the AllocationTrap the TypeScript build throws for the same call. The module stores the
 * code in its `trap_code` global, then returns 0 (the C family) or executes `unreachable` (the seed's family, and any
 * pointer that is not a block's); a trap with no code stored is not a refusal but a fault, and passes through as it is.
 */
import { AllocationTrap, TRAP_CODE_NUMBERS, type TrapCode } from "../allocator/errors.js";
import { MAX_ALIGNMENT, MAX_ALLOCATION } from "../allocator/size.js";

const CODES_BY_NUMBER = new Map(
  Object.entries(TRAP_CODE_NUMBERS).map(([code, number]) => [number, code as TrapCode] as const),
);

const REASONS: Readonly<Record<TrapCode, string>> = {
  INVALID_SIZE: `size must be an integer from 0 to ${MAX_ALLOCATION}`,
  INVALID_ALIGNMENT: `alignment must be a power of two from 8 to ${MAX_ALIGNMENT}`,
  OUT_OF_MEMORY: "the memory cannot grow enough",
  INVALID_POINTER: "not a block of this heap",
  DOUBLE_FREE: "the block is already free",
  LOCK_TIMEOUT: "the heap's lock was not had within the lock timeout; its holder may be dead (see breakLock)",
};

/** The trap code a module stored, by its name, or undefined when there is none. */
export function trapCodeOf(number: number): TrapCode | undefined {
  return CODES_BY_NUMBER.get(number);
}

/**
 * What to throw for an error out of a call into a module: the AllocationTrap its trap code names, or the error itself.
 * `call` describes the call for the message, as "allocate(100)". Reading the code sets it back to 0.
 */
export function translateTrap(error: unknown, trapCode: WebAssembly.Global, module: string, call: string): unknown {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  const code = trapCodeOf(trapCode.value as number);
  if (code === undefined) return error;
  trapCode.value = 0;
  return new AllocationTrap(code, `${module} module, ${call}: ${REASONS[code]}`);
}

/**
 * The AllocationTrap for a call of the C family that returned 0: the code the module stored. Reading the code sets it
 * back to 0.
 */
export function refusal(trapCode: WebAssembly.Global, module: string, call: string): AllocationTrap {
  const code = trapCodeOf(trapCode.value as number);
  if (code === undefined) throw new Error(`${module} module, ${call}: returned 0 without a trap code`);
  trapCode.value = 0;
  return new AllocationTrap(code, `${module} module, ${call}: ${REASONS[code]}`);
}
