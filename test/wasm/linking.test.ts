/**
 * A WebAssembly program that takes an allocator module as its malloc and free: a small module written by hand in the
 * text format, assembled here, linked to the allocator's exports at instantiation, and run.
 */
import { describe, expect, it } from "vitest";
import { TRAP_CODE_NUMBERS } from "../../src/allocator/errors.js";
import { MAX_ALLOCATION } from "../../src/allocator/size.js";
import { loadAllocator } from "../../src/wasm/loader.js";
import { allocatorModule } from "../../src/wasm/modules.js";
import { assembleWat } from "../support/wat.js";
import { MODULE_CASES, type ModuleCase } from "./support/cases.js";

/** Builds, sums and frees a linked list, with the allocator it imports. */
const LIST_PROGRAM = `
(module
  (import "env" "memory" (memory 0))
  (import "allocator" "allocate_memory" (func $malloc (param i32) (result i32)))
  (import "allocator" "free_memory" (func $free (param i32)))

  ;; The list n, n - 1, ..., 1: each node holds its number, then the address of the next node (0 ends the list).
  (func (export "build_list") (param $n i32) (result i32)
    (local $head i32) (local $node i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $node (call $malloc (i32.const 8)))
        (i32.store (local.get $node) (local.get $n))
        (i32.store offset=4 (local.get $node) (local.get $head))
        (local.set $head (local.get $node))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $head))

  (func (export "sum_list") (param $node i32) (result i32)
    (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $node)))
        (local.set $sum (i32.add (local.get $sum) (i32.load (local.get $node))))
        (local.set $node (i32.load offset=4 (local.get $node)))
        (br $next)))
    (local.get $sum))

  (func (export "free_list") (param $node i32)
    (local $next i32)
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $node)))
        (local.set $next (i32.load offset=4 (local.get $node)))
        (call $free (local.get $node))
        (local.set $node (local.get $next))
        (br $again))))

  (func (export "allocate") (param $size i32) (result i32)
    (call $malloc (local.get $size))))
`;

/** Where the greeting program's heap begins: after its static data. */
const GREETING_HEAP_BASE = 32;

/**
 * A program with static data that gives the allocator its heap base itself, as a compiled program passes its
 * __heap_base: its start function calls init.
 */
const GREETING_PROGRAM = `
(module
  (import "env" "memory" (memory 1))
  (import "allocator" "init" (func $init (param i32)))
  (import "allocator" "allocate_memory" (func $malloc (param i32) (result i32)))
  (data (i32.const 8) "hello, heap!")

  (func $start (call $init (i32.const ${GREETING_HEAP_BASE})))
  (start $start)

  ;; A copy of the 12-byte greeting in a new block.
  (func (export "greeting") (result i32)
    (local $copy i32)
    (local.set $copy (call $malloc (i32.const 12)))
    (i64.store (local.get $copy) (i64.load (i32.const 8)))
    (i32.store offset=8 (local.get $copy) (i32.load (i32.const 16)))
    (local.get $copy)))
`;

interface ListProgram {
  build_list(n: number): number;
  sum_list(head: number): number;
  free_list(head: number): void;
  allocate(size: number): number;
}

/** The list program linked to a module loaded on a new memory, with a heap at 1024. */
async function linkListProgram(name: ModuleCase["name"]) {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const heap = await loadAllocator(name, memory, { heapBase: 1024 });
  const { instance } = await WebAssembly.instantiate(await assembleWat(LIST_PROGRAM), {
    env: { memory },
    allocator: heap.exports,
  });
  return { memory, heap, program: instance.exports as unknown as ListProgram };
}

describe.each(MODULE_CASES)("a WebAssembly program linked to the $name module", (moduleCase) => {
  it("allocates and frees through it, sharing the heap with JavaScript", async () => {
    const { memory, heap, program } = await linkListProgram(moduleCase.name);

    const head = program.build_list(100);
    const fromJavaScript = heap.allocate(64);
    const second = program.build_list(10);
    expect(program.sum_list(head)).toBe(5050);
    expect(program.sum_list(second)).toBe(55);
    expect(fromJavaScript).toBeGreaterThanOrEqual(1024);
    heap.check();
    program.free_list(head);
    heap.free(fromJavaScript);
    program.free_list(second);
    heap.check();
    moduleCase.typescript.attach(memory, 1024).check();
  });

  it("traps inside the program with the code stored for the host", async () => {
    const { heap, program } = await linkListProgram(moduleCase.name);
    expect(() => program.allocate(MAX_ALLOCATION + 1)).toThrow(WebAssembly.RuntimeError);
    expect(heap.exports.trap_code.value).toBe(TRAP_CODE_NUMBERS.INVALID_SIZE);
    heap.check();
  });

  it("takes its heap base from the program, and the host attaches to that heap afterwards", async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const allocator = await WebAssembly.instantiate(await allocatorModule(moduleCase.name), { env: { memory } });
    const { instance } = await WebAssembly.instantiate(await assembleWat(GREETING_PROGRAM), {
      env: { memory },
      allocator: allocator.exports,
    });
    const greeting = (instance.exports as { greeting(): number }).greeting();
    expect(greeting).toBeGreaterThan(GREETING_HEAP_BASE);
    expect(Buffer.from(memory.buffer, greeting, 12).toString("latin1")).toBe("hello, heap!");

    moduleCase.typescript.attach(memory, GREETING_HEAP_BASE).check();
    const host = await loadAllocator.attach(moduleCase.name, memory, GREETING_HEAP_BASE);
    const block = host.allocate(12);
    expect(block >= greeting + 12 || block + 12 <= greeting).toBe(true);
    host.check();
  });
});
