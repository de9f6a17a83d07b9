/**
 * Allocation traces: the malloc-family calls of a real program, one event a line, with pointers replaced by dense
 * block ids. The text format:
 *
 *     a ID SIZE         allocate SIZE bytes; the block is known as ID from now on
 *     m ID ALIGN SIZE   allocate SIZE bytes aligned to ALIGN
 *     r ID SIZE         resize block ID to SIZE bytes, keeping its contents
 *     f ID              free block ID
 *
 * Ids are never reused. Blocks still live at the end were never freed. Blank lines are skipped; a trace with no event
 * is refused as empty. Messages name the line of the text, counting from 1.
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
  /** The line of the text each event is on, counting from 1, for messages. */
  readonly lines: Uint32Array;
  /** One more than the largest block id. */
  readonly blockCount: number;
}

/** A trace that cannot be read: the line, and what was expected there; or a trace with no event at all. */
export class TraceFormatError extends Error {
  /** The line, counting from 1; null for what is wrong with the trace as a whole. */
  readonly line: number | null;

  constructor(name: string, line: number | null, message: string) {
    super(line === null ? `${name}: ${message}` : `${name}:${line}: ${message}`);
    this.name = "TraceFormatError";
    this.line = line;
  }
}

interface EventFormat {
  kind: number;
  /** Numbers after the letter. */
  numbers: number;
  usage: string;
}

const FORMATS: Record<string, EventFormat> = {
  a: { kind: EVENT_ALLOCATE, numbers: 2, usage: "a ID SIZE" },
  m: { kind: EVENT_ALLOCATE_ALIGNED, numbers: 3, usage: "m ID ALIGN SIZE" },
  r: { kind: EVENT_RESIZE, numbers: 2, usage: "r ID SIZE" },
  f: { kind: EVENT_FREE, numbers: 1, usage: "f ID" },
};

/** The format of each event letter, indexed by its character code. */
const FORMAT_BY_CODE: (EventFormat | undefined)[] = [];
for (const [letter, format] of Object.entries(FORMATS)) FORMAT_BY_CODE[letter.charCodeAt(0)] = format;

const NEWLINE = 0x0a;
const SPACE = 0x20;
const TAB = 0x09;
const CARRIAGE_RETURN = 0x0d;
const DIGIT_0 = 0x30;
const LARGEST_NUMBER = 0xffff_ffff;

/** What one line says, once read. */
interface ParsedLine {
  format: EventFormat;
  values: number[];
}

/**
 * Parses a trace, checking that it makes sense as well as that it is well formed: every block is allocated once, and
 * resized or freed only while it is live. Takes the text, or its bytes (ASCII or UTF-8) as read from a file.
 *
 * Lines in the usual shape (one letter, numbers separated by spaces or tabs) are read straight from the bytes; any
 * other line is read again as text, which either accepts it or explains what is wrong with it.
 */
export function parseTrace(source: string | Uint8Array, name = "trace"): Trace {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  const capacity = countLines(bytes);
  const kinds = new Uint8Array(capacity);
  const ids = new Uint32Array(capacity);
  const sizes = new Uint32Array(capacity);
  const aligns = new Uint32Array(capacity);
  const lines = new Uint32Array(capacity);
  /** 0: never seen, 1: live, 2: freed. */
  let states = new Uint8Array(1024);
  let length = 0;
  let blockCount = 0;
  const values = [0, 0, 0];
  let lineNumber = 0;
  let position = 0;

  while (position < bytes.length) {
    lineNumber++;
    const lineStart = position;
    let lineEnd = bytes.indexOf(NEWLINE, position);
    if (lineEnd === -1) lineEnd = bytes.length;
    position = lineEnd + 1;

    // The usual shape: a letter, then each number after one or more spaces or tabs, then perhaps a carriage return.
    let format = FORMAT_BY_CODE[bytes[lineStart] as number];
    let at = lineStart + 1;
    let count = 0;
    while (format !== undefined && at < lineEnd && count < format.numbers) {
      const separator = bytes[at] as number;
      if (separator !== SPACE && separator !== TAB) break;
      do at++;
      while (at < lineEnd && (bytes[at] === SPACE || bytes[at] === TAB));
      let value = 0;
      const digitsStart = at;
      for (let digit = (bytes[at] as number) - DIGIT_0; at < lineEnd && digit >= 0 && digit <= 9; ) {
        value = value * 10 + digit;
        digit = (bytes[++at] as number) - DIGIT_0;
      }
      if (at === digitsStart || at - digitsStart > 10 || value > LARGEST_NUMBER) break;
      values[count++] = value;
    }
    if (at < lineEnd && bytes[at] === CARRIAGE_RETURN) at++;
    if (format === undefined || count !== format.numbers || at !== lineEnd) {
      // Anything else: blank lines, other spacing, and every mistake, which the slow path names.
      const parsed = parseLineText(lineText(bytes, lineStart, lineEnd), name, lineNumber);
      if (parsed === null) continue;
      format = parsed.format;
      for (let i = 0; i < format.numbers; i++) values[i] = parsed.values[i] as number;
    }

    const kind = format.kind;
    const id = values[0] as number;
    if (id >= states.length) states = grown(states, Math.max(id + 1, states.length * 2));
    const state = states[id];
    if (kind === EVENT_ALLOCATE || kind === EVENT_ALLOCATE_ALIGNED) {
      if (state !== 0) throw new TraceFormatError(name, lineNumber, `block ${id} is allocated a second time`);
      states[id] = 1;
      if (id >= blockCount) blockCount = id + 1;
    } else if (state !== 1) {
      const verb = kind === EVENT_FREE ? "frees" : "resizes";
      const what = state === 0 ? "an unknown block" : "a block already freed";
      throw new TraceFormatError(name, lineNumber, `${verb} ${what}: ${id}`);
    } else if (kind === EVENT_FREE) {
      states[id] = 2;
    }
    kinds[length] = kind;
    ids[length] = id;
    lines[length] = lineNumber;
    if (kind === EVENT_ALLOCATE_ALIGNED) {
      const align = values[1] as number;
      if (align === 0 || (align & (align - 1)) !== 0) {
        throw new TraceFormatError(name, lineNumber, `expected a power-of-two ALIGN, found ${align}`);
      }
      aligns[length] = align;
      sizes[length] = values[2] as number;
    } else if (kind !== EVENT_FREE) {
      sizes[length] = values[1] as number;
    }
    length++;
  }
  if (length === 0) throw new TraceFormatError(name, null, "the trace is empty: it has no events");
  return {
    name,
    length,
    kinds: kinds.subarray(0, length),
    ids: ids.subarray(0, length),
    sizes: sizes.subarray(0, length),
    aligns: aligns.subarray(0, length),
    lines: lines.subarray(0, length),
    blockCount,
  };
}

/**
 * Reads one line as text: null for a blank line, else its event and numbers, or a TraceFormatError saying what was
 * expected.
 */
function parseLineText(text: string, name: string, lineNumber: number): ParsedLine | null {
  const line = text.trim();
  if (line === "") return null;
  const fields = line.split(/\s+/);
  const format = FORMATS[fields[0] as string];
  if (format === undefined) {
    throw new TraceFormatError(name, lineNumber, `expected an event a, m, r or f, found "${fields[0]}"`);
  }
  if (fields.length !== format.numbers + 1) {
    throw new TraceFormatError(name, lineNumber, `expected "${format.usage}", found "${line}"`);
  }
  const values = fields.slice(1).map((field) => Number(field));
  const names = format.usage.split(" ").slice(1);
  for (let i = 0; i < values.length; i++) {
    if (!/^\d+$/.test(fields[i + 1] as string)) {
      throw new TraceFormatError(name, lineNumber, `expected "${format.usage}" with whole numbers, found "${line}"`);
    }
    if ((values[i] as number) > LARGEST_NUMBER) {
      throw new TraceFormatError(
        name,
        lineNumber,
        `${names[i]} ${fields[i + 1]} is too large, the largest is ${LARGEST_NUMBER}: "${line}"`,
      );
    }
  }
  return { format, values };
}

/** One event as the line that would write it, for messages: "f 17", "a 3 100". */
export function describeEvent(trace: Trace, index: number): string {
  const id = trace.ids[index];
  switch (trace.kinds[index]) {
    case EVENT_ALLOCATE:
      return `a ${id} ${trace.sizes[index]}`;
    case EVENT_ALLOCATE_ALIGNED:
      return `m ${id} ${trace.aligns[index]} ${trace.sizes[index]}`;
    case EVENT_RESIZE:
      return `r ${id} ${trace.sizes[index]}`;
    default:
      return `f ${id}`;
  }
}

/** Lines in the text, counting a last one without a newline: an upper bound on its events. */
function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) lines++;
  return lines;
}

const utf8 = new TextDecoder();

function lineText(bytes: Uint8Array, start: number, end: number): string {
  return utf8.decode(bytes.subarray(start, end));
}

function grown<T extends Uint8Array | Uint32Array>(array: T, length: number): T {
  const larger = new (array.constructor as new (length: number) => T)(length);
  larger.set(array);
  return larger;
}
