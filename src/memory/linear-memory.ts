/**
 * A WebAssembly linear memory seen from JavaScript: one flat byte array addressed from 0, in pages of 64 KiB.
 *
 * The typed views (`u8`, `u16`, `i32`, `u32`, `f32`, `f64`) are always valid. Growing a WebAssembly memory detaches
 * its old `ArrayBuffer` (or, for a shared memory, hands out a new, longer `SharedArrayBuffer`), and a view kept from
 * before silently reads nothing. Each view getter therefore checks, in a single comparison, whether the buffer it
 * was made from is still the memory's current one, and rebuilds all views when it is not. That covers growth made
 * through this object, through any other holder of the same `WebAssembly.Memory`, and from WebAssembly code.
 *
 * Hot loops should read a view once into a local and use it until they next grow the memory.
 */
import type { WebAssemblyMemory } from "../webassembly-types.js";

/** Bytes in one WebAssembly page. */
export const PAGE_SIZE = 65536;

/** The most pages a 32-bit WebAssembly memory can have (4 GiB). */
export const MAX_PAGES = 65536;

export interface LinearMemoryOptions {
  /** Pages the memory starts with. Default 1. */
  initialPages?: number;
  /** Pages the memory may grow to. Default 65536 (4 GiB). */
  maximumPages?: number;
  /** Back the memory with a `SharedArrayBuffer`, for use by several threads. Default false. */
  shared?: boolean;
}

export interface WrapOptions {
  /**
   * The maximum the wrapped `WebAssembly.Memory` was declared with, when known. JavaScript cannot read it back, so
   * without it the limit is taken as 65536 pages and `grow` reports failure only when the engine refuses.
   */
  maximumPages?: number;
}

/** Anything `LinearMemory.wrap` accepts. */
export type MemorySource = LinearMemory | WebAssemblyMemory | ArrayBuffer | SharedArrayBuffer;

type Buffer = ArrayBuffer | SharedArrayBuffer;

export class LinearMemory {
  /** The WebAssembly memory behind this object, or null when it wraps a plain buffer. */
  readonly memory: WebAssemblyMemory | null;
  /** True when the bytes live in a `SharedArrayBuffer`. */
  readonly shared: boolean;
  /** The page count this memory may not grow beyond. */
  readonly maximumPages: number;

  private buffer!: Buffer;
  private view8!: Uint8Array;
  private view16!: Uint16Array;
  private viewI32!: Int32Array;
  private viewU32!: Uint32Array;
  private viewF32!: Float32Array;
  private viewF64!: Float64Array;

  private constructor(memory: WebAssemblyMemory | null, buffer: Buffer, maximumPages: number) {
    this.memory = memory;
    this.shared = isShared(buffer);
    this.maximumPages = maximumPages;
    this.adopt(buffer);
  }

  /** Makes a new `WebAssembly.Memory` and wraps it. */
  static create(options: LinearMemoryOptions = {}): LinearMemory {
    const { initialPages = 1, maximumPages = MAX_PAGES, shared = false } = options;
    requirePageCount("initialPages", initialPages);
    requirePageCount("maximumPages", maximumPages);
    if (initialPages > maximumPages) {
      throw new RangeError(`initialPages (${initialPages}) exceeds maximumPages (${maximumPages})`);
    }
    const memory = new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared });
    return new LinearMemory(memory, memory.buffer, maximumPages);
  }

  /**
   * Wraps an existing memory: a `WebAssembly.Memory` (a module's export, say), or a plain `ArrayBuffer` or
   * `SharedArrayBuffer`, which has a fixed size and cannot grow. A `LinearMemory` is returned as it is.
   */
  static wrap(source: MemorySource, options: WrapOptions = {}): LinearMemory {
    if (source instanceof LinearMemory) return source;
    if (source instanceof WebAssembly.Memory) {
      const maximumPages = options.maximumPages ?? MAX_PAGES;
      requirePageCount("maximumPages", maximumPages);
      return new LinearMemory(source, source.buffer, maximumPages);
    }
    if (source instanceof ArrayBuffer || isShared(source)) {
      return new LinearMemory(null, source, Math.floor(source.byteLength / PAGE_SIZE));
    }
    throw new TypeError("LinearMemory.wrap expects a WebAssembly.Memory, an ArrayBuffer or a SharedArrayBuffer");
  }

  /** Whole pages in the memory now. */
  get pages(): number {
    return Math.floor(this.byteLength / PAGE_SIZE);
  }

  /** Bytes in the memory now. */
  get byteLength(): number {
    return this.u8.length;
  }

  /**
   * Grows the memory by `deltaPages` pages, with the semantics of WebAssembly's `memory.grow`: returns the page count
   * before growing, or -1 when the memory cannot grow that far (nothing changes then).
   */
  grow(deltaPages: number): number {
    requirePageCount("deltaPages", deltaPages);
    const before = this.pages;
    if (before + deltaPages > this.maximumPages) return -1;
    if (deltaPages === 0) return before;
    if (this.memory === null) return -1;
    try {
      this.memory.grow(deltaPages);
    } catch (error) {
      if (error instanceof RangeError) return -1;
      throw error;
    }
    this.refresh();
    return before;
  }

  /** All bytes, as unsigned 8-bit integers. */
  get u8(): Uint8Array {
    if (this.isStale()) this.refresh();
    return this.view8;
  }

  /** The memory as 16-bit code units (indexed by byte offset >>> 1). */
  get u16(): Uint16Array {
    if (this.isStale()) this.refresh();
    return this.view16;
  }

  /** The memory as signed 32-bit words (indexed by byte offset >>> 2). */
  get i32(): Int32Array {
    if (this.isStale()) this.refresh();
    return this.viewI32;
  }

  /** The memory as unsigned 32-bit words (indexed by byte offset >>> 2). */
  get u32(): Uint32Array {
    if (this.isStale()) this.refresh();
    return this.viewU32;
  }

  /** The memory as 32-bit floats (indexed by byte offset >>> 2). */
  get f32(): Float32Array {
    if (this.isStale()) this.refresh();
    return this.viewF32;
  }

  /** The memory as 64-bit floats (indexed by byte offset >>> 3). */
  get f64(): Float64Array {
    if (this.isStale()) this.refresh();
    return this.viewF64;
  }

  /**
   * A detached buffer has length 0, which a single load reveals; a shared memory never detaches, so only asking the
   * memory for its current buffer tells whether it grew.
   */
  private isStale(): boolean {
    return this.view8.length === 0 || this.shared;
  }

  /** Rebuilds the views when the memory's buffer is no longer the one they were made from. */
  private refresh(): void {
    const memory = this.memory;
    if (memory === null) return;
    const buffer = memory.buffer;
    if (buffer !== this.buffer) this.adopt(buffer);
  }

  private adopt(buffer: Buffer): void {
    const length = buffer.byteLength;
    this.buffer = buffer;
    this.view8 = new Uint8Array(buffer);
    this.view16 = new Uint16Array(buffer, 0, length >>> 1);
    this.viewI32 = new Int32Array(buffer, 0, length >>> 2);
    this.viewU32 = new Uint32Array(buffer, 0, length >>> 2);
    this.viewF32 = new Float32Array(buffer, 0, length >>> 2);
    this.viewF64 = new Float64Array(buffer, 0, length >>> 3);
  }
}

function isShared(buffer: unknown): buffer is SharedArrayBuffer {
  return typeof SharedArrayBuffer !== "undefined" && buffer instanceof SharedArrayBuffer;
}

function requirePageCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGES) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_PAGES}, got ${value}`);
  }
}
