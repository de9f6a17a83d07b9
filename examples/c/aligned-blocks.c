/*
 * Aligned blocks: for each alignment from 8 to 65536, blocks from aligned_alloc whose addresses are multiples of it,
 * filled and checked while all are live, then freed. Returns how many blocks met their alignment and kept their
 * bytes, or -1 when the heap refused one.
 */
#include "linmem.h"

#define ALIGNMENTS 14
#define PER_ALIGNMENT 3

__attribute__((export_name("aligned_blocks"))) int aligned_blocks(unsigned size) {
  unsigned char *blocks[ALIGNMENTS * PER_ALIGNMENT];
  int good = 0;
  for (int i = 0; i < ALIGNMENTS * PER_ALIGNMENT; i++) {
    size_t alignment = (size_t)8 << (i / PER_ALIGNMENT);
    blocks[i] = linmem_aligned_alloc(alignment, size);
    if (blocks[i] == NULL) return -1;
    for (unsigned j = 0; j < size; j++) blocks[i][j] = (unsigned char)(i + j);
  }
  for (int i = 0; i < ALIGNMENTS * PER_ALIGNMENT; i++) {
    size_t alignment = (size_t)8 << (i / PER_ALIGNMENT);
    int kept = (size_t)blocks[i] % alignment == 0 && linmem_malloc_usable_size(blocks[i]) >= size;
    for (unsigned j = 0; j < size; j++) kept &= blocks[i][j] == (unsigned char)(i + j);
    good += kept;
  }
  for (int i = 0; i < ALIGNMENTS * PER_ALIGNMENT; i++) linmem_free(blocks[i]);
  return good;
}
