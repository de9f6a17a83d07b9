/**
 * The memory a module imports, as its binary declares it. JavaScript's `WebAssembly.Module.imports` names a module's
 * imports but not their limits, and a module refuses a memory smaller than its declared minimum: wasm-ld, for one, asks
 * for room for a C program's data and stack, two pages or more. This reads the import section to find out.
 */

/** An imported memory: where it is imported from, and its limits in pages. */
export interface MemoryImport {
  module: string;
  name: string;
  minimumPages: number;
  /** The declared maximum, or undefined when there is none. */
  maximumPages: number | undefined;
  shared: boolean;
}

const IMPORT_SECTION = 2;
const KIND_FUNCTION = 0;
const KIND_TABLE = 1;
const KIND_MEMORY = 2;
const KIND_GLOBAL = 3;
const KIND_TAG = 4;

/** The memory `bytes`, a WebAssembly module, imports, or undefined when it imports none. */
export function memoryImport(bytes: Uint8Array): MemoryImport | undefined {
  const reader = new BinaryReader(bytes);
  reader.skip(8); // magic and version
  while (!reader.atEnd()) {
    const id = reader.byte();
    const size = reader.u32();
    if (id !== IMPORT_SECTION) {
      reader.skip(size);
      continue;
    }
    for (let count = reader.u32(); count > 0; count--) {
      const module = reader.name();
      const name = reader.name();
      const kind = reader.byte();
      if (kind === KIND_MEMORY) {
        const flags = reader.byte();
        const minimumPages = reader.u32();
        const maximumPages = (flags & 1) !== 0 ? reader.u32() : undefined;
        return { module, name, minimumPages, maximumPages, shared: (flags & 2) !== 0 };
      }
      if (kind === KIND_FUNCTION) {
        reader.u32();
      } else if (kind === KIND_TABLE) {
        reader.skipTable();
      } else if (kind === KIND_GLOBAL) {
        reader.skip(2); // its value type and mutability
      } else if (kind === KIND_TAG) {
        reader.skip(1); // its attribute
        reader.u32();
      } else {
        throw new TypeError(`the module imports ${module}.${name} of an unknown kind ${kind}`);
      }
    }
    return undefined;
  }
  return undefined;
}

/** Reads the binary format's bytes, LEB128 numbers and names. */
class BinaryReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array) {}

  atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  byte(): number {
    if (this.atEnd()) throw new TypeError("the module's binary ends too early");
    return this.bytes[this.offset++] as number;
  }

  u32(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new TypeError("the module's binary holds a number too long for 32 bits");
  }

  name(): string {
    const length = this.u32();
    const text = new TextDecoder().decode(this.bytes.subarray(this.offset, this.offset + length));
    this.skip(length);
    return text;
  }

  skip(count: number): void {
    this.offset += count;
  }

  /** A table type: its element type, then its limits. */
  skipTable(): void {
    this.byte();
    const flags = this.byte();
    this.u32();
    if ((flags & 1) !== 0) this.u32();
  }
}
