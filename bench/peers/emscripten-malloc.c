// The entry of the benchmark's Emscripten peers. Each build links this file with the allocator emcc's
// `-sMALLOC=dlmalloc` or `-sMALLOC=emmalloc` picks from its own system library; `malloc`, `free`, `realloc` and
// `memalign` are that library's, exported as they are (scripts/build-peers.mjs). This file adds only what JavaScript
// needs to measure the heap: where it begins.
#include <stddef.h>

// Set by the linker after static data and the stack: the first address `sbrk` hands out.
extern unsigned char __heap_base;

__attribute__((export_name("heap_base"))) size_t heap_base(void) { return (size_t)&__heap_base; }
