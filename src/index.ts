export { ARENA_MAGIC, ArenaAllocator, arena } from "./allocator/arena.js";
export { BUDDY_MAGIC, BuddyAllocator, buddy } from "./allocator/buddy.js";
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
export {
  breakLock,
  DEFAULT_LOCK_TIMEOUT_MS,
  HeapLock,
  LOCK_WAITING,
  type LockOptions,
  lockHolder,
  newLockTag,
} from "./allocator/lock.js";
export { ALIGNMENT, alignUp, MAX_ALIGNMENT, MAX_ALLOCATION } from "./allocator/size.js";
export { TLSF_CONTROL_SIZE, TLSF_MAGIC, TlsfAllocator, tlsf } from "./allocator/tlsf.js";
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
export {
  type HeapReplayResult,
  ReplayError,
  type ReplayOptions,
  type ReplayResult,
  replay,
} from "./trace/replay.js";
export { parseTrace, type Trace, TraceFormatError } from "./trace/trace.js";
export type { AllocatorExports, SharedAllocatorExports } from "./wasm/abi.js";
export { type LinkedProgram, type LinkOptions, linkProgram } from "./wasm/link-program.js";
export { type LoadAllocator, loadAllocator, type ModuleLoadOptions } from "./wasm/loader.js";
export {
  ALLOCATOR_MODULE_NAMES,
  type AllocatorModuleName,
  allocatorModule,
  allocatorModuleBytes,
  type ModuleBuildOptions,
} from "./wasm/modules.js";
export { WasmAllocator } from "./wasm/wasm-allocator.js";
