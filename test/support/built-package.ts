/**
 * The built package, dist/, for the tests that must run it rather than src/: in workers, which load plain JavaScript,
 * or installed as a user installs it. `npm test` builds it first. Where it is absent those tests are skipped, saying so;
 * where it is older than a source, test/package/built.test.ts fails, as they would be testing code that is gone.
 */
import { existsSync } from "node:fs";

/** The built package, as a URL to import from. */
export const DIST = new URL("../../dist/", import.meta.url);

/** Why the built package cannot be tested here, or null when it can. */
export const NOT_BUILT: string | null = existsSync(new URL("index.js", DIST))
  ? null
  : "the built package (dist/) is missing: run `npm run build`";

/** A module of the built package, by its path in dist/. */
export async function builtModule<T>(path: string): Promise<T> {
  return (await import(new URL(path, DIST).href)) as T;
}
