/**
 * The worker side of the page: one allocator's replay of the whole trace, with checkpoints, answering each seek with
 * the heap at that event, read through `walk()` and drawn into pixels, so that the page's own thread only paints.
 */

import { mappableAllocator } from "../../map/allocators.js";
import { freeSizes } from "../../map/free-sizes.js";
import { type MappableAllocator, mapMemory } from "../../map/memory-map.js";
import { CheckpointedReplay } from "../../trace/checkpoints.js";
import { rasterize } from "../heap-raster.js";
import { FootprintRecorder } from "../timeline.js";
import type { FromWorker, HeapMessage, StartMessage, ToWorker } from "./messages.js";

/** The part of a worker's global scope the heap worker uses. */
export interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
}

export function serveHeap(scope: WorkerScope): void {
  let session: HeapSession | null = null;
  scope.onmessage = ({ data }) => {
    try {
      if (data.type === "start") {
        session = new HeapSession(data);
        scope.postMessage(session.record());
      } else if (session !== null) {
        const message = session.seek(data.event, data.span);
        scope.postMessage(message, [
          message.ptrs.buffer,
          message.sizes.buffer,
          message.used.buffer,
          message.raster.pixels.buffer,
        ]);
      }
    } catch (error) {
      scope.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
    }
  };
}

class HeapSession {
  private readonly start: StartMessage;
  private readonly replay: CheckpointedReplay<MappableAllocator>;

  constructor(start: StartMessage) {
    this.start = start;
    const factory = mappableAllocator(start.allocator);
    if (factory === undefined) throw new Error(`no allocator named ${start.allocator}`);
    this.replay = new CheckpointedReplay(
      start.trace,
      (memory) => factory(memory, { heapBase: start.heapBase }),
      start.interval,
    );
  }

  record(): FromWorker {
    const startedAt = performance.now();
    const recorder = new FootprintRecorder(this.start.trace, this.replay.allocator, this.start.bins);
    this.replay.record(recorder.observe);
    // Once through a seek (a checkpoint restored, events replayed, the heap drawn) before any is asked for, so that
    // the engine has compiled that code before the first seek a user makes.
    this.draw(this.replay.seek(Math.floor(this.start.trace.length / 2)), 0);
    return {
      type: "ready",
      footprint: recorder.footprint,
      memorySize: recorder.memorySize,
      recordMs: performance.now() - startedAt,
      checkpointBytes: this.replay.checkpointBytes,
    };
  }

  seek(event: number, span: number): HeapMessage {
    const startedAt = performance.now();
    const allocator = this.replay.seek(event);
    const replayedAt = performance.now();
    return {
      ...this.draw(allocator, span),
      event,
      replayMs: replayedAt - startedAt,
      drawMs: performance.now() - replayedAt,
    };
  }

  /** The heap read through `walk()` and drawn. */
  private draw(allocator: MappableAllocator, span: number): Omit<HeapMessage, "event" | "replayMs" | "drawMs"> {
    const map = mapMemory(allocator);
    const { length, ptrs, sizes, used } = map.blocks;
    const raster = rasterize(map, this.start.layout, span);
    return {
      type: "heap",
      allocator: this.start.allocator,
      figures: map.figures,
      areas: map.areas,
      blockOverhead: map.blockOverhead,
      ptrs: ptrs.subarray(0, length),
      sizes: sizes.subarray(0, length),
      used: used.subarray(0, length),
      freeSizes: freeSizes(map.blocks),
      raster: {
        width: raster.width,
        height: raster.height,
        pixels: raster.pixels,
        bytesPerPixel: raster.scale.bytesPerPixel,
        rowBytes: raster.scale.rowBytes,
      },
    };
  }
}
