/**
 * `import { allocate_memory, free_memory, reset_memory } from "linmem/allocator/arena"`: an arena on a memory of its
 * own, ready on import (see standalone-heap.ts). `memory`, `HEAP_BASE` and `allocator` give the rest.
 */
import { arena } from "../allocator/arena.js";
import { standaloneHeap } from "./standalone-heap.js";

export const { memory, HEAP_BASE, allocator, allocate_memory, free_memory, reset_memory } = standaloneHeap(arena);
