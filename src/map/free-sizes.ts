/** How free memory is broken up: the free blocks counted by size, one class per power of two. */
import type { BlockList } from "./block-list.js";

/** Classes 0 to 31: class k holds the sizes from 2^k to 2^(k+1) - 1 (class 0 also holds a size of 0). */
export const SIZE_CLASSES = 32;

export interface FreeSizes {
  /** Free blocks in each class. */
  counts: number[];
  /** Their usable bytes, by class. */
  bytes: number[];
}

export function freeSizes(blocks: BlockList): FreeSizes {
  const counts = new Array<number>(SIZE_CLASSES).fill(0);
  const bytes = new Array<number>(SIZE_CLASSES).fill(0);
  for (let index = 0; index < blocks.length; index++) {
    if (blocks.used[index] === 1) continue;
    const size = blocks.sizes[index] as number;
    const sizeClass = sizeClassOf(size);
    counts[sizeClass] = (counts[sizeClass] as number) + 1;
    bytes[sizeClass] = (bytes[sizeClass] as number) + size;
  }
  return { counts, bytes };
}

/** The class of a size below 2^32: the power of two it lies in. */
export function sizeClassOf(size: number): number {
  return 31 - Math.clz32(size | 1);
}
