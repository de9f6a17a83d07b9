import { describe, expect, it } from "vitest";
import { traceNeeds, traceWorkload } from "../../src/bench/trace-workload.js";
import type { Heap } from "../../src/trace/heap.js";
import { parseTrace } from "../../src/trace/trace.js";
import { corruptingContender } from "./contenders.js";

const TEXT = "a 0 10\nm 1 4 20\nr 0 100\nf 1\na 2 0\nf 0\n";

describe("the trace workload", () => {
  it("knows the bytes a trace asks for in all and the most it holds at once", () => {
    expect(traceNeeds(parseTrace(TEXT))).toEqual({ bytesAllocated: 130, peakLiveBytes: 120 });
  });

  it("makes exactly the trace's calls in its timed run, alignments raised to 8", () => {
    const calls: string[] = [];
    let next = 0;
    const nextPointer = (): number => {
      next += 16;
      return next;
    };
    const heap: Heap = {
      allocate: (size, align) => {
        calls.push(align === undefined ? `allocate ${size}` : `allocate ${size} ${align}`);
        return nextPointer();
      },
      free: (ptr) => calls.push(`free ${ptr}`),
      reallocate: (ptr, size, oldSize) => {
        calls.push(`reallocate ${ptr} ${size} ${oldSize}`);
        return nextPointer();
      },
      bytes: () => new Uint8Array(0),
      heapBase: null,
      memorySize: () => null,
      reset() {},
    };
    traceWorkload(parseTrace(TEXT)).ownLoop()(heap)();
    expect(calls).toEqual(["allocate 10", "allocate 20 8", "reallocate 16 100 10", "free 32", "allocate 0", "free 48"]);
  });

  it("verifies every block, and names the event where one changed", async () => {
    const workload = traceWorkload(parseTrace("a 0 8\na 1 8\na 2 8\nf 0\nf 1\nf 2\n", "three.trace"));
    const heap = await (await corruptingContender(3).load())(workload);
    expect(() => workload.verify(heap)).toThrow(/^three.trace:5 \(f 1\): block 1 \(at \d+, 8 bytes\): byte 0 changed$/);
  });
});
