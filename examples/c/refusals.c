/*
 * Refusals: requests the allocator cannot meet return NULL and change nothing, as C asks, and the program goes on.
 * Returns a bit for each request that behaved as C asks; all of them set is 0x3f.
 */
#include "linmem.h"

__attribute__((export_name("refusals"))) unsigned refusals(void) {
  unsigned seen = 0;
  char *kept = linmem_malloc(64);
  if (kept == NULL) return 0;
  for (int i = 0; i < 64; i++) kept[i] = (char)i;

  if (linmem_malloc((size_t)1 << 31) == NULL) seen |= 1;                /* more than 1 GiB */
  if (linmem_calloc(1u << 16, (1u << 16) + 1) == NULL) seen |= 2;       /* the product overflows 32 bits */
  if (linmem_aligned_alloc(24, 8) == NULL) seen |= 4;                   /* not a power of two */
  if (linmem_aligned_alloc(1u << 17, 8) == NULL) seen |= 8;             /* more than 64 KiB */
  if (linmem_realloc(kept, ((size_t)1 << 30) + 1) == NULL) seen |= 16;  /* too large: the old block stays */
  for (int i = 0; i < 64; i++)
    if (kept[i] != (char)i) seen &= ~16u;
  char *none = linmem_malloc(0);
  char *other = linmem_malloc(0);
  if (none != NULL && other != NULL && none != other) seen |= 32;       /* malloc(0): blocks of their own */
  linmem_free(none);
  linmem_free(other);
  linmem_free(kept);
  linmem_free(NULL);
  return seen;
}
