/** What the page and its heap workers say to each other: one worker per allocator, each replaying the whole trace. */

import type { FreeSizes } from "../../map/free-sizes.js";
import type { Area, HeapFigures } from "../../map/memory-map.js";
import type { Trace } from "../../trace/trace.js";
import type { RasterLayout } from "../heap-raster.js";

export interface StartMessage {
  type: "start";
  allocator: string;
  heapBase: number;
  /** Events between checkpoints. */
  interval: number;
  /** Bins of the timeline. */
  bins: number;
  layout: RasterLayout;
  /** The parsed trace, copied to the worker. */
  trace: Trace;
}

export interface SeekMessage {
  type: "seek";
  /** Events to have replayed. */
  event: number;
  /** Bytes of memory the map is laid out for, so that the maps of all allocators share one scale. */
  span: number;
}

export type ToWorker = StartMessage | SeekMessage;

export interface ReadyMessage {
  type: "ready";
  footprint: Float64Array;
  memorySize: Float64Array;
  /** Milliseconds the first replay took, checkpoints and timeline included. */
  recordMs: number;
  checkpointBytes: number;
}

/** The heap after `event` events, ready to draw. */
export interface HeapMessage {
  type: "heap";
  allocator: string;
  event: number;
  figures: HeapFigures;
  areas: Area[];
  blockOverhead: number;
  /** Every block's pointer, usable size and state (1: used), in address order. */
  ptrs: Uint32Array;
  sizes: Uint32Array;
  used: Uint8Array;
  freeSizes: FreeSizes;
  raster: { width: number; height: number; pixels: Uint8ClampedArray; bytesPerPixel: number; rowBytes: number };
  /** Milliseconds to reach the event (restore and replay), and to read and draw the heap. */
  replayMs: number;
  drawMs: number;
}

export interface ErrorMessage {
  type: "error";
  message: string;
}

export type FromWorker = ReadyMessage | HeapMessage | ErrorMessage;
