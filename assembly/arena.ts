/**
 * The arena as a WebAssembly module: the twin of src/allocator/arena.ts. It keeps its heap in the same format, drawn
 * at the top of that file, and given the same memory, heap base and calls, it returns the same pointers and leaves the
 * same bytes, so either build can pick up a heap the other made.
 *
 * The module imports its memory as `env.memory` and nothing else. It exports the C allocation family, which returns 0
 * when it refuses, and the original family, which traps (see docs/linking.md):
 *
 *   init(heapBase), attach(heapBase)      lay out an empty arena at heapBase, or work on the one there
 *   malloc, calloc, aligned_alloc         a new block, 0 if refused; the memory grows on demand
 *   realloc                               the last block resized where it is, another kept if large enough, else moved
 *   free                                  marks a block freed, its memory back on reset; a block freed twice traps
 *   malloc_usable_size                    the bytes a block holds
 *   allocate_memory, allocate_memory_aligned, reallocate_memory, free_memory, reset_memory, trap_code
 */
import {
  ARENA_MAGIC,
  ARENA_STATE_SIZE,
  BLOCK_OVERHEAD,
  FLAG_BITS,
  FREED,
  PADDING,
  TOP_OFFSET,
} from "./generated/arena";
import { ensureMemory } from "./shared/growth";
import { ALIGNMENT, alignUp, callocBytes, isAlignment, MAX_ALLOCATION } from "./shared/size";
import * as trap from "./shared/trap";

export { trap_code } from "./shared/trap";

/** The heap this instance works on. */
let heapBase: u32 = 0;

export function init(base: u32): void {
  trap.orTrap(ensureMemory(base, ARENA_STATE_SIZE));
  // The magic, and the lock word after it released.
  store<u64>(base, ARENA_MAGIC);
  heapBase = base;
  reset_memory();
}

export function attach(base: u32): void {
  heapBase = base;
}

/** A block of `size` bytes at a multiple of `align`, after the padding that takes, or 0 when refused. */
function allocate(size: u32, align: u32): u32 {
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  if (!isAlignment(align)) return trap.refuse(trap.INVALID_ALIGNMENT);
  const top = load<u32>(heapBase, TOP_OFFSET);
  const header = alignUp(top + BLOCK_OVERHEAD, max(align, ALIGNMENT)) - BLOCK_OVERHEAD;
  const blockSize = alignUp(size + BLOCK_OVERHEAD, ALIGNMENT);
  // From top, so that an aligned block's header that wraps past 2^32 ends below top, which is refused.
  const end = ensureMemory(top, header - top + blockSize);
  if (!end) return 0;
  // The padding before an aligned block; with none, the block's own header overwrites it.
  store<u32>(top, (header - top) | PADDING);
  store<u32>(header, blockSize);
  store<u32>(heapBase, end, TOP_OFFSET);
  return header + BLOCK_OVERHEAD;
}

export function malloc(size: u32): u32 {
  return allocate(size, ALIGNMENT);
}

export function calloc(count: u32, size: u32): u32 {
  const total = callocBytes(count, size);
  const ptr = allocate(total, ALIGNMENT);
  // Memory the arena hands out again after a reset holds old bytes.
  if (ptr) memory.fill(ptr, 0, total);
  return ptr;
}

/** C11's argument order. */
export function aligned_alloc(align: u32, size: u32): u32 {
  return allocate(size, align);
}

export function realloc(ptr: u32, size: u32): u32 {
  if (!ptr) return malloc(size);
  if (size > MAX_ALLOCATION) return trap.refuse(trap.INVALID_SIZE);
  const blockSize = blockSizeOf(ptr);
  const header = ptr - BLOCK_OVERHEAD;
  const top = load<u32>(heapBase, TOP_OFFSET);
  if (header + blockSize === top) {
    // The last block is taken off and allocated again, which puts it where it was, with its new size.
    store<u32>(heapBase, header, TOP_OFFSET);
  } else if (alignUp(size + BLOCK_OVERHEAD, ALIGNMENT) <= blockSize) {
    return ptr;
  }
  const moved = malloc(size);
  if (!moved) {
    // Refused, and nothing changed but top, if the block was the last.
    store<u32>(heapBase, top, TOP_OFFSET);
  } else if (moved !== ptr) {
    memory.copy(moved, ptr, blockSize - BLOCK_OVERHEAD);
    store<u32>(header, blockSize | FREED);
  }
  return moved;
}

export function free(ptr: u32): void {
  if (ptr) store<u32>(ptr - BLOCK_OVERHEAD, blockSizeOf(ptr) | FREED);
}

export function malloc_usable_size(ptr: u32): u32 {
  return ptr ? blockSizeOf(ptr) - BLOCK_OVERHEAD : 0;
}

export function allocate_memory(size: u32): u32 {
  return trap.orTrap(malloc(size));
}

export function allocate_memory_aligned(size: u32, align: u32): u32 {
  return trap.orTrap(allocate(size, align));
}

export function reallocate_memory(ptr: u32, size: u32): u32 {
  return trap.orTrap(realloc(ptr, size));
}

export { free as free_memory };

export function reset_memory(): void {
  store<u32>(heapBase, heapBase + ARENA_STATE_SIZE, TOP_OFFSET);
}

/**
 * The size of the live block at `ptr`, with the checks of the TypeScript build: a multiple of 8 inside the heap, whose
 * header is a live block's that ends by top, as does the block after it unless it ends at top. Traps with DOUBLE_FREE
 * for a block freed already and INVALID_POINTER for anything else. Both builds compare the same addresses; here the
 * differences of the unsigned comparisons cannot wrap around, as every header lies 4 past a multiple of 8 below top,
 * and nothing is loaded before it is known to lie below top.
 */
function blockSizeOf(ptr: u32): u32 {
  const top = load<u32>(heapBase, TOP_OFFSET);
  const first = heapBase + ARENA_STATE_SIZE;
  const header = ptr - BLOCK_OVERHEAD;
  if (!(ptr & (ALIGNMENT - 1)) && header - first < top - first) {
    const word = load<u32>(header);
    const size = word & ~FLAG_BITS;
    const next = header + size;
    if (size - ALIGNMENT <= top - header - ALIGNMENT) {
      if (next === top || (load<u32>(next) & ~FLAG_BITS) - ALIGNMENT <= top - next - ALIGNMENT) {
        if (!(word & FLAG_BITS & ~FREED)) {
          if (word & FREED) {
            trap.Trap.with(trap.DOUBLE_FREE);
          }
          return size;
        }
      }
    }
  }
  trap.Trap.with(trap.INVALID_POINTER);
  return 0;
}
