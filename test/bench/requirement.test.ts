import { describe, expect, it } from "vitest";
import { CONTENDERS } from "../../src/bench/contenders.js";
import { assemblyScriptTlsf } from "../../src/bench/peers/assemblyscript-tlsf.js";
import { thingMalloc } from "../../src/bench/peers/thing-malloc.js";
import { buildProduct, describeUnavailable, installedPackage, unavailableAmong } from "../../src/bench/requirement.js";

describe("a contender's requirements", () => {
  it("find a build product by its file, named from the package's root", () => {
    const present = buildProduct(new URL("../../package.json", import.meta.url));
    const absent = buildProduct(new URL("../../build/wasm/no-such-module.wasm", import.meta.url));
    expect(present.isMet()).toBe(true);
    expect(absent.isMet()).toBe(false);
    expect(absent.what).toBe("build/wasm/no-such-module.wasm");
    expect(absent.howToGet).toBe("which `npm run build` makes in a clone of linmem's repository");
  });

  it("find a package as Node would, without importing it", () => {
    expect(installedPackage("@thi.ng/malloc").isMet()).toBe(true);
    expect(installedPackage("vitest").isMet()).toBe(true);
    const absent = installedPackage("@linmem/no-such-package");
    expect(absent.isMet()).toBe(false);
    expect(absent.howToGet).toBe("which `npm install @linmem/no-such-package` installs");
  });

  it("are declared by the peers that need what the package does not ship, and by no allocator of linmem's", () => {
    expect(assemblyScriptTlsf.requires.map(({ what }) => what)).toEqual(["build/wasm/assemblyscript-tlsf.wasm"]);
    expect(thingMalloc.requires.map(({ what }) => what)).toEqual(["@thi.ng/malloc"]);
    for (const contender of CONTENDERS.filter(({ origin }) => origin === "linmem")) {
      expect(contender.requires, contender.name).toEqual([]);
    }
  });

  it("leave out the contenders whose requirements are not all met, and say in one sentence what they need", () => {
    const met = { what: "a.wasm", howToGet: "which is here", isMet: () => true };
    const unmet = { what: "b-lib", howToGet: "which `npm install b-lib` installs", isMet: () => false };
    const contender = (name: string, requires: (typeof met)[]) => ({ ...thingMalloc, name, requires });
    const unavailable = unavailableAmong([contender("a", [met]), contender("b", [met, unmet]), contender("c", [])]);
    expect(unavailable).toEqual([{ name: "b", needs: [{ what: "b-lib", howToGet: unmet.howToGet }] }]);
    expect(describeUnavailable(unavailable)).toBe(
      "Not available here: b needs b-lib, which `npm install b-lib` installs.",
    );
    expect(describeUnavailable([])).toBeNull();
  });
});
