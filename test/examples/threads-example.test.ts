/**
 * examples/threads, run as a reader would run it, with Node, against the built package (`npm test` builds it first;
 * the test is skipped, saying so, where it is absent).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { WORKERS_UNAVAILABLE } from "../support/workers.js";

const title = WORKERS_UNAVAILABLE === null ? "examples/threads" : `examples/threads (skipped: ${WORKERS_UNAVAILABLE})`;

describe.skipIf(WORKERS_UNAVAILABLE !== null)(title, () => {
  it("shares one heap between the main thread and four workers, TypeScript and WebAssembly, all freed at the end", () => {
    const main = fileURLToPath(new URL("../../examples/threads/main.mjs", import.meta.url));
    const output = execFileSync(process.execPath, [main], { encoding: "utf8", timeout: 60_000 });
    for (const [index, build] of ["TypeScript", "WebAssembly", "TypeScript", "WebAssembly"].entries()) {
      expect(output).toContain(`${build} worker ${index}: "hello from the ${build} worker ${index}, greeting 0"`);
    }
    expect(output).toContain("8000 greetings read and freed by the main thread");
    expect(output).toMatch(/the heap: 0 blocks in use, in a memory grown from 1 page to \d+\n$/);
  });
});
