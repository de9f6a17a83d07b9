/*
 * A growing buffer: the text "1,2,3,...,n" built in a buffer that doubles by realloc whenever it is full. The caller
 * gets the buffer and frees it; a block may be freed by the host as well as by the program.
 */
#include "linmem.h"

typedef struct {
  char *bytes;
  size_t length;
  size_t capacity;
} Buffer;

/* Makes room for `extra` more bytes; 0 when realloc refuses, the buffer then as it was. */
static int reserve(Buffer *buffer, size_t extra) {
  if (buffer->length + extra <= buffer->capacity) return 1;
  size_t capacity = buffer->capacity == 0 ? 8 : buffer->capacity;
  while (capacity < buffer->length + extra) capacity *= 2;
  char *bytes = linmem_realloc(buffer->bytes, capacity);
  if (bytes == NULL) return 0;
  buffer->bytes = bytes;
  buffer->capacity = capacity;
  return 1;
}

static int append_number(Buffer *buffer, unsigned number) {
  char digits[10];
  int count = 0;
  do {
    digits[count++] = (char)('0' + number % 10);
    number /= 10;
  } while (number != 0);
  if (!reserve(buffer, (size_t)count + 1)) return 0;
  while (count > 0) buffer->bytes[buffer->length++] = digits[--count];
  return 1;
}

/* The numbers 1 to n, comma-separated and ending in a zero byte, in a block of the heap; NULL if the heap refused. */
__attribute__((export_name("build_sequence"))) char *build_sequence(unsigned n) {
  Buffer buffer = {NULL, 0, 0};
  for (unsigned number = 1; number <= n; number++) {
    if (number > 1) {
      if (!reserve(&buffer, 1)) goto refused;
      buffer.bytes[buffer.length++] = ',';
    }
    if (!append_number(&buffer, number)) goto refused;
  }
  if (!reserve(&buffer, 1)) goto refused;
  buffer.bytes[buffer.length] = 0;
  return buffer.bytes;
refused:
  linmem_free(buffer.bytes);
  return NULL;
}

/* How many bytes the buffer's block holds: at least the text and its zero byte. */
__attribute__((export_name("capacity_of"))) size_t capacity_of(char *text) { return linmem_malloc_usable_size(text); }
