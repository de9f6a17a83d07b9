/** The built package the worker and package tests run is the sources' own: built after the last change to any of them. */
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DIST, NOT_BUILT } from "../support/built-package.js";

/** The newest modification time of the files below `folder`, and which file has it. */
function newest(folder: URL): { path: string; time: number } {
  let found = { path: "", time: 0 };
  for (const name of readdirSync(folder, { recursive: true, encoding: "utf8" })) {
    const path = fileURLToPath(new URL(name, folder));
    const stats = statSync(path);
    if (stats.isFile() && stats.mtimeMs > found.time) found = { path, time: stats.mtimeMs };
  }
  return found;
}

describe("the built package", () => {
  it("is newer than every source under src/ and assembly/", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const built = statSync(fileURLToPath(new URL("index.js", DIST))).mtimeMs;
    for (const folder of ["../../src/", "../../assembly/"]) {
      const source = newest(new URL(folder, import.meta.url));
      expect(source.time, `${source.path} changed after dist/ was built: run \`npm run build\``).toBeLessThanOrEqual(
        built,
      );
    }
  });
});
