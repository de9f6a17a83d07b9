/**
 * A WebAssembly linear memory seen from JavaScript: one flat byte array addressed from 0, in pages of 64 KiB.
 *
 * The typed views (`u8`, `u16`, `i32`, `u32`, `f32`, `f64`) are always valid. Growing a WebAssembly memory detaches
 * its old `ArrayBuffer` (or, for a shared memory, hands out a new, longer `SharedArrayBuffer`), and a view kept from
 * before silently reads nothing, or too little. Each view getter therefore checks whether the buffer it was made from
 * is still the memory's current one, and rebuilds all views when it is not. That covers growth made through this
 * object, through any other holder of the same `WebAssembly.Memory`, from WebAssembly code, and from other threads.
 *
 * What the check costs depends on the memory. An unshared memory detaches its old buffer, which a single load reveals.
 * A shared one never detaches, so only asking the memory for its buffer tells whether another thread grew it, which
 * costs some 20 ns in Node 20 (bench/lock-cost.mjs); code that knows how far it will reach can hold the views instead
 * (`holdViews`), as the allocators do under their heap's lock. A growable `SharedArrayBuffer` (or resizable `ArrayBuffer`) needs no check:
 * views of it follow its length by themselves.
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

/**
 * Anything `LinearMemory.wrap` accepts. A `SharedArrayBuffer` made with a `maxByteLength` (or an `ArrayBuffer` made
 * resizable) is growable; any other buffer has a fixed size.
 */
export type MemorySource = LinearMemory | WebAssemblyMemory | ArrayBuffer | SharedArrayBuffer;

type Buffer = ArrayBuffer | SharedArrayBuffer;

export class LinearMemory {
  /** The WebAssembly memory behind this object, or null when it wraps a plain buffer. */
  readonly memory: WebAssemblyMemory | null;
  /** True when the bytes live in a `SharedArrayBuffer`. */
  readonly shared: boolean;
  /** The page count this memory may not grow beyond. */
  readonly maximumPages: number;

  /** True for a shared WebAssembly.Memory: only asking it for its buffer tells whether it grew. */
  private readonly growsUnseen: boolean;
  /** Whether the view getters ask the memory for its buffer now: `growsUnseen`, unless the views are held. */
  private checksBuffer: boolean;
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
    this.growsUnseen = this.shared && memory !== null;
    this.checksBuffer = this.growsUnseen;
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
   * Wraps an existing memory: a `WebAssembly.Memory` (a module's export, or one posted by another thread), or an
   * `ArrayBuffer` or `SharedArrayBuffer`. A plain buffer has a fixed size and cannot grow; a growable one (made with a
   * `maxByteLength`, its lengths multiples of 8) grows by whole pages up to its maximum. A `LinearMemory` is returned
   * as it is.
   */
  static wrap(source: MemorySource, options: WrapOptions = {}): LinearMemory {
    if (source instanceof LinearMemory) return source;
    if (source instanceof WebAssembly.Memory) {
      const maximumPages = options.maximumPages ?? MAX_PAGES;
      requirePageCount("maximumPages", maximumPages);
      return new LinearMemory(source, source.buffer, maximumPages);
    }
    if (source instanceof ArrayBuffer || isShared(source)) {
      if (isGrowable(source) && (source.byteLength % 8 !== 0 || source.maxByteLength % 8 !== 0)) {
        throw new RangeError(
          `a growable buffer's byteLength and maxByteLength must be multiples of 8, got ${source.byteLength} and ` +
            `${source.maxByteLength}`,
        );
      }
      return new LinearMemory(null, source, Math.min(Math.floor(source.maxByteLength / PAGE_SIZE), MAX_PAGES));
    }
    throw new TypeError("LinearMemory.wrap expects a WebAssembly.Memory, an ArrayBuffer or a SharedArrayBuffer");
  }

  /** Whole pages in the memory now. */
  get pages(): number {
    return Math.floor(this.byteLength / PAGE_SIZE);
  }

  /** Bytes in the memory now: always asked of the memory, even while the views are held. */
  get byteLength(): number {
    if (this.growsUnseen || this.view8.length === 0) this.refresh();
    return this.view8.length;
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
    if (this.memory === null) return isGrowable(this.buffer) ? growBuffer(this.buffer, deltaPages) : -1;
    try {
      this.memory.grow(deltaPages);
    } catch (error) {
      if (error instanceof RangeError) return -1;
      throw error;
    }
    this.refresh();
    return before;
  }

  /**
   * Makes the views reach at least `end` bytes, if the memory does, and holds them until `releaseViews()`: the view
   * getters stop asking a shared memory whether it grew. For code that touches no byte at or beyond `end`, and nothing
   * beyond the views but memory it grows through `grow()` (which refreshes them) or measures through `byteLength`
   * (which always asks): an allocator holding its heap's lock, which knows from the heap's state where the heap ends,
   * and which is the only one to grow the heap. Of no use on an unshared memory, whose views cost nothing to check.
   */
  holdViews(end: number): void {
    if (this.view8.length < end) this.refresh();
    this.checksBuffer = false;
  }

  /** Lets the view getters check the memory's buffer again: the end of what `holdViews` began. */
  releaseViews(): void {
    this.checksBuffer = this.growsUnseen;
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
   * A detached buffer has length 0, which a single load reveals; a shared WebAssembly.Memory never detaches, so only
   * asking it for its current buffer tells whether it grew, unless the views are held.
   */
  private isStale(): boolean {
    return this.view8.length === 0 || this.checksBuffer;
  }

  /** Rebuilds the views when the memory's buffer is no longer the one they were made from. */
  private refresh(): void {
    const memory = this.memory;
    if (memory === null) return;
    const buffer = memory.buffer;
    if (buffer !== this.buffer) this.adopt(buffer);
  }

  private adopt(buffer: Buffer): void {
    this.buffer = buffer;
    this.view8 = new Uint8Array(buffer);
    if (isGrowable(buffer)) {
      // Views without a length follow a growable buffer's length.
      this.view16 = new Uint16Array(buffer);
      this.viewI32 = new Int32Array(buffer);
      this.viewU32 = new Uint32Array(buffer);
      this.viewF32 = new Float32Array(buffer);
      this.viewF64 = new Float64Array(buffer);
      return;
    }
    const length = buffer.byteLength;
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

/** A SharedArrayBuffer made with a maxByteLength, or a resizable ArrayBuffer. */
function isGrowable(buffer: Buffer): boolean {
  return isShared(buffer) ? buffer.growable : buffer.resizable;
}

/**
 * Grows a growable buffer by `deltaPages` pages from its whole pages now, as `memory.grow` does: the page count
 * before, or -1 when it cannot. Another thread may grow a shared buffer at the same moment, and a buffer's `grow`
 * takes a length, not a delta, so a length that changed under it is read again and tried again.
 */
function growBuffer(buffer: Buffer, deltaPages: number): number {
  for (;;) {
    const length = buffer.byteLength;
    const before = Math.floor(length / PAGE_SIZE);
    const target = (before + deltaPages) * PAGE_SIZE;
    if (target > buffer.maxByteLength) return -1;
    try {
      if (isShared(buffer)) buffer.grow(target);
      else buffer.resize(target);
      return before;
    } catch (error) {
      if (!(error instanceof RangeError) || buffer.byteLength === length) return -1;
    }
  }
}

function requirePageCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGES) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_PAGES}, got ${value}`);
  }
}
