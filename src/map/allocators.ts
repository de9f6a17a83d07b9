/** The allocators a heap map can be drawn of, by name: those that list their blocks and whose state the map knows. */
import { buddy } from "../allocator/buddy.js";
import type { AllocatorFactory } from "../allocator/contract.js";
import { tlsf } from "../allocator/tlsf.js";
import type { MappableAllocator } from "./memory-map.js";

export const MAPPABLE_ALLOCATORS: Readonly<Record<string, AllocatorFactory<MappableAllocator>>> = { tlsf, buddy };

export const MAPPABLE_NAMES: readonly string[] = Object.keys(MAPPABLE_ALLOCATORS);

/** The factory of a mappable allocator, or undefined for a name that is not one. */
export function mappableAllocator(name: string): AllocatorFactory<MappableAllocator> | undefined {
  return Object.hasOwn(MAPPABLE_ALLOCATORS, name) ? MAPPABLE_ALLOCATORS[name] : undefined;
}
