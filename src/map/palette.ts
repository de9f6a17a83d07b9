/** The colors and names of what a map shows, the same in the SVG picture and in the page's canvas. */
import type { AreaKind } from "./memory-map.js";

export type MapKind = AreaKind | "used" | "free";

export const COLORS: Record<MapKind, string> = {
  used: "#3569b0",
  free: "#9fd89a",
  null: "#3a3a3a",
  static: "#e4ae45",
  header: "#6d2f94",
  state: "#b387d8",
  bitmap: "#d77fc0",
  sentinel: "#c62828",
  foreign: "#a3a3a3",
  spare: "#f3f3f3",
};

/** Used blocks next to each other alternate with this shade, so that each can be told from the next. */
export const USED_ALTERNATE = "#5a8ed6";

export const LABELS: Record<MapKind, string> = {
  used: "used block",
  free: "free block",
  null: "null reserve",
  static: "static data",
  header: "heap header",
  state: "allocator state",
  bitmap: "buddy bitmap",
  sentinel: "region sentinel",
  foreign: "not the heap's",
  spare: "spare memory",
};

/** The order a legend lists them in. */
export const LEGEND_ORDER: readonly MapKind[] = [
  "used",
  "free",
  "null",
  "static",
  "header",
  "state",
  "bitmap",
  "sentinel",
  "foreign",
  "spare",
];

/** The color between free (share 0) and used (share 1): a run of blocks by the share of its bytes in use. */
export function usedShareColor(share: number): string {
  const [fr, fg, fb] = rgb(COLORS.free);
  const [ur, ug, ub] = rgb(COLORS.used);
  const mix = (from: number, to: number): string =>
    Math.round(from + (to - from) * share)
      .toString(16)
      .padStart(2, "0");
  return `#${mix(fr, ur)}${mix(fg, ug)}${mix(fb, ub)}`;
}

/** The red, green and blue of a "#rrggbb" color, 0 to 255. */
export function rgb(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [value >>> 16, (value >>> 8) & 0xff, value & 0xff];
}
