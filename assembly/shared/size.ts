/** The size and alignment rules of src/allocator/size.ts, in WebAssembly. */
import { MAX_ALIGNMENT } from "../generated/size";

export { ALIGNMENT, MAX_ALIGNMENT, MAX_ALLOCATION } from "../generated/size";

/**
 * Whether `align` is an alignment the modules take: a power of two up to 65536. Every block is aligned to 8, so 1, 2
 * and 4 ask for nothing more; the TypeScript contract refuses them, and the loader does so before calling a module.
 */
export function isAlignment(align: u32): bool {
  return (popcnt(align) === 1) & (align <= MAX_ALIGNMENT);
}

/** `size` rounded up to a multiple of `alignment`, a power of two. */
export function alignUp(size: u32, alignment: u32): u32 {
  return (size + alignment - 1) & -alignment;
}

/**
 * The bytes `calloc(count, size)` asks for: the product, or 2^32 - 1 when it is 2^32 or more, so that every product
 * over 1 GiB is refused as too large.
 */
export function callocBytes(count: u32, size: u32): u32 {
  const product = <u64>count * size;
  return product >> 32 ? <u32>-1 : <u32>product;
}
