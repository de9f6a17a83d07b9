/**
 * The package's declarations type-check in a consumer's project as strict as they come (`skipLibCheck: false`), both
 * for Node alone (no DOM library, where TypeScript declares no `WebAssembly`) and for browsers (the DOM library, whose
 * WebAssembly types must meet linmem's). The consumer imports the package by its name, through its `exports`.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { NOT_BUILT } from "../support/built-package.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Code any consumer may write. */
const EVERYWHERE = `
import {
  AllocationTrap,
  type AllocatorExports,
  allocatorModule,
  LinearMemory,
  type LinkedProgram,
  linkProgram,
  loadAllocator,
  parseTrace,
  replay,
  tlsf,
  type TrapCode,
} from "linmem";
import { allocate_memory, free_memory } from "linmem/allocator/buddy";

const memory = LinearMemory.create();
const heap = tlsf(memory, { heapBase: 64 });
const ptr: number = heap.allocate(100);
try {
  heap.free(ptr);
  heap.free(ptr);
} catch (error) {
  if (error instanceof AllocationTrap) {
    const code: TrapCode = error.code;
    const message: string = error.message;
    console.log(code, message);
  }
}
const module: object = await allocatorModule("arena");
const wasm = await loadAllocator("tlsf", LinearMemory.create());
const exports: AllocatorExports = wasm.exports;
const code: number = exports.trap_code.value;
free_memory(allocate_memory(8));
replay(parseTrace("a 0 8\\nf 0\\n"), heap, { verify: true });
const linked: LinkedProgram = await linkProgram(new Uint8Array(8), { allocator: "tlsf", imports: { env: { f: () => 1 } } });
const { count_words } = linked.instance.exports as { count_words(ptr: number, length: number): number };
const main = count_words(0, 0);
console.log(module, code, main);
`;

/** Code a browser project may write: the DOM library's WebAssembly objects in and out of linmem's API. */
const WITH_DOM = `
import { AllocationTrap, allocatorModule, LinearMemory, linkProgram, loadAllocator } from "linmem";

const native = new WebAssembly.Memory({ initial: 1 });
const memory = LinearMemory.wrap(native);
const same: WebAssembly.Memory | null = memory.memory;
const instance: WebAssembly.Instance = await WebAssembly.instantiate(await allocatorModule("arena"), {
  env: { memory: native },
});
const heap = await loadAllocator("arena", memory);
const imports: WebAssembly.Imports = { allocator: heap.exports };
const trap: WebAssembly.RuntimeError = new AllocationTrap("INVALID_SIZE", "allocate(-1)");
const domImports: WebAssembly.Imports = { env: { table: new WebAssembly.Table({ element: "anyfunc", initial: 1 }) } };
const linked = await linkProgram(new Uint8Array(8), { allocator: "buddy", imports: domImports });
const linkedInstance: WebAssembly.Instance = linked.instance;
console.log(same, instance, imports, trap, linkedInstance);
`;

const projects: string[] = [];
afterAll(() => {
  for (const directory of projects) rmSync(directory, { recursive: true, force: true });
});

/** A project beside nothing of the repository's but the package, linked in its node_modules, and @types/node. */
function consumerProject(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), "linmem-consumer-"));
  projects.push(directory);
  mkdirSync(join(directory, "node_modules"));
  symlinkSync(ROOT, join(directory, "node_modules", "linmem"), "dir");
  writeFileSync(join(directory, "package.json"), JSON.stringify({ type: "module" }));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

/** The errors of a type check of the project's files, and the package's declarations it read. */
function typeCheck(directory: string, files: string[], lib: string[]): { errors: string[]; declarations: string[] } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: lib.map((name) => `lib.${name}.d.ts`),
    types: ["node"],
    typeRoots: [join(ROOT, "node_modules/@types")],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  };
  const program = ts.createProgram(
    files.map((file) => join(directory, file)),
    options,
  );
  const errors = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file === undefined ? "" : `${diagnostic.file.fileName}: `;
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  });
  const dist = join(ROOT, "dist/");
  const declarations = program
    .getSourceFiles()
    .map((file) => file.fileName)
    .filter((name) => name.startsWith(dist))
    .map((name) => name.slice(dist.length));
  return { errors, declarations };
}

/** Declarations that once needed the DOM library: a check that has read them has read what matters. */
const READ = ["index.d.ts", "allocator/errors.d.ts", "memory/linear-memory.d.ts", "wasm/abi.d.ts", "wasm/modules.d.ts"];

describe("the package's declarations", () => {
  it("type-check in a project for Node alone, with no DOM library", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const mistake = `import { tlsf } from "linmem";\nexport const wrong: string = tlsf;\n`;
    const directory = consumerProject({ "consumer.ts": EVERYWHERE, "mistake.ts": mistake });
    const { errors, declarations } = typeCheck(directory, ["consumer.ts", "mistake.ts"], ["es2022"]);
    expect(declarations).toEqual(expect.arrayContaining(READ));
    // The check reports what is wrong, and nothing but the consumer's own mistake is.
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/mistake\.ts: Type .* is not assignable to type 'string'/);
  });

  it("type-check with the DOM library, and take and give its WebAssembly objects", (context) => {
    if (NOT_BUILT !== null) context.skip(NOT_BUILT);
    const directory = consumerProject({ "consumer.ts": EVERYWHERE, "browser.ts": WITH_DOM });
    const { errors, declarations } = typeCheck(directory, ["consumer.ts", "browser.ts"], ["es2022", "dom"]);
    expect(declarations).toEqual(expect.arrayContaining(READ));
    expect(errors).toEqual([]);
  });
});
