/** The size and alignment rules of src/allocator/size.ts, in WebAssembly. */
import { MAX_ALIGNMENT, MAX_ALLOCATION } from "../generated/size";

export { ALIGNMENT, MAX_ALIGNMENT, MAX_ALLOCATION } from "../generated/size";

/**
 * Whether `align` is an alignment the modules take: a power of two up to 65536. Every block is aligned to 8, so 1, 2
 * and 4 ask for nothing more; the TypeScript contract refuses them, and the loader does so before calling a module.
 */
export function isAlignment(align: u32): bool {
  return !(align & (align - 1)) & (align - 1 < MAX_ALIGNMENT);
}

/** `size` rounded up to a multiple of `alignment`, a power of two. */
export function alignUp(size: u32, alignment: u32): u32 {
  return (size + alignment - 1) & -alignment;
}

/**
 * The bytes `calloc(count, size)` asks for: the product, or one byte more than 1 GiB when it is larger, even past 2^32,
 * so that the request is refused as too large.
 */
export function callocBytes(count: u32, size: u32): u32 {
  return <u32>min(<u64>count * size, MAX_ALLOCATION + 1);
}
