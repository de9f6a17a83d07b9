// AssemblyScript's own TLSF, as its runtime ships it, exported as malloc, realloc and free for the benchmark. Built
// with `--runtime minimal`; `heap.alloc`, `heap.realloc` and `heap.free` go straight to the runtime's TLSF. The
// minimal runtime has no `heap.reset` (only the stub runtime does), so each run takes a fresh instance and memory.

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function realloc(ptr: usize, size: usize): usize {
  return heap.realloc(ptr, size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

/** Where the heap begins: the TLSF's control structure sits here, after static data. */
export function heapBase(): usize {
  return __heap_base;
}
