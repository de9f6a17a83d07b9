/**
 * What a contender needs beyond the package itself: a file the repository's build makes, a development dependency.
 * An installed linmem has neither, so a peer that needs one runs only in a clone of the repository, or once the
 * dependency is installed. Whether a requirement is met is checked cheaply, a file's presence or a package's
 * directory, without loading anything, so that the benchmark lists and runs only what can run here and says once
 * what the rest need.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Contender } from "./contender.js";

export interface Requirement {
  /** What is needed, for messages: "build/wasm/assemblyscript-tlsf.wasm", "@thi.ng/malloc". */
  readonly what: string;
  /** How to get it, a clause that follows `what`: "which `npm install @thi.ng/malloc` installs". */
  readonly howToGet: string;
  /** True when it is here. */
  isMet(): boolean;
}

/** The package's root: the directory of its package.json, above dist/ (or src/). */
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A file the repository's `npm run build` makes, which the package does not ship. */
export function buildProduct(file: URL): Requirement {
  const path = fileURLToPath(file);
  return {
    what: relative(PACKAGE_ROOT, path),
    howToGet: "which `npm run build` makes in a clone of linmem's repository",
    isMet: () => existsSync(path),
  };
}

/**
 * A package to import, which the package does not depend on: found, as Node finds it, in a node_modules directory
 * here or above, such as the project's that installed linmem.
 */
export function installedPackage(name: string): Requirement {
  return {
    what: name,
    howToGet: `which \`npm install ${name}\` installs`,
    isMet: () =>
      (createRequire(import.meta.url).resolve.paths(name) ?? []).some((directory) =>
        existsSync(join(directory, name, "package.json")),
      ),
  };
}

/** The requirements of a contender not met here. */
function unmetRequirements(contender: Contender): Requirement[] {
  return contender.requires.filter((requirement) => !requirement.isMet());
}

/** A contender not available here, and what it needs: the form reports keep it in. */
export interface Unavailable {
  name: string;
  needs: { what: string; howToGet: string }[];
}

/** The contenders among these not available here, each with its unmet requirements. */
export function unavailableAmong(contenders: readonly Contender[]): Unavailable[] {
  return contenders.flatMap((contender) => {
    const unmet = unmetRequirements(contender);
    return unmet.length === 0
      ? []
      : [{ name: contender.name, needs: unmet.map(({ what, howToGet }) => ({ what, howToGet })) }];
  });
}

/**
 * One sentence saying which contenders are not available here and how to get what each needs, or null when there are
 * none: "Not available here: thi.ng needs @thi.ng/malloc, which `npm install @thi.ng/malloc` installs."
 */
export function describeUnavailable(unavailable: readonly Unavailable[]): string | null {
  if (unavailable.length === 0) return null;
  const each = unavailable.map(
    ({ name, needs }) => `${name} needs ${needs.map(({ what, howToGet }) => `${what}, ${howToGet}`).join(", and ")}`,
  );
  return `Not available here: ${each.join("; ")}.`;
}
