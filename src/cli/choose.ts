/** Allocators chosen by name on the command line. */
import type { Contender } from "../bench/contender.js";
import { UsageError } from "./usage-error.js";

/** The contenders named, in the order given, or all of them for null. */
export function chooseContenders(
  command: string,
  names: readonly string[] | null,
  contenders: readonly Contender[],
): Contender[] {
  if (names === null) return [...contenders];
  return names.map((name) => chooseContender(command, name, contenders));
}

export function chooseContender(command: string, name: string, contenders: readonly Contender[]): Contender {
  const contender = contenders.find((candidate) => candidate.name === name);
  if (contender === undefined) {
    const known = contenders.map((candidate) => candidate.name).join(", ");
    throw new UsageError(command, `unknown allocator "${name}"; the allocators are ${known}`);
  }
  return contender;
}

/**
 * The allocator `linmem replay` uses when none is named: linmem's first that reuses memory, else linmem's first, else
 * the first there is.
 */
export function defaultReplayContender(contenders: readonly Contender[]): Contender | undefined {
  const linmem = contenders.filter((contender) => contender.origin === "linmem");
  return linmem.find((contender) => contender.reusesMemory) ?? linmem[0] ?? contenders[0];
}
