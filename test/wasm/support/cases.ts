/**
 * The allocator modules under test, each with its TypeScript twin. A new module joins every test in test/wasm/ by one
 * entry here.
 */
import { arena } from "../../../src/allocator/arena.js";
import { buddy } from "../../../src/allocator/buddy.js";
import type { Allocator, AllocatorFactory } from "../../../src/allocator/contract.js";
import { tlsf } from "../../../src/allocator/tlsf.js";
import type { AllocatorModuleName } from "../../../src/wasm/modules.js";

export interface ModuleCase {
  name: AllocatorModuleName;
  /** The TypeScript build the module must match byte for byte. */
  typescript: AllocatorFactory<Allocator>;
  /** The most bytes the module may take, with the whole C allocation family and every check. */
  sizeTarget: number;
  /**
   * When the module is known to be over `sizeTarget`: why, and the size it was measured at, which it must not exceed.
   * Its size test then holds that it is still over the target, so that the note goes when the module meets it.
   */
  overTarget?: { reason: string; measuredSize: number };
  /**
   * The size of the shared build (assembly/threads/), which has no target: the lock and its inlined uses in every entry
   * point on top of the module, held to the size it was measured at.
   */
  sharedSize: number;
  /** Whether workloads include `reallocate` (for block allocators). */
  reallocate: boolean;
  /** Whether freeing a block twice is refused as DOUBLE_FREE (for allocators that free blocks one by one). */
  doubleFree: boolean;
}

export const MODULE_CASES: readonly ModuleCase[] = [
  {
    name: "arena",
    typescript: arena,
    sizeTarget: 640,
    overTarget: {
      reason:
        "its 14 exports take 194 B of names and indices, the growth policy 86 B, and the checks a pointer must pass " +
        "(a live block's size word, agreeing with the block after it) 137 B",
      measuredSize: 1000,
    },
    sharedSize: 1966,
    reallocate: true,
    doubleFree: true,
  },
  { name: "buddy", typescript: buddy, sizeTarget: 2048, sharedSize: 2946, reallocate: true, doubleFree: true },
  { name: "tlsf", typescript: tlsf, sizeTarget: 2048, sharedSize: 3010, reallocate: true, doubleFree: true },
];

/** A module in one of its unshared builds: compiled for size, as the loader picks by default, or for speed (`fast`). */
export interface BuildCase extends ModuleCase {
  fast: boolean;
  /** For test names. */
  build: string;
}

/** Each module in each unshared build, for the tests that hold both builds to the TypeScript twin. */
export const BUILD_CASES: readonly BuildCase[] = MODULE_CASES.flatMap((moduleCase) => [
  { ...moduleCase, fast: false, build: "build for size" },
  { ...moduleCase, fast: true, build: "build for speed" },
]);
