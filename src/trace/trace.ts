/**
 * Allocation traces: the malloc-family calls of a real program, one event a line, with pointers replaced by dense
 * block ids. The text format:
 *
 *     a ID SIZE         allocate SIZE bytes; the block is known as ID from now on
 *     m ID ALIGN SIZE   allocate SIZE bytes aligned to ALIGN
 *     r ID SIZE         resize block ID to SIZE bytes, keeping its contents
 *     f ID              free block ID
 *
 * Ids are never reused. Blocks still live at the end were never freed. Blank lines are skipped.
 *
 * A parsed trace keeps its events in parallel typed arrays, so that replaying millions of them allocates nothing.
 */

export const EVENT_ALLOCATE = 0;
export const EVENT_ALLOCATE_ALIGNED = 1;
export const EVENT_RESIZE = 2;
export const EVENT_FREE = 3;

export interface Trace {
  readonly name: string;
  /** Events in the trace. */
  readonly length: number;
  /** One of the EVENT_* constants per event. */
  readonly kinds: Uint8Array;
  /** The block each event is about. */
  readonly ids: Uint32Array;
  /** The size asked for (0 for a free). */
  readonly sizes: Uint32Array;
  /** The alignment asked for by an aligned allocation, else 0. */
  readonly aligns: Uint32Array;
  /** One more than the largest block id. */
  readonly blockCount: number;
}

/** A trace that cannot be read: the line, and what was expected there. */
export class TraceFormatError extends Error {
  readonly line: number;

  constructor(name: string, line: number, message: string) {
    super(`${name}:${line}: ${message}`);
    this.name = "TraceFormatError";
    this.line = line;
  }
}

const FIELDS: Record<string, { kind: number; fields: number; usage: string }> = {
  a: { kind: EVENT_ALLOCATE, fields: 3, usage: "a ID SIZE" },
  m: { kind: EVENT_ALLOCATE_ALIGNED, fields: 4, usage: "m ID ALIGN SIZE" },
  r: { kind: EVENT_RESIZE, fields: 3, usage: "r ID SIZE" },
  f: { kind: EVENT_FREE, fields: 2, usage: "f ID" },
};

/**
 * Parses a trace's text, checking that it makes sense as well as that it is well formed: every block is allocated
 * once, and resized or freed only while it is live.
 */
export function parseTrace(text: string, name = "trace"): Trace {
  const lines = text.split("\n");
  let capacity = lines.length;
  let kinds = new Uint8Array(capacity);
  let ids = new Uint32Array(capacity);
  let sizes = new Uint32Array(capacity);
  let aligns = new Uint32Array(capacity);
  /** 0: never seen, 1: live, 2: freed. */
  let states = new Uint8Array(1024);
  let length = 0;
  let blockCount = 0;

  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).trim();
    if (line === "") continue;
    const lineNumber = index + 1;
    const fields = line.split(/\s+/);
    const format = FIELDS[fields[0] as string];
    if (format === undefined) {
      throw new TraceFormatError(name, lineNumber, `expected an event a, m, r or f, found "${fields[0]}"`);
    }
    if (fields.length !== format.fields) {
      throw new TraceFormatError(name, lineNumber, `expected "${format.usage}", found "${line}"`);
    }
    const numbers = fields.slice(1).map((field) => Number(field));
    for (let i = 0; i < numbers.length; i++) {
      const value = numbers[i] as number;
      if (!/^\d+$/.test(fields[i + 1] as string) || value > 0xffff_ffff) {
        throw new TraceFormatError(name, lineNumber, `expected "${format.usage}" with whole numbers, found "${line}"`);
      }
    }
    const id = numbers[0] as number;
    if (length === capacity) {
      capacity *= 2;
      kinds = grown(kinds, capacity);
      ids = grown(ids, capacity);
      sizes = grown(sizes, capacity);
      aligns = grown(aligns, capacity);
    }
    if (id >= states.length) states = grown(states, Math.max(id + 1, states.length * 2));
    const state = states[id];
    if (format.kind === EVENT_ALLOCATE || format.kind === EVENT_ALLOCATE_ALIGNED) {
      if (state !== 0) throw new TraceFormatError(name, lineNumber, `block ${id} is allocated a second time`);
      states[id] = 1;
      blockCount = Math.max(blockCount, id + 1);
    } else if (state !== 1) {
      const verb = format.kind === EVENT_FREE ? "frees" : "resizes";
      const what = state === 0 ? "an unknown block" : "a block already freed";
      throw new TraceFormatError(name, lineNumber, `${verb} ${what}: ${id}`);
    } else if (format.kind === EVENT_FREE) {
      states[id] = 2;
    }
    kinds[length] = format.kind;
    ids[length] = id;
    if (format.kind === EVENT_ALLOCATE_ALIGNED) {
      const align = numbers[1] as number;
      if ((align & (align - 1)) !== 0 || align === 0) {
        throw new TraceFormatError(name, lineNumber, `expected a power-of-two ALIGN, found ${align}`);
      }
      aligns[length] = align;
      sizes[length] = numbers[2] as number;
    } else if (format.kind !== EVENT_FREE) {
      sizes[length] = numbers[1] as number;
    }
    length++;
  }
  return {
    name,
    length,
    kinds: kinds.subarray(0, length),
    ids: ids.subarray(0, length),
    sizes: sizes.subarray(0, length),
    aligns: aligns.subarray(0, length),
    blockCount,
  };
}

function grown<T extends Uint8Array | Uint32Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  return larger;
}
