import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { formatTrace } from "../../src/trace/format.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { capturingIo } from "./io.js";

const directory = mkdtempSync(join(tmpdir(), "linmem-view-"));
const SAMPLE = fileURLToPath(SAMPLE_TRACE);

describe("linmem view", () => {
  it("writes one page that carries the trace, its settings and its script, and forbids every request", async () => {
    const io = capturingIo();
    const out = join(directory, "sample.html");
    expect(await run(["view", SAMPLE, "--out", out, "--allocator", "buddy,tlsf"], io)).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(io.stderr).toBe(
      `linmem view: ${out} written, ${Buffer.byteLength(page).toLocaleString("en-US")} bytes: 50,000 events on buddy and tlsf\n`,
    );
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain(
      `content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; worker-src blob:; img-src data:"`,
    );
    const config = JSON.parse(
      /<script type="application\/json" id="linmem-config">(.*?)<\/script>/.exec(page)?.[1] ?? "",
    );
    expect(config).toMatchObject({ trace: "sample.trace.gz", allocators: ["buddy", "tlsf"], heapBase: 8 });
    const embedded = /<script type="application\/octet-stream" id="linmem-trace">(.*?)<\/script>/.exec(page)?.[1] ?? "";
    expect(gunzipSync(Buffer.from(embedded, "base64")).toString()).toBe(formatTrace(loadTrace(SAMPLE)));
    // Nothing is fetched: no address of any kind in an attribute that loads something.
    expect(page).not.toMatch(/\b(src|href)=/);
    expect(page.match(/<script/g)).toHaveLength(3);
  });

  it("shows TLSF and buddy by default", async () => {
    const io = capturingIo();
    expect(await run(["view", SAMPLE, "--out", join(directory, "default.html")], io)).toBe(0);
    expect(io.stderr).toContain("50,000 events on tlsf and buddy");
  });

  it.each([
    [["view", SAMPLE], "name the page to write: --out FILE.html"],
    [["view", "--out", "x.html"], "name the trace to replay"],
    [["view", SAMPLE, "--out", "x.svg"], '--out writes HTML: name a .html file, not "x.svg"'],
    [
      ["view", SAMPLE, "--out", "x.html", "--allocator", "tlsf,arena"],
      '--allocator expects one of tlsf, buddy, got "arena"',
    ],
  ])("refuses %j, with exit status 2", async (args, message) => {
    const io = capturingIo();
    expect(await run(args, io)).toBe(2);
    expect(io.stderr).toContain(`linmem view: ${message}`);
  });

  it("fails, naming the event, when a heap cannot take the trace", async () => {
    const huge = join(directory, "huge.trace");
    writeFileSync(huge, "a 0 100\na 1 1073741824\na 2 1073741824\na 3 1073741824\na 4 1073741824\n");
    const io = capturingIo();
    expect(await run(["view", huge, "--out", join(directory, "huge.html"), "--allocator", "buddy"], io)).toBe(1);
    expect(io.stderr).toMatch(/^linmem view: buddy: huge\.trace:\d \(a \d 1073741824\): allocate\(1073741824\)/);
  });
});
