/**
 * A heap map as an SVG picture, written as text: the whole linear memory to scale by address, wrapped in rows, with
 * a legend and the heap's figures. Tools can read it as well as people: every block drawn alone is a `path` with
 * `data-ptr`, `data-size` (as `walk()` reports them) and `data-state` ("used" or "free"); every other stretch of
 * memory has `data-area`, `data-start` and `data-end`; each figure has `data-stat`.
 *
 * A heap of more blocks than ELEMENT_BUDGET would make a file too large to open comfortably, so tiny blocks are then
 * drawn in runs (see block-runs.ts): each run is a `path` with `data-start`, `data-end`, `data-blocks`,
 * `data-used-blocks` and `data-used-bytes`, and the picture says so under its title. The same map always gives the
 * same bytes.
 */
import { formatBytes, formatCount } from "../bench/units.js";
import { escapeMarkup } from "../markup.js";
import { blockRunsWithin, type DrawnBlocks } from "./block-runs.js";
import { FIGURE_LABELS } from "./figure-labels.js";
import type { Area, MemoryMap } from "./memory-map.js";
import { COLORS, LABELS, LEGEND_ORDER, type MapKind, USED_ALTERNATE, usedShareColor } from "./palette.js";
import { type MapScale, mapScale, rowSpans } from "./scale.js";

/** Elements for the blocks, at most: a block takes about 85 bytes and a run about 135, so the file stays under 1 MB. */
export const ELEMENT_BUDGET = 7_000;

const ROW_WIDTH = 1024;
const MAX_ROWS = 48;
const MAP_LEFT = 92;
const WIDTH = MAP_LEFT + ROW_WIDTH + 20;
const MAP_TOP = 72;
const ROW_PITCH = 16;
const BAR_HEIGHT = 12;
/** Shades for runs of blocks, by the share of their bytes in use: run 0 is below 20%, run 4 at 80% or more. */
const RUN_SHADES = 5;

export interface SvgCaption {
  /** The first line: what the picture shows. */
  title: string;
  /** A last line in small print, such as the command that drew it. */
  footer?: string;
}

export function heapMapSvg(map: MemoryMap, caption: SvgCaption): string {
  const scale = mapScale(map.memorySize, ROW_WIDTH, MAX_ROWS);
  const { threshold, drawn } = blockRunsWithin(map, ELEMENT_BUDGET, scale.bytesPerPixel);
  const runs = drawn.filter((item) => item.kind === "run").length;
  const mapBottom = MAP_TOP + scale.rows * ROW_PITCH;

  const kinds = new Set<MapKind>(map.areas.map((area) => area.kind));
  if (map.figures.blocksInUse > 0) kinds.add("used");
  if (map.figures.freeBlocks > 0) kinds.add("free");
  const legendTop = mapBottom + 22;
  const legend = legendItems(kinds, runs > 0, legendTop);
  const figuresTop = legend.bottom + 26;
  const figures = figureLines(map, figuresTop);
  const footerY = figures.bottom + 20;
  const height = footerY + (caption.footer === undefined ? 0 : 14);

  const summary = `${formatBytes(map.memorySize)} of memory in ${scale.rows} rows of ${formatBytes(scale.rowBytes)}, 1 px = ${formatBytes(scale.bytesPerPixel)}; ${formatCount(map.blocks.length)} blocks`;
  const runNote =
    runs === 0
      ? ", each drawn alone"
      : `: those under ${formatBytes(threshold)} drawn in ${formatCount(runs)} runs (data-blocks), shaded by the share in use`;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif" role="img">`,
    `<title>${escapeMarkup(caption.title)}</title>`,
    "<style>",
    ".title{font-size:16px;font-weight:600}.note{font-size:11px;fill:#555}.address{font-size:10px;fill:#777;font-family:ui-monospace,monospace}",
    ".label{font-size:12px}.value{font-size:12px;font-weight:600}",
    `.map path{stroke-width:${BAR_HEIGHT};fill:none}.track{stroke:#e2e2e2}`,
    `[data-state=used]{stroke:${COLORS.used}}.blocks>[data-state=used]:nth-child(even){stroke:${USED_ALTERNATE}}[data-state=free]{stroke:${COLORS.free}}`,
    ...areaStyles(),
    ...runStyles(),
    `.map path[data-area=sentinel]{stroke-width:2;stroke:${COLORS.sentinel}}`,
    "</style>",
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    text(16, 26, caption.title, "title"),
    text(16, 46, `${summary}${runNote}.`, "note"),
    `<g class="map">`,
    `<path class="track" d="${trackPath(scale, map.memorySize)}"/>`,
    `<g class="areas">`,
    ...map.areas.map((area) => areaElement(area, scale)),
    "</g>",
    `<g class="blocks">`,
    ...drawn.map((item) => blockElement(item, scale)),
    "</g>",
    "</g>",
    ...rowLabels(scale),
    ...legend.elements,
    ...figures.elements,
    ...(caption.footer === undefined ? [] : [text(16, footerY, caption.footer, "note")]),
    "</svg>",
    "",
  ].join("\n");
}

/** The centre line of a row's bar. */
function rowY(row: number): number {
  return MAP_TOP + row * ROW_PITCH + BAR_HEIGHT / 2;
}

/** A path through the rows `start .. end` crosses: one horizontal stroke per row. */
function spanPath(scale: MapScale, start: number, end: number): string {
  return rowSpans(scale, start, end)
    .map(({ row, x, width }) => `M${number(MAP_LEFT + x)} ${rowY(row)}h${number(width)}`)
    .join("");
}

/** Grey behind every row, up to the end of memory: what shows between blocks is the track. */
function trackPath(scale: MapScale, memorySize: number): string {
  return spanPath(scale, 0, memorySize);
}

function areaElement(area: Area, scale: MapScale): string {
  const attributes = `data-area="${area.kind}" data-start="${area.start}" data-end="${area.end}"`;
  if (area.kind === "sentinel") {
    // Four bytes are too few to see at any useful scale: a sentinel is marked by a line across its row.
    const [span] = rowSpans(scale, area.start, area.end);
    const { row, x } = span as { row: number; x: number };
    return `<path ${attributes} d="M${number(MAP_LEFT + x)} ${rowY(row) - BAR_HEIGHT / 2 - 2}v${BAR_HEIGHT + 4}"/>`;
  }
  return `<path ${attributes} d="${spanPath(scale, area.start, area.end)}"/>`;
}

function blockElement(item: DrawnBlocks, scale: MapScale): string {
  const d = spanPath(scale, item.start, item.end);
  if (item.kind === "block") {
    const { ptr, size, used } = item.block;
    return `<path data-ptr="${ptr}" data-size="${size}" data-state="${used ? "used" : "free"}" d="${d}"/>`;
  }
  const share = item.usedBytes / (item.end - item.start);
  const shade = Math.min(RUN_SHADES - 1, Math.floor(share * RUN_SHADES));
  return (
    `<path class="run${shade}" data-start="${item.start}" data-end="${item.end}" data-blocks="${item.blocks}" ` +
    `data-used-blocks="${item.usedBlocks}" data-used-bytes="${item.usedBytes}" d="${d}"/>`
  );
}

function areaStyles(): string[] {
  return LEGEND_ORDER.filter((kind) => kind !== "used" && kind !== "free").map(
    (kind) => `[data-area=${kind}]{stroke:${COLORS[kind]}}`,
  );
}

function runStyles(): string[] {
  const styles: string[] = [];
  for (let shade = 0; shade < RUN_SHADES; shade++) {
    styles.push(`.run${shade}{stroke:${usedShareColor((shade + 0.5) / RUN_SHADES)}}`);
  }
  return styles;
}

function rowLabels(scale: MapScale): string[] {
  const labels: string[] = [];
  for (let row = 0; row < scale.rows; row++) {
    const address = `0x${(row * scale.rowBytes).toString(16).padStart(8, "0")}`;
    labels.push(text(MAP_LEFT - 8, rowY(row) + 3.5, address, "address", "end"));
  }
  return labels;
}

interface Placed {
  elements: string[];
  bottom: number;
}

/** A swatch and a name for each kind the picture shows, in rows across the width. */
function legendItems(kinds: ReadonlySet<MapKind>, hasRuns: boolean, top: number): Placed {
  const items: { swatch: string; label: string }[] = LEGEND_ORDER.filter((kind) => kinds.has(kind)).map((kind) => ({
    swatch: COLORS[kind],
    label: LABELS[kind],
  }));
  if (hasRuns) items.push({ swatch: usedShareColor(0.5), label: "run of small blocks, darker as more is in use" });
  const elements: string[] = [];
  let x = 16;
  let y = top;
  for (const { swatch, label } of items) {
    const width = 24 + label.length * 6.5;
    if (x + width > WIDTH - 16) {
      x = 16;
      y += 20;
    }
    elements.push(
      `<rect x="${x}" y="${y - 10}" width="14" height="12" fill="${swatch}" stroke="#888" stroke-width="0.5"/>`,
      text(x + 20, y, label, "label"),
    );
    x += width + 14;
  }
  return { elements, bottom: y };
}

/** The figures, in two columns, each value in an element named by its `data-stat`. */
function figureLines(map: MemoryMap, top: number): Placed {
  const elements: string[] = [text(16, top, "figures", "value")];
  const perColumn = Math.ceil(FIGURE_LABELS.length / 2);
  FIGURE_LABELS.forEach(({ stat, label, format }, index) => {
    const x = 16 + Math.floor(index / perColumn) * 360;
    const y = top + 20 + (index % perColumn) * 18;
    elements.push(
      `<text x="${x}" y="${y}" class="label">${escapeMarkup(label)}</text>`,
      `<text x="${x + 160}" y="${y}" class="value" data-stat="${stat}">${escapeMarkup(format(map.figures[stat]))}</text>`,
    );
  });
  const bottom = top + 20 + (perColumn - 1) * 18 + 18;
  elements.push(
    text(
      16,
      bottom,
      "fragmentation = 1 − largest free block ÷ free bytes; footprint = highest byte in use − heap base",
      "note",
    ),
  );
  return { elements, bottom };
}

function text(x: number, y: number, content: string, style: string, anchor = "start"): string {
  const anchorAttribute = anchor === "start" ? "" : ` text-anchor="${anchor}"`;
  return `<text x="${number(x)}" y="${number(y)}" class="${style}"${anchorAttribute}>${escapeMarkup(content)}</text>`;
}

/** A coordinate with at most two decimals, written the same way on every run. */
function number(value: number): string {
  return String(Math.round(value * 100) / 100);
}
