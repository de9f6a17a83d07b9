/*
 * linmem.h: a linmem allocator module as a C program's allocation functions.
 *
 * The program imports the functions from the module "linmem" and its memory from "env", and exports __heap_base, so
 * that the host lays the heap after the program's static data and stack (docs/linking.md has the commands):
 *
 *     clang --target=wasm32 -O2 -nostdlib -mbulk-memory -I include \
 *       -Wl,--no-entry -Wl,--import-memory -Wl,--export=__heap_base -o program.wasm program.c
 *
 * The functions have linmem_ names, which the compiler knows nothing about, so it neither folds nor drops a call the
 * way it may for malloc and free, and needs no -fno-builtin. Define LINMEM_STANDARD_NAMES before including this file
 * to call them by the standard names instead.
 *
 * Their contract is C's: a request the module refuses (more than 1 GiB, memory exhausted, an alignment that is not a
 * power of two up to 65536, a count times a size that overflows) returns NULL and changes nothing; the host reads why
 * from the module's trap_code global. Freeing or resizing a pointer that is not a live block, a double free among
 * them, traps: the program stops rather than corrupt its heap.
 */
#ifndef LINMEM_H
#define LINMEM_H

#include <stddef.h>

#define LINMEM_IMPORT(name) __attribute__((import_module("linmem"), import_name(#name)))

/* A block of `size` bytes, aligned to 8, or NULL. malloc(0) returns a block of its own. */
LINMEM_IMPORT(malloc) void *linmem_malloc(size_t size);

/* A block of `count * size` bytes set to zero, or NULL, also when the product does not fit in 32 bits. */
LINMEM_IMPORT(calloc) void *linmem_calloc(size_t count, size_t size);

/*
 * The block resized, keeping its bytes up to the smaller size: in place when it can be, else moved. realloc(NULL, n)
 * is malloc(n); realloc(ptr, 0) shrinks the block to the smallest one and returns it, never frees it. NULL, the block
 * as it was, when refused.
 */
LINMEM_IMPORT(realloc) void *linmem_realloc(void *ptr, size_t size);

/* A block whose address is a multiple of `alignment`, a power of two up to 65536, or NULL (C11's argument order). */
LINMEM_IMPORT(aligned_alloc) void *linmem_aligned_alloc(size_t alignment, size_t size);

/* Frees a block; free(NULL) does nothing. */
LINMEM_IMPORT(free) void linmem_free(void *ptr);

/* The bytes a block holds, at least what was asked for; 0 for NULL. */
LINMEM_IMPORT(malloc_usable_size) size_t linmem_malloc_usable_size(void *ptr);

#ifdef LINMEM_STANDARD_NAMES
#define malloc linmem_malloc
#define calloc linmem_calloc
#define realloc linmem_realloc
#define aligned_alloc linmem_aligned_alloc
#define free linmem_free
#define malloc_usable_size linmem_malloc_usable_size
#endif

#endif
