import { describe, expect, it } from "vitest";
import { formatUrlState, readUrlState } from "../../../src/view/app/url-state.js";

describe("the page's address", () => {
  it("names the allocator and the event, and reads back what it wrote", () => {
    expect(formatUrlState("buddy", 1234)).toBe("#allocator=buddy&event=1234");
    expect(readUrlState("#allocator=buddy&event=1234")).toEqual({ allocator: "buddy", event: 1234 });
    expect(readUrlState("#event=7")).toEqual({ allocator: null, event: 7 });
    expect(readUrlState("")).toEqual({ allocator: null, event: null });
    expect(readUrlState("#event=-3&allocator=")).toEqual({ allocator: "", event: null });
    expect(readUrlState("#event=1e3")).toEqual({ allocator: null, event: null });
  });
});
