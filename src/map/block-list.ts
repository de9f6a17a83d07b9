/**
 * Blocks as `walk()` reports them, in address order, in typed arrays: a heap of 300,000 blocks takes three arrays
 * rather than 300,000 objects, and the arrays can be handed to another thread without a copy.
 */
import type { BlockInfo } from "../allocator/contract.js";

export class BlockList {
  /** Blocks in the list. */
  length = 0;
  /** Each block's pointer, then its usable size, then 1 for a used block and 0 for a free one. */
  ptrs: Uint32Array;
  sizes: Uint32Array;
  used: Uint8Array;

  constructor(capacity = 1024) {
    this.ptrs = new Uint32Array(capacity);
    this.sizes = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Adds a block, as a `walk` visitor. */
  readonly add = (block: BlockInfo): void => {
    if (this.length === this.ptrs.length) this.enlarge();
    const index = this.length++;
    this.ptrs[index] = block.ptr;
    this.sizes[index] = block.size;
    this.used[index] = block.used ? 1 : 0;
  };

  /** The block at `index`, as an object. */
  at(index: number): BlockInfo {
    return { ptr: this.ptrs[index] as number, size: this.sizes[index] as number, used: this.used[index] === 1 };
  }

  /** Every block, as objects: for tests and small heaps. */
  toArray(): BlockInfo[] {
    return Array.from({ length: this.length }, (_, index) => this.at(index));
  }

  private enlarge(): void {
    const capacity = this.ptrs.length * 2;
    const ptrs = new Uint32Array(capacity);
    ptrs.set(this.ptrs);
    const sizes = new Uint32Array(capacity);
    sizes.set(this.sizes);
    const used = new Uint8Array(capacity);
    used.set(this.used);
    this.ptrs = ptrs;
    this.sizes = sizes;
    this.used = used;
  }
}
