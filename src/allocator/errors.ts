/**
 * The two ways an allocator reports a problem.
 *
 * `AllocationTrap` is a refused call: bad input or no memory left. It extends `WebAssembly.RuntimeError` because that
 * is what the same failure looks like when the allocator runs as WebAssembly (an `unreachable` trap), so one `catch`
 * serves both builds. A trapped call has changed nothing.
 *
 * `HeapCorruptionError` comes from `check()`: the heap's bytes break an invariant of its format.
 */

/** Why an allocator refused a call. */
export type TrapCode =
  | "INVALID_SIZE"
  | "INVALID_ALIGNMENT"
  | "OUT_OF_MEMORY"
  | "INVALID_POINTER"
  | "DOUBLE_FREE"
  | "LOCK_TIMEOUT";

/**
 * The trap codes as the numbers a WebAssembly build stores before it traps (0 means no error). Part of the modules'
 * ABI: never renumber.
 */
export const TRAP_CODE_NUMBERS: Readonly<Record<TrapCode, number>> = {
  INVALID_SIZE: 1,
  INVALID_ALIGNMENT: 2,
  OUT_OF_MEMORY: 3,
  INVALID_POINTER: 4,
  DOUBLE_FREE: 5,
  /** A heap shared between threads whose lock was not had within the allocator's `lockTimeoutMs` (see lock.ts). */
  LOCK_TIMEOUT: 6,
};

/** `WebAssembly.RuntimeError`, typed as the Error it is, so that these declarations need no DOM library. */
const RuntimeError: new (message?: string) => Error = WebAssembly.RuntimeError;

export class AllocationTrap extends RuntimeError {
  readonly code: TrapCode;

  constructor(code: TrapCode, message: string) {
    super(message);
    this.name = "AllocationTrap";
    this.code = code;
  }
}

export class HeapCorruptionError extends Error {
  /** The byte offset where the broken invariant was found. */
  readonly offset: number;

  constructor(offset: number, message: string) {
    super(`heap corrupt at ${offset}: ${message}`);
    this.name = "HeapCorruptionError";
    this.offset = offset;
  }
}
