import { describe, expect, it } from "vitest";
import { formatTrace } from "../../src/trace/format.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { parseTrace } from "../../src/trace/trace.js";

describe("formatTrace", () => {
  it("writes a trace that parses back to the same events", () => {
    const text = "a 0 10\n\nm 1 64 30\nr 0  100\r\nf 1\na 2 0\n";
    expect(formatTrace(parseTrace(text))).toBe("a 0 10\nm 1 64 30\nr 0 100\nf 1\na 2 0\n");
    const sample = loadTrace(SAMPLE_TRACE);
    expect(parseTrace(formatTrace(sample), sample.name)).toEqual(sample);
  });
});
