/**
 * The C programs in examples/c/, compiled by clang as docs/linking.md says, each linked to every allocator module with
 * linkProgram: the program's results are checked against JavaScript's, JavaScript allocates and frees in the same heap
 * between the program's calls, and the heap passes its check after. Needs clang and wasm-ld (Debian: clang, lld).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LinearMemory } from "../../src/memory/linear-memory.js";
import { linkProgram } from "../../src/wasm/link-program.js";
import { ALLOCATOR_MODULE_NAMES } from "../../src/wasm/modules.js";
import type { WasmAllocator } from "../../src/wasm/wasm-allocator.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The compile command of docs/linking.md, for one program. */
function compileCommand(source: string, output: string): string[] {
  return [
    "--target=wasm32",
    "-O2",
    "-nostdlib",
    "-mbulk-memory",
    "-I",
    join(root, "include"),
    "-Wl,--no-entry",
    "-Wl,--import-memory",
    "-Wl,--export=__heap_base",
    "-o",
    output,
    source,
  ];
}

/** The text of a C string, its bytes up to the first zero or `length` of them. */
function readCString(memory: LinearMemory, ptr: number, length = Number.POSITIVE_INFINITY): string {
  const u8 = memory.u8;
  let end = ptr;
  while (end - ptr < length && u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.subarray(ptr, end));
}

const missing = ["clang", "wasm-ld"].filter((tool) => spawnSync(tool, ["--version"]).status !== 0);
const title =
  missing.length === 0
    ? "the C programs of examples/c"
    : `the C programs of examples/c (skipped: ${missing.join(" and ")} not installed; apt-get install -y clang lld)`;

describe.skipIf(missing.length > 0)(title, () => {
  let directory = "";
  const programs = new Map<string, Uint8Array<ArrayBuffer>>();

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), "linmem-c-"));
    for (const name of ["growing-buffer", "hash-table", "aligned-blocks", "refusals"]) {
      const output = join(directory, `${name}.wasm`);
      execFileSync("clang", compileCommand(join(root, "examples/c", `${name}.c`), output));
      programs.set(name, new Uint8Array(readFileSync(output)));
    }
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function link(name: string, allocator: (typeof ALLOCATOR_MODULE_NAMES)[number]) {
    const linked = await linkProgram(programs.get(name) as Uint8Array<ArrayBuffer>, { allocator });
    return { ...linked, exports: linked.instance.exports as Record<string, (...args: number[]) => number> };
  }

  /** Writes `text` into a block JavaScript allocates in the program's heap. */
  function place(heap: WasmAllocator, text: string): { ptr: number; length: number } {
    const bytes = new TextEncoder().encode(text);
    const ptr = heap.allocate(bytes.length);
    heap.memory.u8.set(bytes, ptr);
    return { ptr, length: bytes.length };
  }

  describe.each(ALLOCATOR_MODULE_NAMES)("on the %s module", (allocator) => {
    it("growing-buffer: realloc grows the program's buffer, and JavaScript frees it", async () => {
      const { heap, exports, instance } = await link("growing-buffer", allocator);
      const heapBase = (instance.exports.__heap_base as WebAssembly.Global).value as number;
      expect(heap.heapBase).toBeGreaterThanOrEqual(heapBase);
      const before = place(heap, "JavaScript's own block");
      const text = exports.build_sequence(3000) >>> 0;
      const expected = Array.from({ length: 3000 }, (_, i) => i + 1).join(",");
      expect(readCString(heap.memory, text)).toBe(expected);
      expect(exports.capacity_of(text)).toBeGreaterThan(expected.length);
      expect(heap.usableSize(text)).toBe(exports.capacity_of(text));
      heap.free(text);
      heap.free(before.ptr);
      heap.check();
      expect(heap.stats().blocksInUse).toBe(0);
    });

    it("hash-table: calloc's buckets and malloc's entries count the words of a text JavaScript wrote", async () => {
      const { heap, exports } = await link("hash-table", allocator);
      // Words made of the base-26 digits of numbers that repeat, some of them many times.
      const letters = (n: number) => [...n.toString(26)].map((digit) => String.fromCharCode(97 + parseInt(digit, 26)));
      const words = Array.from({ length: 2000 }, (_, i) => letters((i * i) % 1499).join(""));
      const textOf = (from: number, to: number) => words.slice(from, to).join(" ");
      const first = place(heap, textOf(0, 1000));
      expect(exports.count_words(first.ptr, first.length)).toBe(new Set(textOf(0, 1000).split(" ")).size);
      heap.free(first.ptr);
      const second = place(heap, `${textOf(1000, 2000)} zebra zebra zebra`);
      const all = `${textOf(0, 2000)} zebra zebra zebra`.split(" ");
      expect(exports.count_words(second.ptr, second.length)).toBe(new Set(all).size);
      const zebra = place(heap, "zebra");
      expect(exports.frequency(zebra.ptr, zebra.length)).toBe(3);
      heap.check();
      exports.clear();
      heap.free(second.ptr);
      heap.free(zebra.ptr);
      heap.check();
      expect(heap.stats().blocksInUse).toBe(0);
    });

    it("aligned-blocks: aligned_alloc meets every alignment from 8 to 65536", async () => {
      const { heap, exports } = await link("aligned-blocks", allocator);
      const between = place(heap, "a block of JavaScript's among the program's");
      expect(exports.aligned_blocks(100)).toBe(14 * 3);
      expect(exports.aligned_blocks(1)).toBe(14 * 3);
      heap.free(between.ptr);
      heap.check();
      expect(heap.stats().blocksInUse).toBe(0);
    });

    it("refusals: requests past the limits return NULL, and the program and the heap go on", async () => {
      const { heap, exports } = await link("refusals", allocator);
      const kept = place(heap, "kept");
      expect(exports.refusals()).toBe(0x3f);
      expect(readCString(heap.memory, kept.ptr, kept.length)).toBe("kept");
      heap.free(kept.ptr);
      heap.check();
      expect(heap.stats().blocksInUse).toBe(0);
    });
  });
});
