/** The package's version, read from its package.json when asked: the file ships with the package, beside dist/. */
import { readFileSync } from "node:fs";

/** package.json, from src/cli/ in the repository or from dist/cli/ in an installed package alike. */
const PACKAGE_JSON = new URL("../../package.json", import.meta.url);

export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as { version?: unknown };
  if (typeof version !== "string") throw new Error(`no version in ${PACKAGE_JSON.pathname}`);
  return version;
}
