import { describe, expect, it } from "vitest";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import {
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

  it.each([
    ["x 0 1", 1, /expected an event a, m, r or f, found "x"/],
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
});
