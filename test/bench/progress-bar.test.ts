import { describe, expect, it } from "vitest";
import { SILENT_PROGRESS } from "../../src/bench/progress.js";
import { progressBar } from "../../src/bench/progress-bar.js";

describe("progressBar", () => {
  it("stays silent on a stream that is not a terminal", async () => {
    const stream = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
    expect(await progressBar(stream)).toBe(SILENT_PROGRESS);
  });

  it("draws nothing on a terminal while the work is still short", async () => {
    const written: string[] = [];
    const stream = {
      isTTY: true,
      columns: 80,
      write: (text: string) => written.push(text),
    } as unknown as NodeJS.WriteStream;
    const progress = await progressBar(stream);
    expect(progress).not.toBe(SILENT_PROGRESS);
    progress.start(10);
    progress.update(5, "half way");
    progress.stop();
    expect(written).toEqual([]);
  });
});
