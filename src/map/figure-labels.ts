/** How a map's figures are named and written, the same in the SVG picture and in the page. */
import { formatBytes, formatCount } from "../bench/units.js";
import type { HeapFigures } from "./memory-map.js";

export interface FigureLabel {
  /** The figure, also the `data-stat` name of the element that shows it. */
  stat: keyof HeapFigures;
  label: string;
  format(value: number): string;
}

export const FIGURE_LABELS: readonly FigureLabel[] = [
  { stat: "blocksInUse", label: "blocks in use", format: formatCount },
  { stat: "bytesInUse", label: "bytes in use", format: formatBytes },
  { stat: "footprint", label: "footprint", format: formatBytes },
  { stat: "memorySize", label: "memory size", format: formatBytes },
  { stat: "freeBlocks", label: "free blocks", format: formatCount },
  { stat: "freeBytes", label: "free bytes", format: formatBytes },
  { stat: "largestFree", label: "largest free block", format: formatBytes },
  { stat: "fragmentation", label: "fragmentation", format: formatShare },
];

/** A share from 0 to 1 as a percentage with one decimal: "12.5%". */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
