/*
 * A hash table of words: the buckets come from calloc, so an empty table is all zeros, and double by rehashing into a
 * new array; each word is copied into a block of its own. count_words adds every word of a text (bytes that are
 * letters, all else separating them) and says how many different words the table holds.
 */
#include "linmem.h"

typedef struct Entry {
  struct Entry *next;
  char *word;
  unsigned length;
  unsigned count;
} Entry;

static Entry **buckets;
static unsigned bucket_count;
static unsigned entry_count;

static unsigned hash(const char *word, unsigned length) {
  unsigned value = 2166136261u;
  for (unsigned i = 0; i < length; i++) value = (value ^ (unsigned char)word[i]) * 16777619u;
  return value;
}

static int same(const char *a, const char *b, unsigned length) {
  for (unsigned i = 0; i < length; i++)
    if (a[i] != b[i]) return 0;
  return 1;
}

/* Doubles the buckets; 0 when calloc refuses, the table then as it was. */
static int grow(void) {
  unsigned count = bucket_count == 0 ? 16 : bucket_count * 2;
  Entry **grown = linmem_calloc(count, sizeof(Entry *));
  if (grown == NULL) return 0;
  for (unsigned i = 0; i < bucket_count; i++) {
    for (Entry *entry = buckets[i], *next; entry != NULL; entry = next) {
      next = entry->next;
      unsigned slot = hash(entry->word, entry->length) & (count - 1);
      entry->next = grown[slot];
      grown[slot] = entry;
    }
  }
  linmem_free(buckets);
  buckets = grown;
  bucket_count = count;
  return 1;
}

static Entry *find(const char *word, unsigned length) {
  if (bucket_count == 0) return NULL;
  for (Entry *entry = buckets[hash(word, length) & (bucket_count - 1)]; entry != NULL; entry = entry->next)
    if (entry->length == length && same(entry->word, word, length)) return entry;
  return NULL;
}

/* Counts one more of the word; 0 when the heap refused. */
static int add(const char *word, unsigned length) {
  Entry *entry = find(word, length);
  if (entry != NULL) {
    entry->count++;
    return 1;
  }
  if (entry_count * 4 >= bucket_count * 3 && !grow()) return 0;
  entry = linmem_malloc(sizeof(Entry));
  char *copy = linmem_malloc(length);
  if (entry == NULL || copy == NULL) {
    linmem_free(entry);
    linmem_free(copy);
    return 0;
  }
  for (unsigned i = 0; i < length; i++) copy[i] = word[i];
  *entry = (Entry){buckets[hash(word, length) & (bucket_count - 1)], copy, length, 1};
  buckets[hash(word, length) & (bucket_count - 1)] = entry;
  entry_count++;
  return 1;
}

static int is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* Adds the words of `text`; returns how many different words the table holds, or -1 when the heap refused. */
__attribute__((export_name("count_words"))) int count_words(const char *text, unsigned length) {
  unsigned start = 0;
  for (unsigned i = 0; i <= length; i++) {
    if (i < length && is_letter(text[i])) continue;
    if (i > start && !add(text + start, i - start)) return -1;
    start = i + 1;
  }
  return (int)entry_count;
}

/* How often the word has been counted. */
__attribute__((export_name("frequency"))) unsigned frequency(const char *word, unsigned length) {
  Entry *entry = find(word, length);
  return entry == NULL ? 0 : entry->count;
}

/* Frees every entry, word and the buckets. */
__attribute__((export_name("clear"))) void clear(void) {
  for (unsigned i = 0; i < bucket_count; i++) {
    for (Entry *entry = buckets[i], *next; entry != NULL; entry = next) {
      next = entry->next;
      linmem_free(entry->word);
      linmem_free(entry);
    }
  }
  linmem_free(buckets);
  buckets = NULL;
  bucket_count = 0;
  entry_count = 0;
}
