/** A CommandIo that keeps what a command writes, for the tests to read. */
import { SILENT_PROGRESS } from "../../src/bench/progress.js";
import type { CommandIo } from "../../src/cli/io.js";

export function capturingIo(): CommandIo & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    progress: async () => SILENT_PROGRESS,
  };
  return io;
}
