/**
 * Turns a module's refusal into the AllocationTrap the TypeScript build throws for the same call, in the same words.
 *
 * The module stores the refusal's code in its `trap_code` global, then returns 0 (the C family) or executes
 * `unreachable` (the original family, and any pointer that is not a block's); a trap with no code stored is not a
 * refusal but a fault, and passes through as it is. A code is all a module can say, while the TypeScript allocators say
 * why ("not a pointer into this heap", "the memory cannot grow to 206584 bytes"). Their words are the reference, so the
 * module's twin, attached to the same heap, is asked the same call: it refuses it the same way, and a refused call
 * changes nothing. Should the twin not refuse it, the builds disagree, which is a fault of linmem's and is reported as
 * one.
 *
 * LOCK_TIMEOUT, a shared build's, is the exception: the heap's lock may be free by the time the twin is asked, and the
 * twin would then make the call. It is worded here.
 */
import { AllocationTrap, TRAP_CODE_NUMBERS, type TrapCode } from "../allocator/errors.js";
import type { WebAssemblyGlobal } from "../webassembly-types.js";

const CODES_BY_NUMBER = new Map(
  Object.entries(TRAP_CODE_NUMBERS).map(([code, number]) => [number, code as TrapCode] as const),
);

/** The trap code a module stored, by its name, or undefined when there is none. */
export function trapCodeOf(number: number): TrapCode | undefined {
  return CODES_BY_NUMBER.get(number);
}

/**
 * What to throw for an error out of a call into a module: when the module stored a trap code, the AllocationTrap its
 * twin throws for `sameCallOnTwin`; else the error itself. `call` names the call for the message of a disagreement, as
 * "free(100)". Reading the code sets it back to 0.
 */
export function translateTrap(
  error: unknown,
  trapCode: WebAssemblyGlobal,
  module: string,
  call: string,
  sameCallOnTwin: () => unknown,
): unknown {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  const code = trapCodeOf(trapCode.value);
  if (code === undefined) return error;
  trapCode.value = 0;
  return code === "LOCK_TIMEOUT" ? lockTimeout(module, call) : inTwinsWords(code, module, call, sameCallOnTwin, error);
}

/**
 * The AllocationTrap for a call of the C family that returned 0: the twin's refusal of `sameCallOnTwin`, which must
 * have the code the module stored. Reading the code sets it back to 0.
 */
export function refusal(
  trapCode: WebAssemblyGlobal,
  module: string,
  call: string,
  sameCallOnTwin: () => unknown,
): unknown {
  const code = trapCodeOf(trapCode.value);
  if (code === undefined) return new Error(`the ${module} module returned 0 for ${call} without a trap code`);
  trapCode.value = 0;
  return code === "LOCK_TIMEOUT" ? lockTimeout(module, call) : inTwinsWords(code, module, call, sameCallOnTwin);
}

/** The AllocationTrap for a call the module refused as it could not have the heap's lock in time. */
function lockTimeout(module: string, call: string): AllocationTrap {
  return new AllocationTrap(
    "LOCK_TIMEOUT",
    `${call}: the ${module} module did not have the heap's lock within its lock timeout; if the thread that holds it ` +
      "is dead, breakLock(memory, heapBase, tag) and check() the heap",
  );
}

/** The twin's AllocationTrap for the same call, when it refuses it with `code`; else an error saying they disagree. */
function inTwinsWords(
  code: TrapCode,
  module: string,
  call: string,
  sameCallOnTwin: () => unknown,
  cause?: unknown,
): unknown {
  let twinOutcome: string;
  try {
    sameCallOnTwin();
    twinOutcome = "accepted it";
  } catch (reference) {
    if (reference instanceof AllocationTrap && reference.code === code) return reference;
    twinOutcome = `threw ${reference instanceof AllocationTrap ? reference.code : String(reference)}`;
  }
  const message = `the ${module} module refused ${call} with ${code}, but its TypeScript twin ${twinOutcome}`;
  return new Error(message, cause === undefined ? undefined : { cause });
}
