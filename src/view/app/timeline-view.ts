/**
 * The timeline: live bytes, and each allocator's footprint and memory size, over every event of the trace, with the
 * current event marked. A click or a drag along it seeks.
 */
import { formatBytes, formatCount } from "../../bench/units.js";
import { element } from "./dom.js";

export interface TimelineSeries {
  /** Largest live bytes in each bin. */
  liveBytes: Float64Array;
  allocators: { name: string; color: string; footprint: Float64Array; memorySize: Float64Array }[];
}

const HEIGHT = 150;
const TOP = 14;
const BOTTOM = 18;
const LIVE_COLOR = "#c9c9c9";

export class TimelineView {
  readonly root: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly marker: HTMLElement;
  private readonly length: number;
  private series: TimelineSeries | null = null;

  /** `seek` is called with the event under the pointer, while the pointer is down. */
  constructor(length: number, seek: (event: number) => void) {
    this.length = length;
    this.canvas = element("canvas", { class: "timeline-plot", height: String(HEIGHT) });
    this.marker = element("div", { class: "marker" });
    const legend = element("p", { class: "timeline-legend note" });
    this.root = element(
      "section",
      { class: "timeline" },
      element("div", { class: "plot" }, this.canvas, this.marker),
      legend,
    );
    const eventAt = (clientX: number): number => {
      const box = this.canvas.getBoundingClientRect();
      const share = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
      return Math.round(share * length);
    };
    this.canvas.addEventListener("pointerdown", (event) => {
      this.canvas.setPointerCapture(event.pointerId);
      seek(eventAt(event.clientX));
    });
    this.canvas.addEventListener("pointermove", (event) => {
      if (this.canvas.hasPointerCapture(event.pointerId)) seek(eventAt(event.clientX));
    });
  }

  /** Draws the series, once they are known; again when the page's width changes. */
  draw(series: TimelineSeries): void {
    this.series = series;
    const width = Math.max(200, Math.round(this.canvas.clientWidth || 1000));
    this.canvas.width = width;
    const context = this.canvas.getContext("2d") as CanvasRenderingContext2D;
    context.clearRect(0, 0, width, HEIGHT);
    let top = 1;
    for (const value of series.liveBytes) top = Math.max(top, value);
    for (const { footprint, memorySize } of series.allocators) {
      for (const value of footprint) top = Math.max(top, value);
      for (const value of memorySize) top = Math.max(top, value);
    }
    const y = (value: number): number => HEIGHT - BOTTOM - (value / top) * (HEIGHT - BOTTOM - TOP);
    const columns = (values: Float64Array): number[] => {
      const bins = values.length;
      const maxima: number[] = [];
      for (let x = 0; x < width; x++) {
        const from = Math.floor((x * bins) / width);
        const to = Math.max(from + 1, Math.floor(((x + 1) * bins) / width));
        let largest = 0;
        for (let bin = from; bin < to && bin < bins; bin++) largest = Math.max(largest, values[bin] as number);
        maxima.push(largest);
      }
      return maxima;
    };
    // Live bytes as an area, then each allocator's memory size (dashed) and footprint (solid) as lines.
    const live = columns(series.liveBytes);
    context.fillStyle = LIVE_COLOR;
    context.beginPath();
    context.moveTo(0, y(0));
    for (const [x, value] of live.entries()) context.lineTo(x, y(value));
    context.lineTo(width, y(0));
    context.fill();
    for (const { color, footprint, memorySize } of series.allocators) {
      context.strokeStyle = color;
      const lines: [Float64Array, number[]][] = [
        [memorySize, [4, 3]],
        [footprint, []],
      ];
      for (const [values, dash] of lines) {
        context.setLineDash(dash);
        context.lineWidth = 1.5;
        context.beginPath();
        for (const [x, value] of columns(values).entries()) {
          if (x === 0) context.moveTo(x, y(value));
          else context.lineTo(x, y(value));
        }
        context.stroke();
      }
    }
    context.setLineDash([]);
    context.fillStyle = "#555";
    context.font = "11px system-ui, sans-serif";
    context.fillText(formatBytes(top), 4, TOP - 3);
    context.fillText("0", 4, HEIGHT - 5);
    const end = `${formatCount(this.length)} events`;
    context.fillText(end, width - context.measureText(end).width - 4, HEIGHT - 5);
    const legend = this.root.querySelector(".timeline-legend") as HTMLElement;
    legend.replaceChildren(
      swatch(LIVE_COLOR, "live bytes (as asked for)"),
      ...series.allocators.flatMap(({ name, color }) => [
        swatch(color, `${name} footprint`),
        swatch(color, `${name} memory size (dashed)`),
      ]),
    );
  }

  redraw(): void {
    if (this.series !== null) this.draw(this.series);
  }

  mark(event: number): void {
    this.marker.style.left = `${(event / Math.max(1, this.length)) * 100}%`;
  }
}

function swatch(color: string, label: string): HTMLElement {
  return element("span", { class: "key" }, element("span", { class: "swatch", style: `background:${color}` }), label);
}
