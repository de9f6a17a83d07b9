/**
 * The arena as a WebAssembly module: the twin of src/allocator/arena.ts. It keeps its heap in the same format, drawn
 * at the top of that file, and given the same memory, heap base and calls, it returns the same pointers and leaves the
 * same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports:
 *
 *   init(heapBase)                    lays out an empty arena at heapBase (a multiple of 8) and works on it
 *   attach(heapBase)                  works on the arena already at heapBase, changing nothing
 *   allocate_memory(size) -> ptr      a block of `size` bytes, aligned to 8
 *   free_memory(ptr)                  nothing, as an arena frees all at once; a pointer it never handed out traps
 *   reset_memory()                    frees every block
 *   trap_code                         a global: why the last refused call trapped (see shared/trap.ts)
 */
import { ARENA_MAGIC, ARENA_STATE_SIZE, BLOCKS_OFFSET, TOP_OFFSET } from "./generated/arena";
import { ensureMemory } from "./shared/growth";
import { ALIGNMENT, blockSize, requireSize } from "./shared/size";
import * as trap from "./shared/trap";

export { trap_code } from "./shared/trap";

/** The heap this instance works on. */
let heapBase: u32 = 0;

export function init(base: u32): void {
  ensureMemory(base, ARENA_STATE_SIZE);
  // The magic, and the lock word after it released.
  store<u64>(base, ARENA_MAGIC);
  heapBase = base;
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
}

export function allocate_memory(size: u32): u32 {
  requireSize(size);
  const ptr = load<u32>(heapBase, TOP_OFFSET);
  store<u32>(heapBase, ensureMemory(ptr, blockSize(size)), TOP_OFFSET);
  store<u32>(heapBase, load<u32>(heapBase, BLOCKS_OFFSET) + 1, BLOCKS_OFFSET);
  return ptr;
}

export function free_memory(ptr: u32): void {
  if (ptr) {
    const start = heapBase + ARENA_STATE_SIZE;
    // A pointer below the first block wraps around in `ptr - start`, so one unsigned comparison finds it too.
    const outside = ptr - start >= load<u32>(heapBase, TOP_OFFSET) - start;
    if ((ptr & (ALIGNMENT - 1)) | <u32>outside) {
      trap.trap_code = trap.INVALID_POINTER;
      unreachable();
    }
  }
}

export function reset_memory(): void {
  // top back to the first block and the block count to 0, in one 8-byte store.
  store<u64>(heapBase, heapBase + ARENA_STATE_SIZE, TOP_OFFSET);
}
