/**
 * One allocator's side of the page: its heap map on a canvas, the figures (each in an element with its `data-stat`
 * name and its raw `data-value`), and the free block sizes. Pointing at the map names what lies under the pointer.
 */
import { formatBytes, formatCount } from "../../bench/units.js";
import { FIGURE_LABELS } from "../../map/figure-labels.js";
import { LABELS } from "../../map/palette.js";
import { element } from "./dom.js";
import { drawHistogram } from "./histogram-view.js";
import type { HeapMessage } from "./messages.js";

export class HeapPane {
  readonly allocator: string;
  readonly root: HTMLElement;
  readonly title: HTMLButtonElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;
  private readonly pointed: HTMLElement;
  private readonly histogram: HTMLCanvasElement;
  private readonly values = new Map<string, HTMLElement>();
  private heap: HeapMessage | null = null;

  constructor(allocator: string, rowPitch: number) {
    this.allocator = allocator;
    this.title = element(
      "button",
      { class: "pane-title", type: "button", title: "show this allocator first" },
      allocator,
    );
    this.canvas = element("canvas", { class: "heap-map" });
    this.caption = element("p", { class: "note" });
    this.pointed = element("p", { class: "pointed note" }, "point at the map to see a block");
    this.histogram = element("canvas", { class: "histogram" });
    const figures = element("dl", { class: "figures" });
    for (const { stat, label } of FIGURE_LABELS) {
      const value = element("dd", { "data-stat": stat });
      this.values.set(stat, value);
      figures.append(element("dt", {}, label), value);
    }
    this.root = element(
      "article",
      { class: "pane", "data-allocator": allocator },
      element("h2", {}, this.title),
      this.caption,
      this.canvas,
      this.pointed,
      figures,
      element("h3", {}, "free blocks by size"),
      this.histogram,
    );
    this.canvas.addEventListener("mousemove", (event) => this.point(event, rowPitch));
  }

  show(heap: HeapMessage): void {
    this.heap = heap;
    const { width, height, pixels, bytesPerPixel, rowBytes } = heap.raster;
    this.caption.textContent =
      `${formatBytes(heap.figures.memorySize)} of memory in rows of ${formatBytes(rowBytes)}, ` +
      `1 pixel = ${formatBytes(bytesPerPixel)}; ${formatCount(heap.ptrs.length)} blocks`;
    this.canvas.width = width;
    this.canvas.height = height;
    const context = this.canvas.getContext("2d") as CanvasRenderingContext2D;
    context.putImageData(new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
    for (const { stat, format } of FIGURE_LABELS) {
      const value = this.values.get(stat) as HTMLElement;
      value.textContent = format(heap.figures[stat]);
      value.dataset.value = String(heap.figures[stat]);
    }
    drawHistogram(this.histogram, heap.freeSizes);
  }

  /** Names the block or area under the pointer. */
  private point(event: MouseEvent, rowPitch: number): void {
    const heap = this.heap;
    if (heap === null) return;
    const box = this.canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * heap.raster.width);
    const row = Math.floor(((event.clientY - box.top) / box.height) * (heap.raster.height / rowPitch));
    const address = row * heap.raster.rowBytes + x * heap.raster.bytesPerPixel;
    this.pointed.textContent = describeAddress(heap, address);
  }
}

/** What lies at `address`: a block (the last that starts at or before it) or an area. */
function describeAddress(heap: HeapMessage, address: number): string {
  const hex = `0x${address.toString(16)}`;
  const { ptrs, sizes, used, blockOverhead } = heap;
  let low = 0;
  let high = ptrs.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((ptrs[middle] as number) - blockOverhead <= address) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  if (found >= 0 && address < (ptrs[found] as number) + (sizes[found] as number)) {
    const state = used[found] === 1 ? "used" : "free";
    return `${hex}: ${state} block at ${ptrs[found]}, ${formatBytes(sizes[found] as number)}`;
  }
  const area = heap.areas.find(({ start, end }) => start <= address && address < end);
  if (area === undefined) return `${hex}: past the end of memory`;
  return `${hex}: ${LABELS[area.kind]}, ${area.start} to ${area.end} (${formatBytes(area.end - area.start)})`;
}
