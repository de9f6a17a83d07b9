// AssemblyScript's own TLSF, as its runtime ships it, exported as malloc and free for the benchmark. Built with
// `--runtime minimal`; `heap.alloc` and `heap.free` go straight to the runtime's TLSF.

export function malloc(size: usize): usize {
  return heap.alloc(size);
}

export function free(ptr: usize): void {
  heap.free(ptr);
}

export function reset(): void {
  heap.reset();
}
