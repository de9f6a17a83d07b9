/**
 * The report as a picture: an SVG chart, written as text, with no browser or library. For each workload, a row per
 * allocator: on the left its time per operation (log scale; the bar is the median, the line spans the fastest and
 * slowest run), on the right its footprint as a multiple of the peak live bytes (the light bar is the memory's size).
 */

import { escapeMarkup } from "../markup.js";
import { describeMachine } from "./machine.js";
import { type BenchReport, describeRuns } from "./report.js";
import type { PairResult } from "./runner.js";
import { formatCount, formatNanoseconds, formatRatio } from "./units.js";

const WIDTH = 1000;
const LABEL_X = 16;
const TIME_LEFT = 130;
const TIME_WIDTH = 430;
const FOOTPRINT_LEFT = 600;
const FOOTPRINT_WIDTH = 220;
const ROW_HEIGHT = 22;
const BAR_HEIGHT = 12;
const WORKLOAD_HEADING = 30;
const WORKLOAD_GAP = 12;
const TOP = 104;
/** Footprints beyond this multiple of live bytes are drawn cut off, with their figure written out. */
const LARGEST_RATIO = 4;

/** Colors for the allocators, in the order the report lists them. */
const PALETTE = ["#1f77b4", "#2ca02c", "#17becf", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

export function formatChart(report: BenchReport): string {
  const colors = new Map(report.contenders.map(({ name }, index) => [name, PALETTE[index % PALETTE.length]]));
  const measured = report.results.filter((result) => result.time !== null);
  const time = logScale(
    measured.map((result) => result.time?.min ?? 1),
    measured.map((result) => result.time?.max ?? 1),
  );
  const ratios = measured.flatMap(({ footprint }) =>
    footprint === null || footprint.peakLiveBytes === 0
      ? []
      : [footprint.peakFootprint, footprint.memorySize].flatMap((bytes) =>
          bytes === null ? [] : [bytes / footprint.peakLiveBytes],
        ),
  );
  const ratioTop = Math.min(LARGEST_RATIO, Math.max(2, Math.ceil(Math.max(0, ...ratios))));
  const ratioX = (ratio: number): number => FOOTPRINT_LEFT + (Math.min(ratio, ratioTop) / ratioTop) * FOOTPRINT_WIDTH;

  const body: string[] = [];
  let y = TOP;
  for (const workload of report.workloads) {
    body.push(
      `<text x="${LABEL_X}" y="${y + 18}"><tspan class="heading">${escapeMarkup(workload.name)}</tspan>` +
        `<tspan class="note" dx="8">time per ${escapeMarkup(workload.operation)}</tspan></text>`,
    );
    y += WORKLOAD_HEADING;
    for (const result of report.results.filter((entry) => entry.workload === workload.name)) {
      const color = colors.get(result.contender) ?? "#444";
      const middle = y + ROW_HEIGHT / 2;
      body.push(text(LABEL_X, middle + 4, result.contender, "label"));
      body.push(...(result.time === null ? missingFigures(result, middle) : figures(result, middle, color)));
      y += ROW_HEIGHT;
    }
    y += WORKLOAD_GAP;
  }
  const bottom = y;

  function figures(result: PairResult, middle: number, color: string): string[] {
    const { median, min, max } = result.time as NonNullable<PairResult["time"]>;
    const parts = [
      rect(TIME_LEFT, middle - BAR_HEIGHT / 2, time.x(median) - TIME_LEFT, BAR_HEIGHT, color),
      line(time.x(min), middle, time.x(max), middle, "whisker"),
      line(time.x(min), middle - 4, time.x(min), middle + 4, "whisker"),
      line(time.x(max), middle - 4, time.x(max), middle + 4, "whisker"),
      text(Math.max(time.x(max), time.x(median)) + 6, middle + 4, formatNanoseconds(median), "value"),
    ];
    const footprint = result.footprint;
    if (footprint === null || footprint.peakFootprint === null || footprint.peakLiveBytes === 0) {
      parts.push(text(FOOTPRINT_LEFT, middle + 4, "no linear memory", "note"));
      return parts;
    }
    const live = footprint.peakLiveBytes;
    const used = footprint.peakFootprint / live;
    let label = formatRatio(used);
    if (footprint.memorySize !== null) {
      const memory = footprint.memorySize / live;
      parts.push(...ratioBar(memory, middle, color, 0.3));
      label += `, memory ${formatRatio(memory)}`;
    }
    parts.push(...ratioBar(used, middle, color, 1));
    parts.push(text(FOOTPRINT_LEFT + FOOTPRINT_WIDTH + 6, middle + 4, label, "value"));
    return parts;
  }

  /** A bar of the footprint panel; one cut off at the scale's end gets a break mark across it. */
  function ratioBar(ratio: number, middle: number, color: string, opacity: number): string[] {
    const parts = [
      rect(FOOTPRINT_LEFT, middle - BAR_HEIGHT / 2, ratioX(ratio) - FOOTPRINT_LEFT, BAR_HEIGHT, color, opacity),
    ];
    if (ratio > ratioTop) {
      const end = ratioX(ratioTop);
      parts.push(
        line(end - 14, middle + 8, end - 10, middle - 8, "cut"),
        line(end - 9, middle + 8, end - 5, middle - 8, "cut"),
      );
    }
    return parts;
  }

  const grid: string[] = [];
  for (const tick of time.ticks) {
    const x = time.x(tick);
    grid.push(line(x, TOP - 6, x, bottom, "grid"), text(x, TOP - 10, formatCount(tick), "tick", "middle"));
  }
  for (let ratio = 0; ratio <= ratioTop; ratio++) {
    const x = ratioX(ratio);
    grid.push(
      line(x, TOP - 6, x, bottom, ratio === 1 ? "one" : "grid"),
      text(x, TOP - 10, `${ratio}×`, "tick", "middle"),
    );
  }
  const { machine } = report;
  const height = bottom + 34;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" role="img">`,
    `<title>linmem bench: time per operation and footprint, per allocator</title>`,
    "<style>",
    ".title{font-size:16px;font-weight:600}.heading{font-size:13px;font-weight:600}.label{font-size:12px}",
    ".value{font-size:11px;fill:#333}.note{font-size:11px;fill:#777}.tick{font-size:10px;fill:#777}",
    ".failed{font-size:11px;fill:#c00}.grid{stroke:#e4e4e4}.one{stroke:#999;stroke-dasharray:3 3}",
    ".whisker{stroke:#222;stroke-width:1.2}.cut{stroke:#fff;stroke-width:2}",
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(LABEL_X, 26, "linmem bench: time per operation and footprint, per allocator", "title"),
    text(LABEL_X, 46, `${describeMachine(machine)}; ${describeRuns(report)}; medians; ${report.date}`, "note"),
    text(TIME_LEFT, 76, "time per operation, ns (log scale): bar median, line fastest to slowest run", "label"),
    text(FOOTPRINT_LEFT, 76, "footprint ÷ peak live bytes (light: memory size)", "label"),
    ...grid,
    ...body,
    text(LABEL_X, height - 12, report.command, "tick"),
    "</svg>",
    "",
  ].join("\n");
}

/** Where a contender without figures says why. */
function missingFigures(result: PairResult, middle: number): string[] {
  const reason = `${result.status}: ${result.reason ?? ""}`;
  const shortened = reason.length > 110 ? `${reason.slice(0, 109)}…` : reason;
  return [text(TIME_LEFT, middle + 4, shortened, result.status === "failed" ? "failed" : "note")];
}

interface LogScale {
  x(value: number): number;
  /** Powers of ten across the scale. */
  ticks: number[];
}

/** A log scale over the time panel, from the power of ten below the smallest value to the one above the largest. */
function logScale(smallest: number[], largest: number[]): LogScale {
  const low = Math.floor(Math.log10(Math.max(Math.min(1000, ...smallest), 0.1)));
  let high = Math.ceil(Math.log10(Math.max(1, ...largest)));
  if (high <= low) high = low + 1;
  const ticks: number[] = [];
  for (let power = low; power <= high; power++) ticks.push(10 ** power);
  return {
    x: (value) => TIME_LEFT + ((Math.log10(Math.max(value, 10 ** low)) - low) / (high - low)) * TIME_WIDTH,
    ticks,
  };
}

function text(x: number, y: number, content: string, style: string, anchor = "start"): string {
  const anchorAttribute = anchor === "start" ? "" : ` text-anchor="${anchor}"`;
  return `<text x="${round(x)}" y="${round(y)}" class="${style}"${anchorAttribute}>${escapeMarkup(content)}</text>`;
}

function rect(x: number, y: number, width: number, height: number, fill: string, opacity = 1): string {
  const opacityAttribute = opacity === 1 ? "" : ` fill-opacity="${opacity}"`;
  return `<rect x="${round(x)}" y="${round(y)}" width="${round(Math.max(width, 1))}" height="${height}" fill="${fill}"${opacityAttribute}/>`;
}

function line(x1: number, y1: number, x2: number, y2: number, style: string): string {
  return `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" class="${style}"/>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
