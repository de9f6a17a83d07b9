/** Allocators chosen by name on the command line. */
import type { Contender } from "../bench/contender.js";
import { describeUnavailable, unavailableAmong } from "../bench/requirement.js";
import { UsageError } from "./usage-error.js";

/**
 * The contenders named, in the order given, or all of them for null (the runner leaves out those not available
 * here, and the report says what they need). A name it does not know is a usage error; a contender named but not
 * available here fails the command before anything runs.
 */
export function chooseContenders(
  command: string,
  names: readonly string[] | null,
  contenders: readonly Contender[],
): Contender[] {
  if (names === null) return [...contenders];
  const chosen = names.map((name) => known(command, name, contenders));
  requireAvailable(chosen);
  return chosen;
}

/** The contender named, known and available here. */
export function chooseContender(command: string, name: string, contenders: readonly Contender[]): Contender {
  const contender = known(command, name, contenders);
  requireAvailable([contender]);
  return contender;
}

/** The contenders that can run here. */
export function availableContenders(contenders: readonly Contender[]): Contender[] {
  const unavailable = new Set(unavailableAmong(contenders).map(({ name }) => name));
  return contenders.filter(({ name }) => !unavailable.has(name));
}

/**
 * The allocator `linmem replay` uses when none is named: linmem's first that reuses memory, else linmem's first, else
 * the first there is.
 */
export function defaultReplayContender(contenders: readonly Contender[]): Contender | undefined {
  const linmem = contenders.filter((contender) => contender.origin === "linmem");
  return linmem.find((contender) => contender.reusesMemory) ?? linmem[0] ?? contenders[0];
}

function known(command: string, name: string, contenders: readonly Contender[]): Contender {
  const contender = contenders.find((candidate) => candidate.name === name);
  if (contender === undefined) {
    const names = contenders.map((candidate) => candidate.name).join(", ");
    throw new UsageError(command, `unknown allocator "${name}"; the allocators are ${names}`);
  }
  return contender;
}

function requireAvailable(contenders: readonly Contender[]): void {
  const unavailable = describeUnavailable(unavailableAmong(contenders));
  if (unavailable !== null) throw new Error(unavailable);
}
