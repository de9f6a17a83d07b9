/** Where a command writes: its output, its messages, and a progress display. Tests pass their own. */

import type { Progress } from "../bench/progress.js";
import { progressBar } from "../bench/progress-bar.js";

export interface CommandIo {
  /** Writes to the standard output: the command's result. */
  out(text: string): void;
  /** Writes to the standard error: messages about the work. */
  err(text: string): void;
  /** A progress display for long work. */
  progress(): Promise<Progress>;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: () => progressBar(process.stderr),
};
