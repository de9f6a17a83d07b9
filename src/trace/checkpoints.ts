/**
 * Any event of a long trace, quickly: a replay that keeps checkpoints as it goes, and reaches an event by restoring
 * the checkpoint before it and replaying forward from there, or by going on from where it is when that is nearer.
 *
 * A checkpoint is what the heap is made of at that event: its memory and the pointers of the live blocks. An
 * allocator keeps all of its state in the memory, so restoring the bytes restores the heap. Only the non-zero words of
 * the memory are kept (with their places): a replay writes no block's contents, so apart from the allocator's own
 * words, such as block headers and list links, the memory is zero, and a checkpoint costs a few bytes per block rather
 * than the memory's size.
 */
import type { BlockAllocator } from "../allocator/contract.js";
import { LinearMemory, PAGE_SIZE } from "../memory/linear-memory.js";
import { type EventObserver, ReplayCursor } from "./cursor.js";
import type { Trace } from "./trace.js";

/** Makes a new, empty heap in a memory: the allocator to replay on. */
export type HeapFactory<A extends BlockAllocator> = (memory: LinearMemory) => A;

interface Checkpoint {
  /** The event it was taken after: `position` events had run. */
  position: number;
  memoryBytes: number;
  /** Place and value of every non-zero word of the memory, in pairs. */
  words: Uint32Array;
  /** Id and pointer of every live block, in pairs. */
  blocks: Uint32Array;
}

export class CheckpointedReplay<A extends BlockAllocator = BlockAllocator> {
  readonly trace: Trace;
  /** Events between checkpoints: the most a seek replays. */
  readonly interval: number;
  private readonly makeHeap: HeapFactory<A>;
  private readonly cursor: ReplayCursor<A>;
  private readonly checkpoints: Checkpoint[] = [];

  constructor(trace: Trace, makeHeap: HeapFactory<A>, interval: number) {
    if (!Number.isInteger(interval) || interval < 1)
      throw new RangeError(`interval must be a whole number from 1, got ${interval}`);
    this.trace = trace;
    this.interval = interval;
    this.makeHeap = makeHeap;
    this.cursor = new ReplayCursor(trace, makeHeap(LinearMemory.create()));
  }

  /** The heap at the cursor's event. */
  get allocator(): A {
    return this.cursor.allocator;
  }

  /** Events replayed: the heap is the one after this many events. */
  get position(): number {
    return this.cursor.position;
  }

  /** The pointer of each live block by its id, at the current event. */
  get pointers(): Uint32Array {
    return this.cursor.pointers;
  }

  /** Bytes the checkpoints hold. */
  get checkpointBytes(): number {
    return this.checkpoints.reduce((sum, { words, blocks }) => sum + words.byteLength + blocks.byteLength, 0);
  }

  /**
   * Replays the whole trace once, from the start, taking a checkpoint every `interval` events, and tells `observe`
   * of every event. Seeking needs this done first.
   */
  record(observe: EventObserver | null = null): void {
    if (this.checkpoints.length > 0) throw new Error("the trace is recorded already");
    const { cursor, interval } = this;
    for (;;) {
      this.checkpoints.push(this.checkpoint());
      if (cursor.position >= this.trace.length) break;
      cursor.advanceTo(cursor.position + interval, observe);
    }
  }

  /** Brings the heap to the one after `target` events (0 to the trace's length) and returns it. */
  seek(target: number): A {
    if (this.checkpoints.length === 0) throw new Error("record the trace before seeking in it");
    if (!Number.isInteger(target) || target < 0 || target > this.trace.length) {
      throw new RangeError(`an event from 0 to ${this.trace.length}, got ${target}`);
    }
    const nearest = this.checkpoints[Math.floor(target / this.interval)] as Checkpoint;
    const cursor = this.cursor;
    if (cursor.position > target || cursor.position < nearest.position) this.restore(nearest);
    cursor.advanceTo(target);
    return cursor.allocator;
  }

  private checkpoint(): Checkpoint {
    const { allocator, pointers, position } = this.cursor;
    return {
      position,
      memoryBytes: allocator.memory.byteLength,
      words: nonZero(allocator.memory.u32),
      blocks: nonZero(pointers),
    };
  }

  /** Puts the memory and the pointers back as they were at the checkpoint. */
  private restore(checkpoint: Checkpoint): void {
    const cursor = this.cursor;
    let memory = cursor.allocator.memory;
    if (memory.byteLength > checkpoint.memoryBytes) {
      // Memory never shrinks: a smaller one is a new one, and its heap is then overwritten with the checkpoint's.
      memory = LinearMemory.create({ initialPages: checkpoint.memoryBytes / PAGE_SIZE });
      cursor.allocator = this.makeHeap(memory);
    } else if (memory.byteLength < checkpoint.memoryBytes) {
      memory.grow((checkpoint.memoryBytes - memory.byteLength) / PAGE_SIZE);
    }
    scatter(memory.u32, checkpoint.words);
    scatter(cursor.pointers, checkpoint.blocks);
    cursor.position = checkpoint.position;
  }
}

/** Place and value of every non-zero element, in pairs. */
function nonZero(values: Uint32Array): Uint32Array {
  let pairs = new Uint32Array(1024);
  let length = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index] as number;
    if (value === 0) continue;
    if (length === pairs.length) {
      const larger = new Uint32Array(pairs.length * 2);
      larger.set(pairs);
      pairs = larger;
    }
    pairs[length] = index;
    pairs[length + 1] = value;
    length += 2;
  }
  return pairs.slice(0, length);
}

/** Sets every element to zero, but those the pairs name. */
function scatter(values: Uint32Array, pairs: Uint32Array): void {
  values.fill(0);
  for (let at = 0; at < pairs.length; at += 2) values[pairs[at] as number] = pairs[at + 1] as number;
}
