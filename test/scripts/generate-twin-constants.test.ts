/**
 * The AssemblyScript twins take their constants from assembly/generated/, made from the TypeScript sources: these
 * tests hold that every generated file is what the generator makes of its source now.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedPath, renderConstants, SOURCES } from "../../scripts/generate-twin-constants.mjs";

const root = new URL("../../", import.meta.url);

describe.each(SOURCES)("the constants of %s", (source) => {
  it("are current in assembly/generated/ (run `npm run generate` if not)", async () => {
    const values = await import(new URL(source, root).href);
    const expected = renderConstants(source, readFileSync(new URL(source, root), "utf8"), values);
    expect(readFileSync(new URL(generatedPath(source), root), "utf8")).toBe(expected);
  });
});

describe("the generator", () => {
  it("gives each whole-number constant, and each entry of a record of them, as a u32 with its doc comment", () => {
    const text = [
      "/** Bits. */",
      "export const LOW = 1;",
      "export const HIGH = 0x8000_0000;",
      "const HIDDEN = 3;",
      "export const lowerCase = 4;",
      "/** Codes. */",
      "export const CODES = { A: 1, B: 2 };",
    ].join("\n");
    const rendered = renderConstants("x.ts", text, { LOW: 1, HIGH: 0x8000_0000, lowerCase: 4, CODES: { A: 1, B: 2 } });
    expect(rendered).toContain("/** Bits. */\nexport const LOW: u32 = 1;\nexport const HIGH: u32 = 0x80000000;\n");
    expect(rendered).toContain("/** Codes. */\nexport const A: u32 = 1;\nexport const B: u32 = 2;\n");
    expect(rendered).not.toMatch(/HIDDEN|lowerCase/);
  });

  it("refuses a constant the twins could not share", () => {
    expect(() => renderConstants("x.ts", "export const HALF = 0.5;", { HALF: 0.5 })).toThrow(/HALF is 0.5/);
    expect(() => renderConstants("x.ts", "export const BELOW = -1;", { BELOW: -1 })).toThrow(RangeError);
  });
});
