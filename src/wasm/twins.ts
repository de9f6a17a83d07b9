/**
 * Each allocator module's TypeScript twin: the allocator in src/allocator/ that keeps its heap in the same format.
 * The loader attaches the twin to the module's heap and lets it do what the module leaves out (`check()`, `stats()`,
 * and any operation the module does not export), which is sound because both read and write the same bytes.
 *
 * One entry per module in assembly/; the type check fails until a new module has its entry.
 */
import { arena } from "../allocator/arena.js";
import { buddy } from "../allocator/buddy.js";
import type { Allocator, AllocatorFactory } from "../allocator/contract.js";
import { tlsf } from "../allocator/tlsf.js";
import type { AllocatorModuleName } from "./modules.js";

export const TYPESCRIPT_TWINS = {
  arena,
  buddy,
  tlsf,
} satisfies Record<AllocatorModuleName, AllocatorFactory<Allocator>>;

/** The TypeScript allocator a module's heap is shared with. */
export type TwinOf<N extends AllocatorModuleName> = ReturnType<(typeof TYPESCRIPT_TWINS)[N]>;
