import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { SAMPLE_TRACE } from "../../src/trace/load.js";
import { capturingIo } from "./io.js";

const directory = mkdtempSync(join(tmpdir(), "linmem-map-"));
const SAMPLE = fileURLToPath(SAMPLE_TRACE);

describe("linmem map", () => {
  it("draws the heap after an event, and prints its figures", async () => {
    const io = capturingIo();
    const svg = join(directory, "buddy.svg");
    const args = ["map", SAMPLE, "--allocator", "buddy", "--at", "20_000", "--svg", svg, "--heap-base", "1024"];
    expect(await run(args, io)).toBe(0);
    const picture = readFileSync(svg, "utf8");
    expect(picture).toContain("sample.trace.gz: the buddy heap after 20,000 of 50,000 events");
    expect(picture).toContain(`data-area="static" data-start="8" data-end="1024"`);
    expect(picture).toContain(args.join(" "));
    expect(io.stdout).toMatch(
      /^sample\.trace\.gz on buddy, after 20,000 of 50,000 events:\n {2}blocks in use {7}[\d,]+\n/,
    );
    expect(io.stderr).toBe(`linmem map: ${svg} written, ${Buffer.byteLength(picture).toLocaleString("en-US")} bytes\n`);
  });

  it("draws the heap at the end of the trace by default, on TLSF", async () => {
    const io = capturingIo();
    const svg = join(directory, "end.svg");
    expect(await run(["map", SAMPLE, "--svg", svg], io)).toBe(0);
    expect(readFileSync(svg, "utf8")).toContain("the tlsf heap after 50,000 of 50,000 events");
  });

  it.each([
    [["map", SAMPLE], "name the picture to write: --svg FILE.svg"],
    [["map", "--svg", "x.svg"], "name the trace to replay"],
    [["map", SAMPLE, "--svg", "x.png"], '--svg writes SVG: name a .svg file, not "x.png"'],
    [["map", SAMPLE, "--svg", "x.svg", "--allocator", "arena"], '--allocator expects one of tlsf, buddy, got "arena"'],
    [
      ["map", SAMPLE, "--svg", "x.svg", "--at", "50001"],
      "--at 50001 is past the end of sample.trace.gz, which has 50,000 events",
    ],
    [["map", SAMPLE, "--svg", "x.svg", "--at", "-1"], "option '--at' argument is ambiguous"],
    [["map", SAMPLE, "--svg", "x.svg", "--heap-base", "12"], '--heap-base expects a multiple of 8, got "12"'],
  ])("refuses %j, with exit status 2", async (args, message) => {
    const io = capturingIo();
    expect(await run(args, io)).toBe(2);
    expect(io.stderr).toContain(`linmem map: ${message}`);
    expect(io.stderr).toContain('Run "linmem help map" for usage.');
  });

  it("refuses a trace it cannot read, with exit status 1", async () => {
    const bad = join(directory, "bad.trace");
    writeFileSync(bad, "a 0 8\nf 3\n");
    const io = capturingIo();
    expect(await run(["map", bad, "--svg", join(directory, "bad.svg")], io)).toBe(1);
    expect(io.stderr).toBe("linmem map: bad.trace:2: frees an unknown block: 3\n");
  });

  it("explains itself", async () => {
    const io = capturingIo();
    expect(await run(["help", "map"], io)).toBe(0);
    expect(io.stdout).toMatch(/^Usage: linmem map FILE --svg FILE\.svg/);
    expect(io.stdout).toContain("data-ptr, data-size and data-state");
  });
});
