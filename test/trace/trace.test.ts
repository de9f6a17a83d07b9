import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadTrace, SAMPLE_TRACE, traceFiles } from "../../src/trace/load.js";
import {
  describeEvent,
  EVENT_ALLOCATE,
  EVENT_ALLOCATE_ALIGNED,
  EVENT_FREE,
  EVENT_RESIZE,
  parseTrace,
  TraceFormatError,
} from "../../src/trace/trace.js";

describe("parseTrace", () => {
  it("reads the four events into parallel arrays", () => {
    const trace = parseTrace("a 0 10\nm 1 64 100\n\nr 0 20\nf 1\nf 0\n", "t");
    expect(trace.length).toBe(5);
    expect(Array.from(trace.kinds)).toEqual([
      EVENT_ALLOCATE,
      EVENT_ALLOCATE_ALIGNED,
      EVENT_RESIZE,
      EVENT_FREE,
      EVENT_FREE,
    ]);
    expect(Array.from(trace.ids)).toEqual([0, 1, 0, 1, 0]);
    expect(Array.from(trace.sizes)).toEqual([10, 100, 20, 0, 0]);
    expect(Array.from(trace.aligns)).toEqual([0, 64, 0, 0, 0]);
    expect(trace.blockCount).toBe(2);
  });

  it("reads the same events from text and from bytes, whatever the spacing and line endings", () => {
    const plain = parseTrace("a 0 10\nm 1 64 100\nr 0 20\nf 1\n");
    const spaced = "  a\t0   10 \r\n\r\n\tm 1\t64 100\r\nr  0 20\nf 1";
    for (const source of [spaced, new TextEncoder().encode(spaced)]) {
      const trace = parseTrace(source);
      expect(Array.from(trace.kinds)).toEqual(Array.from(plain.kinds));
      expect(Array.from(trace.ids)).toEqual(Array.from(plain.ids));
      expect(Array.from(trace.sizes)).toEqual(Array.from(plain.sizes));
      expect(Array.from(trace.aligns)).toEqual(Array.from(plain.aligns));
    }
  });

  it("reads the largest numbers a u32 holds, and leading zeros", () => {
    const trace = parseTrace("a 0 4294967295\na 00001 007\n");
    expect(Array.from(trace.sizes)).toEqual([4294967295, 7]);
    expect(Array.from(trace.ids)).toEqual([0, 1]);
  });

  it("counts lines from 1, blank ones included, in text and in bytes", () => {
    const text = "a 0 1\n\n   \na 1 x\n";
    expect(() => parseTrace(text, "t")).toThrow(/^t:4: expected "a ID SIZE" with whole numbers, found "a 1 x"$/);
    expect(() => parseTrace(new TextEncoder().encode(text), "t")).toThrow(/^t:4: /);
  });

  it("keeps the line of each event, blank lines counted", () => {
    const text = "\na 0 1\n\n  \na 1 2\r\n f 0\n";
    for (const source of [text, new TextEncoder().encode(text)]) {
      expect(Array.from(parseTrace(source).lines)).toEqual([2, 5, 6]);
    }
  });

  it.each(["", "\n", "  \n\t\n\r\n"])("refuses %j as empty, with no line to name", (text) => {
    let caught: unknown;
    try {
      parseTrace(text, "empty.trace");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TraceFormatError);
    expect((caught as TraceFormatError).line).toBeNull();
    expect((caught as Error).message).toBe("empty.trace: the trace is empty: it has no events");
  });

  it("describes an event as the line that would write it", () => {
    const trace = parseTrace("a 0 10\nm 1 64 100\nr 0 20\nf 1\n");
    expect([0, 1, 2, 3].map((event) => describeEvent(trace, event))).toEqual(["a 0 10", "m 1 64 100", "r 0 20", "f 1"]);
  });

  it.each([
    ["x 0 1", 1, /expected an event a, m, r or f, found "x"/],
    ["ab 0 1", 1, /expected an event a, m, r or f, found "ab"/],
    ["a0 1", 1, /expected an event a, m, r or f, found "a0"/],
    ["a 0 1 2", 1, /expected "a ID SIZE", found "a 0 1 2"/],
    ["a 0 4294967296", 1, /^bad\.trace:1: SIZE 4294967296 is too large, the largest is 4294967295: "a 0 4294967296"$/],
    ["a 1 99999999999", 1, /SIZE 99999999999 is too large, the largest is 4294967295/],
    ["a 99999999999999999999 8", 1, /ID 99999999999999999999 is too large/],
    ["m 0 8589934592 8", 1, /ALIGN 8589934592 is too large/],
    ["a 0 0x10", 1, /whole numbers/],
    ["m 0 0 10", 1, /power-of-two ALIGN, found 0/],
    ["a 0", 1, /expected "a ID SIZE", found "a 0"/],
    ["a 0 1\nf 0 3", 2, /expected "f ID"/],
    ["a 0 -5", 1, /whole numbers/],
    ["a 0 1.5", 1, /whole numbers/],
    ["m 0 3 10", 1, /power-of-two ALIGN/],
    ["a 0 1\na 0 2", 2, /block 0 is allocated a second time/],
    ["f 7", 1, /frees an unknown block: 7/],
    ["a 0 1\nf 0\nf 0", 3, /frees a block already freed: 0/],
    ["a 0 1\nf 0\nr 0 5", 3, /resizes a block already freed/],
  ])("refuses %j at line %i", (text, line, message) => {
    let caught: unknown;
    try {
      parseTrace(text, "bad.trace");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TraceFormatError);
    expect((caught as TraceFormatError).line).toBe(line);
    expect((caught as Error).message).toMatch(`bad.trace:${line}: `);
    expect((caught as Error).message).toMatch(message);
  });
});

describe("loadTrace", () => {
  it("reads the gzip-compressed sample the project ships", () => {
    const trace = loadTrace(SAMPLE_TRACE);
    expect(trace.name).toBe("sample.trace.gz");
    expect(trace.length).toBe(50_000);
  });

  it("names a missing file", () => {
    expect(() => loadTrace("/no/such/file.trace")).toThrow(/cannot read trace \/no\/such\/file.trace: no such file/);
  });

  it("reads a plain file, and names the line of a mistake in it", () => {
    const directory = mkdtempSync(join(tmpdir(), "linmem-trace-"));
    const good = join(directory, "good.trace");
    const bad = join(directory, "bad.trace");
    writeFileSync(good, "a 0 10\nf 0\n");
    writeFileSync(bad, "a 0 10\nf 1\n");
    expect(loadTrace(good).length).toBe(2);
    expect(() => loadTrace(bad)).toThrow(/^bad.trace:2: frees an unknown block: 1$/);
  });
});

describe("traceFiles", () => {
  it("gives a file as it is, and a directory's trace files in the order of their names", () => {
    const directory = mkdtempSync(join(tmpdir(), "linmem-traces-"));
    for (const name of ["b.trace.gz", "a.trace", "notes.txt"]) writeFileSync(join(directory, name), "");
    expect(traceFiles(join(directory, "notes.txt"))).toEqual([join(directory, "notes.txt")]);
    expect(traceFiles(directory)).toEqual([join(directory, "a.trace"), join(directory, "b.trace.gz")]);
  });

  it("names a missing path, and a directory without traces", () => {
    expect(() => traceFiles("/no/such/dir")).toThrow(/cannot read trace \/no\/such\/dir: no such file/);
    const empty = mkdtempSync(join(tmpdir(), "linmem-empty-"));
    expect(() => traceFiles(empty)).toThrow(/no trace files/);
  });
});
