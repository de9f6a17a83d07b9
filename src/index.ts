export { ARENA_MAGIC, ArenaAllocator, arena } from "./allocator/arena.js";
export {
  type Allocator,
  AllocatorBase,
  type AllocatorFactory,
  type AllocatorOptions,
  type BlockAllocator,
  type BlockInfo,
  DEFAULT_HEAP_BASE,
  type HeapStats,
} from "./allocator/contract.js";
export { AllocationTrap, HeapCorruptionError, TRAP_CODE_NUMBERS, type TrapCode } from "./allocator/errors.js";
export { ADDRESS_LIMIT, ensureMemory } from "./allocator/growth.js";
export { ALIGNMENT, alignUp, MAX_ALIGNMENT, MAX_ALLOCATION } from "./allocator/size.js";
export {
  LinearMemory,
  type LinearMemoryOptions,
  MAX_PAGES,
  type MemorySource,
  PAGE_SIZE,
  type WrapOptions,
} from "./memory/linear-memory.js";
export {
  type ElementArrays,
  type ElementType,
  readArray,
  readString,
  writeString,
} from "./static/formats.js";
export { type Segment, StaticData, type StaticDataOptions } from "./static/static-data.js";
