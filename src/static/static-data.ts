/**
 * Static memory: the constants a program is built with, laid out as data segments before the heap.
 *
 *     0          memoryBase                                   end   heapBase
 *     +----------+----------+---+----------+---+- - - - - - -+------+----------- - -
 *     |   null   | segment  |pad| segment  |pad|     ...     | pad  | heap ...
 *     | reserve  |    1     |   |    2     |   |             |      |
 *     +----------+----------+---+----------+---+- - - - - - -+------+----------- - -
 *
 * Offset 0 is the null pointer, so the first `memoryBase` bytes (8 by default) hold nothing. Every segment starts on
 * an 8-byte boundary. Identical constants are stored once: asking for the same bytes again returns the same pointer.
 * The heap begins at HEAP_BASE, the first 8-aligned offset at or after the end of static memory.
 */
import { ensureMemory } from "../allocator/growth.js";
import { ALIGNMENT, alignUp, MAX_ALIGNMENT } from "../allocator/size.js";
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";
import { type ElementType, encodeArray, encodeString } from "./formats.js";

/** One data segment: bytes to place at an offset. */
export interface Segment {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface StaticDataOptions {
  /** Bytes kept free at offset 0 so that no constant has the null pointer. Default 8. */
  memoryBase?: number;
}

export class StaticData {
  readonly memoryBase: number;
  private readonly laidOut: Segment[] = [];
  /** Segment offsets by content, so that identical constants share one segment. */
  private readonly offsetsByContent = new Map<string, number>();
  private next: number;

  constructor(options: StaticDataOptions = {}) {
    const { memoryBase = 8 } = options;
    if (!Number.isInteger(memoryBase) || memoryBase < 0) {
      throw new RangeError(`memoryBase must be a non-negative integer, got ${memoryBase}`);
    }
    this.memoryBase = memoryBase;
    this.next = memoryBase;
  }

  /** Lays out a constant string and returns its pointer, which points at the length. */
  string(s: string): number {
    if (typeof s !== "string") throw new TypeError(`string() takes a string, got ${typeof s}`);
    return this.place(encodeString(s), ALIGNMENT);
  }

  /** Lays out a numeric array (a u32 count, then the elements) and returns its pointer. */
  array(type: ElementType, values: ArrayLike<number | bigint>): number {
    return this.place(encodeArray(type, values), ALIGNMENT);
  }

  /** Lays out raw bytes on a boundary of `align` (a power of two; at least 8 is used) and returns their offset. */
  bytes(data: Uint8Array, align: number = ALIGNMENT): number {
    if (!(data instanceof Uint8Array)) throw new TypeError("bytes() takes a Uint8Array");
    if (!Number.isInteger(align) || align < 1 || align > MAX_ALIGNMENT || (align & (align - 1)) !== 0) {
      throw new RangeError(`align must be a power of two from 1 to ${MAX_ALIGNMENT}, got ${align}`);
    }
    return this.place(data.slice(), Math.max(align, ALIGNMENT));
  }

  /** One past the last byte of static memory. */
  get end(): number {
    const last = this.laidOut.at(-1);
    return last === undefined ? this.memoryBase : last.offset + last.bytes.length;
  }

  /** HEAP_BASE: the first 8-aligned offset at or after `end`, where the heap begins. */
  get heapBase(): number {
    return alignUp(this.end, ALIGNMENT);
  }

  /** The segments in address order. */
  get segments(): readonly Segment[] {
    return this.laidOut;
  }

  /** Writes every segment into the memory, growing it if it is too small. */
  writeTo(source: MemorySource): void {
    const memory = LinearMemory.wrap(source);
    if (!ensureMemory(memory, this.end)) {
      throw new RangeError(
        `static data needs ${this.end} bytes, and the memory cannot grow beyond ${memory.byteLength}`,
      );
    }
    const u8 = memory.u8;
    for (const segment of this.laidOut) u8.set(segment.bytes, segment.offset);
  }

  private place(bytes: Uint8Array, align: number): number {
    const key = contentKey(bytes);
    const existing = this.offsetsByContent.get(key);
    if (existing !== undefined && existing % align === 0) return existing;
    const offset = alignUp(this.next, align);
    this.laidOut.push({ offset, bytes });
    this.next = offset + bytes.length;
    if (existing === undefined) this.offsetsByContent.set(key, offset);
    return offset;
  }
}

/** The bytes as a string, one character a byte: a Map key that is equal exactly when the contents are. */
function contentKey(bytes: Uint8Array): string {
  let key = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    key += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return key;
}
