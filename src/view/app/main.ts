/**
 * `linmem view`'s page: a trace replayed in the browser by the real allocators, one heap worker each, seekable to any
 * event. The same script runs as a heap worker when it has no document.
 */
import { formatBytes, formatCount } from "../../bench/units.js";
import { COLORS, LABELS, LEGEND_ORDER } from "../../map/palette.js";
import { describeEvent, type Trace } from "../../trace/trace.js";
import type { ViewConfig } from "../embedding.js";
import type { RasterLayout } from "../heap-raster.js";
import { binCount, binMaxima, binOf, type LiveTotals, liveTotals } from "../timeline.js";
import { element } from "./dom.js";
import { appSource, readConfig, readTrace } from "./embedded.js";
import { HeapPane } from "./heap-pane.js";
import { serveHeap, type WorkerScope } from "./heap-worker.js";
import { PLAY_SPEEDS, Player } from "./player.js";
import { TimelineView } from "./timeline-view.js";
import { formatUrlState, readUrlState } from "./url-state.js";
import { HeapWorkerClient } from "./worker-client.js";

/** The heap map's pixels: 512 across, rows of 7 pixels with a gap of 1. */
const LAYOUT: RasterLayout = { width: 512, maxRows: 64, rowPitch: 8, barHeight: 7 };
/** Most bins of the timeline. */
const TIMELINE_BINS = 2048;
const ALLOCATOR_COLORS: Record<string, string> = { tlsf: "#e4572e", buddy: "#2a9d8f" };
const OTHER_COLORS = ["#8e44ad", "#d4a017"];

/** What the page tells a script driving it (a test, a measurement): the event shown and how long it took. */
export interface ViewStatus {
  shownEvent: number;
  selected: string;
  /** Milliseconds from asking for each event shown to both maps drawn, in order. */
  seekTimes: number[];
  /** For the last event shown, per allocator: milliseconds its worker took to reach the event, and to read and draw it. */
  workerTimes: Record<string, { replayMs: number; drawMs: number }>;
  error: string | null;
}

declare global {
  interface Window {
    linmemView?: ViewStatus;
  }
}

if (typeof document === "undefined") {
  serveHeap(globalThis as unknown as WorkerScope);
} else {
  startPage().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const status = document.getElementById("status");
    if (status !== null) status.textContent = `failed: ${message}`;
    if (window.linmemView !== undefined) window.linmemView.error = message;
    throw error;
  });
}

async function startPage(): Promise<void> {
  const config = readConfig();
  const status = document.getElementById("status") as HTMLElement;
  const app = document.getElementById("app") as HTMLElement;
  const view: ViewStatus = {
    shownEvent: -1,
    selected: config.allocators[0] ?? "",
    seekTimes: [],
    workerTimes: {},
    error: null,
  };
  window.linmemView = view;
  status.textContent = "reading the trace…";
  const trace = await readTrace(config.trace);
  const totals = liveTotals(trace);
  const page = new ViewPage(config, trace, totals, view, app, status);
  await page.start();
}

class ViewPage {
  private readonly panes: HeapPane[];
  private readonly clients: HeapWorkerClient[];
  private readonly timeline: TimelineView;
  private readonly player: Player;
  private readonly eventInput: HTMLInputElement;
  private readonly lastEvent: HTMLElement;
  private readonly liveBytes: HTMLElement;
  private readonly liveBlocks: HTMLElement;
  private readonly seekTime: HTMLElement;
  private readonly paneList: HTMLElement;
  private target = 0;
  private busy = false;
  /** Each allocator's memory size over the timeline's bins. */
  private memorySizes: Float64Array[] = [];

  constructor(
    private readonly config: ViewConfig,
    private readonly trace: Trace,
    private readonly totals: LiveTotals,
    private readonly view: ViewStatus,
    app: HTMLElement,
    private readonly status: HTMLElement,
  ) {
    const scriptUrl = URL.createObjectURL(new Blob([appSource()], { type: "text/javascript" }));
    this.clients = config.allocators.map((name) => new HeapWorkerClient(name, scriptUrl));
    this.panes = config.allocators.map((name) => new HeapPane(name, LAYOUT.rowPitch));
    for (const pane of this.panes) pane.title.addEventListener("click", () => this.select(pane.allocator));
    this.timeline = new TimelineView(trace.length, (event) => this.seek(event));
    this.player = new Player(
      () => this.view.shownEvent,
      () => this.busy,
      (event) => this.seek(event),
      trace.length,
    );
    this.eventInput = element("input", {
      type: "number",
      min: "0",
      max: String(trace.length),
      value: "0",
      "aria-label": "event",
    });
    this.eventInput.addEventListener("change", () => this.seek(Number(this.eventInput.value)));
    this.lastEvent = element("span", { class: "note" });
    this.liveBytes = element("b", { "data-stat": "liveBytes" });
    this.liveBlocks = element("b", { "data-stat": "liveBlocks" });
    this.seekTime = element("span", { class: "note", "data-stat": "seekMs" });
    this.paneList = element("section", { class: "panes" }, ...this.panes.map((pane) => pane.root));
    app.append(this.controls(), this.timeline.root, this.paneList, legend());
    window.addEventListener("resize", () => this.timeline.redraw());
    window.addEventListener("hashchange", () => this.followUrl());
    document.addEventListener("keydown", (event) => this.key(event));
  }

  async start(): Promise<void> {
    const { trace, config } = this;
    this.status.textContent = `replaying ${formatCount(trace.length)} events on ${config.allocators.join(" and ")}…`;
    const bins = binCount(trace.length, TIMELINE_BINS);
    const ready = await Promise.all(
      this.clients.map((client) =>
        client.start({
          type: "start",
          allocator: client.allocator,
          heapBase: config.heapBase,
          interval: config.interval,
          bins,
          layout: LAYOUT,
          trace,
        }),
      ),
    );
    this.memorySizes = ready.map((message) => message.memorySize);
    this.timeline.draw({
      liveBytes: binMaxima(this.totals.bytes, bins),
      allocators: ready.map((message, index) => {
        const name = config.allocators[index] as string;
        return {
          name,
          color: ALLOCATOR_COLORS[name] ?? (OTHER_COLORS[index % OTHER_COLORS.length] as string),
          footprint: message.footprint,
          memorySize: message.memorySize,
        };
      }),
    });
    const recorded = ready.map(
      (message, index) =>
        `${config.allocators[index]} in ${Math.round(message.recordMs)} ms (checkpoints ${formatBytes(message.checkpointBytes)})`,
    );
    this.status.textContent = `${trace.name}: ${formatCount(trace.length)} events, replayed by ${recorded.join(", ")}`;
    this.followUrl();
  }

  /** Shows the allocator and event the address names, or the first allocator at the end of the trace. */
  private followUrl(): void {
    const state = readUrlState(location.hash);
    if (state.allocator !== null && this.config.allocators.includes(state.allocator)) this.select(state.allocator);
    else this.select(this.view.selected);
    this.seek(state.event ?? this.trace.length);
  }

  /** Puts an allocator's pane first. */
  private select(allocator: string): void {
    this.view.selected = allocator;
    for (const pane of this.panes) pane.root.classList.toggle("selected", pane.allocator === allocator);
    const first = this.panes.find((pane) => pane.allocator === allocator);
    if (first !== undefined) this.paneList.prepend(first.root);
    if (this.view.shownEvent >= 0) this.writeUrl();
  }

  /** Asks for an event; while one is on its way, only the latest asked for is shown next. */
  seek(event: number): void {
    if (!Number.isFinite(event)) return;
    this.target = Math.min(this.trace.length, Math.max(0, Math.round(event)));
    this.timeline.mark(this.target);
    if (!this.busy) void this.showTarget();
  }

  private async showTarget(): Promise<void> {
    this.busy = true;
    try {
      while (this.target !== this.view.shownEvent) {
        const event = this.target;
        const askedAt = performance.now();
        const span = this.memorySpan(event);
        const heaps = await Promise.all(this.clients.map((client) => client.seek(event, span)));
        heaps.forEach((heap, index) => {
          this.panes[index]?.show(heap);
          this.view.workerTimes[heap.allocator] = { replayMs: heap.replayMs, drawMs: heap.drawMs };
        });
        this.shown(event, performance.now() - askedAt);
      }
    } catch (error) {
      this.view.error = error instanceof Error ? error.message : String(error);
      this.status.textContent = `failed: ${this.view.error}`;
      throw error;
    } finally {
      this.busy = false;
    }
  }

  /** The largest memory of all allocators around an event, as the timeline knows it: the maps' common span. */
  private memorySpan(event: number): number {
    const bins = this.memorySizes[0]?.length ?? 0;
    if (event === 0 || bins === 0) return 0;
    const bin = binOf(event - 1, this.trace.length, bins);
    return Math.max(...this.memorySizes.map((sizes) => sizes[bin] as number));
  }

  private shown(event: number, milliseconds: number): void {
    const { trace, totals, view } = this;
    view.shownEvent = event;
    view.seekTimes.push(milliseconds);
    this.eventInput.value = String(event);
    this.lastEvent.textContent =
      event === 0 ? "before the first event" : `after event ${formatCount(event)}: ${describeEvent(trace, event - 1)}`;
    this.liveBytes.textContent = formatBytes(totals.bytes[event] as number);
    this.liveBytes.dataset.value = String(totals.bytes[event]);
    this.liveBlocks.textContent = formatCount(totals.blocks[event] as number);
    this.liveBlocks.dataset.value = String(totals.blocks[event]);
    this.seekTime.textContent = `shown in ${Math.round(milliseconds)} ms`;
    this.timeline.mark(event);
    this.writeUrl();
    document.body.dataset.shownEvent = String(event);
  }

  private writeUrl(): void {
    const hash = formatUrlState(this.view.selected, this.view.shownEvent);
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  private controls(): HTMLElement {
    const button = (label: string, title: string, action: () => void): HTMLButtonElement => {
      const node = element("button", { type: "button", title }, label);
      node.addEventListener("click", action);
      return node;
    };
    const length = this.trace.length;
    const play = button("▶ play", "play or pause (space)", () => this.player.toggle());
    this.player.onChange = (playing) => {
      play.textContent = playing ? "■ pause" : "▶ play";
    };
    const speed = element("select", { "aria-label": "speed" });
    for (const rate of PLAY_SPEEDS)
      speed.append(element("option", { value: String(rate) }, `${formatCount(rate)} events/s`));
    speed.value = String(this.player.speed);
    speed.addEventListener("change", () => {
      this.player.speed = Number(speed.value);
    });
    return element(
      "section",
      { class: "controls" },
      button("|◀", "the first event (Home)", () => this.seek(0)),
      button("◀", "one event back (←)", () => this.seek(this.view.shownEvent - 1)),
      play,
      button("▶", "one event on (→)", () => this.seek(this.view.shownEvent + 1)),
      button("▶|", "the last event (End)", () => this.seek(length)),
      element("label", {}, "event ", this.eventInput, ` of ${formatCount(length)}`),
      this.lastEvent,
      speed,
      element("span", { class: "live" }, "live: ", this.liveBytes, " in ", this.liveBlocks, " blocks"),
      this.seekTime,
    );
  }

  private key(event: KeyboardEvent): void {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
    const step = event.shiftKey ? 1000 : 1;
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.seek(this.view.shownEvent - step),
      ArrowRight: () => this.seek(this.view.shownEvent + step),
      Home: () => this.seek(0),
      End: () => this.seek(this.trace.length),
      " ": () => this.player.toggle(),
    };
    const action = actions[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  }
}

function legend(): HTMLElement {
  return element(
    "section",
    { class: "legend note" },
    element(
      "p",
      {},
      ...LEGEND_ORDER.map((kind) =>
        element(
          "span",
          { class: "key" },
          element("span", { class: "swatch", style: `background:${COLORS[kind]}` }),
          LABELS[kind],
        ),
      ),
    ),
    element(
      "p",
      {},
      "Each pixel of a map is the mix of the bytes it stands for; fragmentation = 1 − largest free block ÷ free bytes.",
    ),
  );
}
