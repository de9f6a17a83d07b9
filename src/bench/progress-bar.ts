/**
 * A progress bar on a terminal (cli-progress, a development dependency). It appears only when the stream is a
 * terminal and the work has already lasted a while, so short runs, pipes and files stay free of it; without
 * cli-progress installed there is simply no bar.
 */
import { type Progress, SILENT_PROGRESS } from "./progress.js";

/** How long work runs before a bar is worth showing, in milliseconds. */
const SHOW_AFTER = 1500;

export async function progressBar(stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (!stream.isTTY) return SILENT_PROGRESS;
  let cliProgress: typeof import("cli-progress");
  try {
    cliProgress = (await import("cli-progress")).default;
  } catch {
    return SILENT_PROGRESS;
  }
  let startedAt = 0;
  let total = 0;
  let bar: InstanceType<typeof cliProgress.SingleBar> | null = null;
  return {
    start(units) {
      total = units;
      startedAt = performance.now();
    },
    update(done, doing) {
      if (bar === null) {
        if (performance.now() - startedAt < SHOW_AFTER) return;
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: "{bar} {percentage}% | ETA {eta_formatted} | {doing}",
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done, { doing });
      } else {
        bar.update(done, { doing });
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
