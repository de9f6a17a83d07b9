/**
 * A tour of the memory model (`linmem demo`): lays out constant data, starts an arena after it, allocates, frees and
 * resets, and prints the memory map at each step.
 */
import { arena } from "../allocator/arena.js";
import { LinearMemory } from "../memory/linear-memory.js";
import { readString } from "../static/formats.js";
import { StaticData } from "../static/static-data.js";

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0").toUpperCase()).join(" ");
}

export function demo(print: (line: string) => void): void {
  const data = new StaticData();
  const hello = data.string("Hello");
  const again = data.string("Hello");
  const primes = data.array("u32", [2, 3, 5, 7, 11]);
  const memory = LinearMemory.create();
  data.writeTo(memory);

  print("Static memory");
  print(`${`  0..${data.memoryBase}`.padEnd(12)} null-pointer reserve`);
  for (const segment of data.segments) {
    print(`${`  ${segment.offset}..${segment.offset + segment.bytes.length}`.padEnd(12)} ${hex(segment.bytes)}`);
  }
  print(`  "Hello" at ${hello} (asked twice, stored once: ${again}), reads back as "${readString(memory, hello)}"`);
  print(`  u32[5] primes at ${primes}; static memory ends at ${data.end}, HEAP_BASE = ${data.heapBase}`);

  const heap = arena(memory, { heapBase: data.heapBase });
  const blocks = [heap.allocate(5), heap.allocate(100), heap.allocate(0), heap.allocate(64, 64)];
  print("\nArena after allocate(5), allocate(100), allocate(0), allocate(64, align 64)");
  print(`  pointers: ${blocks.join(", ")}`);
  print(`  stats:    ${JSON.stringify(heap.stats())}`);

  for (const ptr of blocks) heap.free(ptr);
  heap.reset();
  print("\nAfter free (a no-op in an arena) and reset");
  print(`  stats:    ${JSON.stringify(heap.stats())}`);
  print(`  next allocate(8) returns ${heap.allocate(8)}, where the first block was`);
  heap.check();
}
