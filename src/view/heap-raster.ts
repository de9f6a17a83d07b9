/**
 * A heap map as pixels, for a canvas: the same picture as the SVG writer draws (to scale by address, in rows), made
 * in one pass over the blocks whatever their number. Each pixel stands for a stretch of bytes and takes the average
 * color of what lies there, weighted by bytes, so a stretch of tiny blocks shows as the mix of its used and free
 * bytes rather than as whichever block happened to be drawn last.
 */
import type { MemoryMap } from "../map/memory-map.js";
import { COLORS, type MapKind, rgb, USED_ALTERNATE } from "../map/palette.js";
import { type MapScale, mapScale } from "../map/scale.js";

export interface RasterLayout {
  /** Pixels across a row. */
  width: number;
  /** Rows at most. */
  maxRows: number;
  /** Pixels from one row's top to the next. */
  rowPitch: number;
  /** Pixels of each row that are drawn (the rest is the gap below it). */
  barHeight: number;
}

export interface HeapRaster {
  scale: MapScale;
  width: number;
  height: number;
  /** RGBA, row by row: an ImageData's data. */
  pixels: Uint8ClampedArray;
}

const KIND_RGB = Object.fromEntries(Object.entries(COLORS).map(([kind, color]) => [kind, rgb(color)])) as Record<
  MapKind,
  [number, number, number]
>;
const ALTERNATE_RGB = rgb(USED_ALTERNATE);
const TRACK_RGB: [number, number, number] = [226, 226, 226];

/**
 * Draws `map` at the scale for `span` bytes of memory, or for its own memory when that is larger: maps of several heaps
 * drawn for the same span share a scale, and can be compared address by address.
 */
export function rasterize(map: MemoryMap, layout: RasterLayout, span = 0): HeapRaster {
  const scale = mapScale(Math.max(map.memorySize, span), layout.width, layout.maxRows);
  const { bytesPerPixel } = scale;
  const cells = Math.ceil(map.memorySize / bytesPerPixel);
  // Per pixel of the map, in address order: the sum of color times bytes, and the bytes.
  const red = new Float64Array(cells);
  const green = new Float64Array(cells);
  const blue = new Float64Array(cells);
  const weight = new Float64Array(cells);
  const paint = (start: number, end: number, [r, g, b]: readonly number[]): void => {
    let cell = Math.floor(start / bytesPerPixel);
    let at = start;
    while (at < end) {
      const cellEnd = Math.min(end, (cell + 1) * bytesPerPixel);
      const bytes = cellEnd - at;
      red[cell] = (red[cell] as number) + (r as number) * bytes;
      green[cell] = (green[cell] as number) + (g as number) * bytes;
      blue[cell] = (blue[cell] as number) + (b as number) * bytes;
      weight[cell] = (weight[cell] as number) + bytes;
      at = cellEnd;
      cell++;
    }
  };
  for (const area of map.areas) paint(area.start, area.end, KIND_RGB[area.kind]);
  const { ptrs, sizes, used } = map.blocks;
  let usedNeighbours = 0;
  for (let index = 0; index < map.blocks.length; index++) {
    let color = KIND_RGB.free;
    if (used[index] === 1) color = usedNeighbours++ % 2 === 0 ? KIND_RGB.used : ALTERNATE_RGB;
    else usedNeighbours = 0;
    const ptr = ptrs[index] as number;
    paint(ptr - map.blockOverhead, ptr + (sizes[index] as number), color);
  }

  const width = layout.width;
  // Rows past the end of this heap's memory stay empty.
  const height = Math.ceil(map.memorySize / scale.rowBytes) * layout.rowPitch;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let cell = 0; cell < cells; cell++) {
    const bytes = weight[cell] as number;
    // Past the end of memory nothing is drawn; a part of a pixel left over shows the track.
    const missing = bytesPerPixel - bytes;
    if (bytes === 0) continue;
    const r = ((red[cell] as number) + TRACK_RGB[0] * missing) / bytesPerPixel;
    const g = ((green[cell] as number) + TRACK_RGB[1] * missing) / bytesPerPixel;
    const b = ((blue[cell] as number) + TRACK_RGB[2] * missing) / bytesPerPixel;
    paintColumn(pixels, width, layout, cell, r, g, b);
  }
  // A sentinel's four bytes would vanish in the average: it is marked across its row, over its pixel.
  for (const area of map.areas) {
    if (area.kind !== "sentinel") continue;
    const [r, g, b] = KIND_RGB.sentinel;
    paintColumn(pixels, width, layout, Math.floor(area.start / bytesPerPixel), r, g, b);
  }
  return { scale, width, height, pixels };
}

/** Colors the pixel of map cell `cell` down its row's bar, opaque. */
function paintColumn(
  pixels: Uint8ClampedArray,
  width: number,
  layout: RasterLayout,
  cell: number,
  r: number,
  g: number,
  b: number,
): void {
  const row = Math.floor(cell / width);
  const x = cell - row * width;
  for (let y = row * layout.rowPitch; y < row * layout.rowPitch + layout.barHeight; y++) {
    const at = (y * width + x) * 4;
    pixels[at] = r;
    pixels[at + 1] = g;
    pixels[at + 2] = b;
    pixels[at + 3] = 255;
  }
}
