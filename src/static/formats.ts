/**
 * How constants look in linear memory, and how to read and write them.
 *
 * A string is a u32 length in UTF-16 code units, then the code units in UTF-16LE; its pointer points at the length.
 * "Hello" is `05 00 00 00 48 00 65 00 6C 00 6C 00 6F 00`. Code units are stored as they are, so lone surrogates
 * survive a round trip.
 *
 * A numeric array is a u32 element count, then the elements, each aligned to its size relative to the array's start
 * (which is 8-aligned in static memory): elements of 1, 2 or 4 bytes begin right after the count, elements of 8
 * bytes 4 bytes later.
 *
 * All multi-byte values are little-endian, as WebAssembly defines them.
 */
import { LinearMemory, type MemorySource } from "../memory/linear-memory.js";

export type ElementType = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64" | "f32" | "f64";

/** The typed array that holds elements of each type. */
export interface ElementArrays {
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  i64: BigInt64Array;
  u64: BigUint64Array;
  f32: Float32Array;
  f64: Float64Array;
}

interface ElementArrayConstructor {
  new (length: number): ElementArrays[ElementType];
  readonly BYTES_PER_ELEMENT: number;
}

const ELEMENT_ARRAYS: Readonly<Record<ElementType, ElementArrayConstructor>> = {
  i8: Int8Array,
  u8: Uint8Array,
  i16: Int16Array,
  u16: Uint16Array,
  i32: Int32Array,
  u32: Uint32Array,
  i64: BigInt64Array,
  u64: BigUint64Array,
  f32: Float32Array,
  f64: Float64Array,
};

/** Bytes in one element of `type`. */
export function elementSize(type: ElementType): number {
  return elementArrayConstructor(type).BYTES_PER_ELEMENT;
}

/** Where an array's elements begin, relative to its pointer: after the count, aligned to the element size. */
export function elementsOffset(type: ElementType): number {
  return elementSize(type) === 8 ? 8 : 4;
}

/** Bytes a string of `length` code units takes in memory. */
export function stringByteLength(length: number): number {
  return 4 + 2 * length;
}

/** Lays a string out in its memory format. */
export function encodeString(s: string): Uint8Array {
  const bytes = new Uint8Array(stringByteLength(s.length));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, s.length, true);
  for (let i = 0; i < s.length; i++) view.setUint16(4 + 2 * i, s.charCodeAt(i), true);
  return bytes;
}

/** Lays a numeric array out in its memory format. Throws a RangeError for a value the type cannot hold exactly. */
export function encodeArray(type: ElementType, values: ArrayLike<number | bigint>): Uint8Array {
  const elements = toElementArray(type, values);
  const offset = elementsOffset(type);
  const bytes = new Uint8Array(offset + elements.byteLength);
  new DataView(bytes.buffer).setUint32(0, elements.length, true);
  bytes.set(new Uint8Array(elements.buffer, elements.byteOffset, elements.byteLength), offset);
  return bytes;
}

/** Reads the string at `ptr`. A length that runs past the end of memory is a RangeError naming the pointer. */
export function readString(source: MemorySource, ptr: number): string {
  const memory = LinearMemory.wrap(source);
  const length = readCount(memory, ptr, "readString");
  const start = ptr + 4;
  requireInside(memory, ptr, start + 2 * length, "readString", `a string of ${length} code units`);
  if ((start & 1) === 0) return decodeUtf16(memory.u16.subarray(start >>> 1, (start >>> 1) + length), memory.shared);
  const units = new Uint16Array(length);
  new Uint8Array(units.buffer).set(memory.u8.subarray(start, start + 2 * length));
  return decodeUtf16(units, false);
}

/** Writes `s` at `ptr` in the string format and returns the offset just past it. Nothing is written out of range. */
export function writeString(source: MemorySource, ptr: number, s: string): number {
  const memory = LinearMemory.wrap(source);
  requirePointer(ptr, "writeString");
  const end = ptr + stringByteLength(s.length);
  requireInside(memory, ptr, end, "writeString", `a string of ${s.length} code units`);
  if ((ptr & 1) !== 0) {
    memory.u8.set(encodeString(s), ptr);
    return end;
  }
  const u16 = memory.u16;
  const at = ptr >>> 1;
  u16[at] = s.length & 0xffff;
  u16[at + 1] = s.length >>> 16;
  for (let i = 0; i < s.length; i++) u16[at + 2 + i] = s.charCodeAt(i);
  return end;
}

/** Reads the numeric array at `ptr` into a new typed array of its element type. */
export function readArray<T extends ElementType>(source: MemorySource, ptr: number, type: T): ElementArrays[T] {
  const memory = LinearMemory.wrap(source);
  const Elements = elementArrayConstructor(type);
  const count = readCount(memory, ptr, "readArray");
  const start = ptr + elementsOffset(type);
  const byteLength = count * Elements.BYTES_PER_ELEMENT;
  requireInside(memory, ptr, start + byteLength, "readArray", `${count} elements of ${type}`);
  const elements = new Elements(count);
  new Uint8Array(elements.buffer).set(memory.u8.subarray(start, start + byteLength));
  return elements as ElementArrays[T];
}

/** Strings at least this long are decoded by TextDecoder, which beats building them code unit by code unit. */
const DECODER_THRESHOLD = 64;
/** Code units per String.fromCharCode call: well below any engine's argument limit. */
const CHUNK = 4096;

let strictDecoder: TextDecoder | undefined;

function decodeUtf16(units: Uint16Array, shared: boolean): string {
  // TextDecoder refuses views of a SharedArrayBuffer in browsers, and in fatal mode it throws on a lone surrogate,
  // which the exact path below keeps as it is.
  if (units.length >= DECODER_THRESHOLD && !shared) {
    strictDecoder ??= new TextDecoder("utf-16le", { fatal: true });
    try {
      return strictDecoder.decode(units);
    } catch {
      // A lone surrogate: decode exactly instead.
    }
  }
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units as unknown as number[]);
  let text = "";
  for (let i = 0; i < units.length; i += CHUNK) {
    text += String.fromCharCode.apply(null, units.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return text;
}

function elementArrayConstructor(type: ElementType): ElementArrayConstructor {
  const Elements = Object.hasOwn(ELEMENT_ARRAYS, type) ? ELEMENT_ARRAYS[type] : undefined;
  if (Elements === undefined) {
    throw new TypeError(`unknown element type "${type}": expected one of ${Object.keys(ELEMENT_ARRAYS).join(", ")}`);
  }
  return Elements;
}

function toElementArray(type: ElementType, values: ArrayLike<number | bigint>): ElementArrays[ElementType] {
  const elements = new (elementArrayConstructor(type))(values.length);
  const isBig = type === "i64" || type === "u64";
  const isFloat = type === "f32" || type === "f64";
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isBig) {
      const big = typeof value === "bigint" ? value : Number.isInteger(value) ? BigInt(value as number) : undefined;
      (elements as BigInt64Array)[i] = big ?? 0n;
      if (big === undefined || elements[i] !== big) throw new RangeError(`${type} cannot hold values[${i}] = ${value}`);
    } else {
      if (typeof value !== "number") throw new RangeError(`${type} elements are numbers, values[${i}] is ${value}`);
      (elements as Float64Array)[i] = value;
      if (!isFloat && elements[i] !== value) throw new RangeError(`${type} cannot hold values[${i}] = ${value}`);
    }
  }
  return elements;
}

function requirePointer(ptr: number, operation: string): void {
  if (!Number.isInteger(ptr) || ptr < 0) throw new RangeError(`${operation}(${ptr}): not a valid pointer`);
}

/** Reads the u32 count or length at `ptr`, after checking it lies inside the memory. */
function readCount(memory: LinearMemory, ptr: number, operation: string): number {
  requirePointer(ptr, operation);
  requireInside(memory, ptr, ptr + 4, operation, "a length field");
  const u8 = memory.u8;
  return (u8[ptr] | (u8[ptr + 1] << 8) | (u8[ptr + 2] << 16) | (u8[ptr + 3] << 24)) >>> 0;
}

function requireInside(memory: LinearMemory, ptr: number, end: number, operation: string, what: string): void {
  if (end > memory.byteLength) {
    throw new RangeError(
      `${operation}(${ptr}): ${what} runs to ${end}, past the end of memory at ${memory.byteLength}`,
    );
  }
}
