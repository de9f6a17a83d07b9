import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../../scripts/build-peers.mjs", import.meta.url));

describe("the build of the Emscripten peers", () => {
  it("without emcc, builds nothing, says so in one line and how to get it, and succeeds", async () => {
    // A PATH of one empty directory: no emcc on it.
    const empty = await mkdtemp(join(tmpdir(), "no-emcc-"));
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT], { env: { PATH: empty } });
      expect(stdout).toBe("dlmalloc, emmalloc: not built, emcc not found (apt-get install -y emscripten adds them)\n");
      expect(stderr).toBe("");
    } finally {
      await rm(empty, { recursive: true });
    }
  });
});
