/**
 * The package as npm packs it: what a user who installs linmem downloads, and that it works once installed in a
 * project of its own, outside the repository: the CLI, and imports by the package's name.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_BUILT } from "../support/built-package.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** Long enough for npm on a busy machine; a hung npm fails the test rather than the run. */
const TIMEOUT = 60_000;

/** npm, with its scripts off: the tests run on the build `npm test` made, and must not rebuild it under the others. */
function npm(args: string[], cwd: string): string {
  return execFileSync("npm", [...args, "--ignore-scripts", "--no-audit", "--no-fund"], {
    cwd,
    encoding: "utf8",
    timeout: TIMEOUT,
    // npm's notices go to the standard error; only a failure's matter, and it throws with them.
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** The files the tarball holds, as `npm pack --dry-run` lists them. */
function packedFiles(): string[] {
  const [pack] = JSON.parse(npm(["pack", "--dry-run", "--json"], ROOT)) as [{ files: { path: string }[] }];
  return pack.files.map(({ path }) => path).sort();
}

describe("the tarball", () => {
  let files: string[] = [];
  beforeAll(() => {
    if (NOT_BUILT === null) files = packedFiles();
  }, TIMEOUT);

  it("holds the compiled package, its declarations, its licence and its documents", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    for (const file of [
      "package.json",
      "LICENSE",
      "README.md",
      "BENCHMARKS.md",
      "docs/cli.md",
      "docs/linking.md",
      "docs/benchmarks.svg",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "dist/bench/entrant-worker.js",
      "dist/standalone/tlsf.js",
      "dist/wasm/generated/allocator-modules.js",
      "include/linmem.h",
    ]) {
      expect(files, file).toContain(file);
    }
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 the linmem authors\n/,
    );
  });

  it("holds nothing a user does not run or read: no sources, tests, traces, builds or source maps", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const allowed =
      /^(package\.json|LICENSE|README\.md|BENCHMARKS\.md|docs\/[^/]+\.(md|svg)|include\/[^/]+\.h|dist\/.+\.(js|d\.ts))$/;
    expect(files.filter((file) => !allowed.test(file))).toEqual([]);
  });

  it("holds every file the documents it ships link to", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    for (const document of files.filter((file) => file.endsWith(".md"))) {
      const text = readFileSync(join(ROOT, document), "utf8");
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target as string)) continue;
        const linked = normalize(join(dirname(document), target as string));
        expect(files, `${document} links to ${target}`).toContain(linked);
      }
    }
  });
});

describe("the package installed in a project of its own", () => {
  const directory = mkdtempSync(join(tmpdir(), "linmem-installed-"));
  const project = join(directory, "project");
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  beforeAll(() => {
    if (NOT_BUILT !== null) return;
    npm(["pack", "--pack-destination", directory], ROOT);
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const tarball = readdirSync(directory).find((name) => name.endsWith(".tgz")) as string;
    npm(["install", "--offline", join(directory, tarball)], project);
  }, 2 * TIMEOUT);

  /** The installed command, run as a user runs it. */
  const linmem = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const { status, stdout, stderr } = spawnSync(join(project, "node_modules/.bin/linmem"), args, {
      cwd: project,
      encoding: "utf8",
      timeout: TIMEOUT,
    });
    return { status, stdout, stderr };
  };

  it("imports by the package's name, the ready-made heaps included, and loads a module", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const program = [
      'import { LinearMemory, loadAllocator, tlsf } from "linmem";',
      'import { allocate_memory } from "linmem/allocator/buddy";',
      "const heap = tlsf(LinearMemory.create());",
      'const module = await loadAllocator("arena", LinearMemory.create());',
      "console.log(heap.allocate(8) > 0, module.allocate(8) > 0, allocate_memory(8) > 0);",
    ].join("\n");
    writeFileSync(join(project, "program.mjs"), program);
    expect(execFileSync("node", ["program.mjs"], { cwd: project, encoding: "utf8", timeout: TIMEOUT })).toBe(
      "true true true\n",
    );
  });

  it("says its version", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(linmem(["--version"])).toEqual({ status: 0, stdout: `linmem ${version}\n`, stderr: "" });
  });

  it("lists only the allocators it can run, and says what the peers need", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const { status, stdout } = linmem(["help", "bench"]);
    expect(status).toBe(0);
    expect(stdout).toContain(
      "(default: all): arena, arena-wasm, tlsf, tlsf-wasm, tlsf-wasm-fast, buddy, buddy-wasm, buddy-wasm-fast, uint8array\n",
    );
    expect(stdout.replaceAll("\n", " ")).toContain(
      "Not available here: as-tlsf needs build/wasm/assemblyscript-tlsf.wasm, which `npm run build` makes in a " +
        "clone of linmem's repository; dlmalloc needs build/wasm/dlmalloc.wasm, which `npm run build` makes in a " +
        "clone of linmem's repository where emcc is installed (`apt-get install -y emscripten`); emmalloc needs " +
        "build/wasm/emmalloc.wasm, which `npm run build` makes in a clone of linmem's repository where emcc is " +
        "installed (`apt-get install -y emscripten`); thi.ng needs @thi.ng/malloc, which `npm install @thi.ng/malloc` " +
        "installs.",
    );
  });

  it("draws heaps with no development dependency: a map, and a page whose script is inside it", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    writeFileSync(join(project, "small.trace"), "a 0 100\na 1 2000\nf 0\na 2 24\n");
    expect(linmem(["map", "small.trace", "--svg", "small.svg"]).status).toBe(0);
    expect(readFileSync(join(project, "small.svg"), "utf8").match(/ data-ptr="/g)).toHaveLength(4);
    // The page's script was bundled when the package was built: the installed package has no bundler.
    expect(existsSync(join(project, "node_modules/esbuild"))).toBe(false);
    expect(linmem(["view", "small.trace", "--out", "small.html"]).status).toBe(0);
    expect(readFileSync(join(project, "small.html"), "utf8")).toMatch(
      /<script id="linmem-app">[\s\S]{10000,}<\/script>\n<\/body>/,
    );
  });

  it("benchmarks what it can: the ring, with no sample trace, saying how to replay traces", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const { status, stdout, stderr } = linmem(["bench", "--ring-steps", "1000", "--runs", "1"]);
    expect(status).toBe(0);
    expect(stderr).toMatch(/^linmem bench: the ring only, as no trace is given: replaying traces needs --trace/);
    expect(stdout).toMatch(/\nring 1,024: /);
    expect(stdout).not.toMatch(/\.trace/);
    for (const name of ["arena", "tlsf-wasm", "buddy", "uint8array"])
      expect(stdout).toMatch(new RegExp(`\n  ${name} +\\d`));
    expect(stdout).not.toMatch(/\n {2}(as-tlsf|thi\.ng) /);
    expect(linmem(["bench", "--workload", "trace"]).status).toBe(2);
  });
});
