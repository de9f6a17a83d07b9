/**
 * Each allocator module's TypeScript twin: the allocator in src/allocator/ that keeps its heap in the same format.
 * The loader attaches the twin to the module's heap and lets it do what the module leaves out (`check()`, `stats()`
 * and `walk()`), which is sound because both read and write the same bytes.
 *
 * One entry per module in assembly/; the type check fails until a new module has its entry.
 */
import { arena } from "../allocator/arena.js";
import { buddy } from "../allocator/buddy.js";
import type { AllocatorFactory, BlockAllocator } from "../allocator/contract.js";
import { tlsf } from "../allocator/tlsf.js";
import type { AllocatorModuleName } from "./modules.js";

export const TYPESCRIPT_TWINS = {
  arena,
  buddy,
  tlsf,
} satisfies Record<AllocatorModuleName, AllocatorFactory<BlockAllocator>>;
