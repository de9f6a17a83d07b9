/** The free blocks of a heap by size, one bar per power of two, on a canvas. */
import { formatBytes, formatCountOf } from "../../bench/units.js";
import { type FreeSizes, SIZE_CLASSES } from "../../map/free-sizes.js";
import { COLORS } from "../../map/palette.js";

const WIDTH = 512;
const HEIGHT = 120;
const AXIS = 18;
/** Classes shown: from 8 B (2^3: the smallest free TLSF block has 12 usable bytes) up to 2 GiB (2^31). */
const FIRST_CLASS = 3;

export function drawHistogram(canvas: HTMLCanvasElement, sizes: FreeSizes): void {
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  const context = canvas.getContext("2d") as CanvasRenderingContext2D;
  context.clearRect(0, 0, WIDTH, HEIGHT);
  const classes = SIZE_CLASSES - FIRST_CLASS;
  const barWidth = WIDTH / classes;
  let largest = 0;
  for (let k = FIRST_CLASS; k < SIZE_CLASSES; k++) largest = Math.max(largest, sizes.counts[k] ?? 0);
  context.font = "10px system-ui, sans-serif";
  context.fillStyle = "#666";
  context.fillText(largest === 0 ? "no free block" : `the tallest bar: ${formatCountOf(largest, "block")}`, 2, 10);
  for (let k = FIRST_CLASS; k < SIZE_CLASSES; k++) {
    const count = sizes.counts[k] ?? 0;
    const x = (k - FIRST_CLASS) * barWidth;
    if (count > 0) {
      // A square-root scale, so that a single large block still shows beside thousands of small ones.
      const height = Math.max(1, Math.sqrt(count / largest) * (HEIGHT - AXIS - 14));
      context.fillStyle = COLORS.free;
      context.fillRect(x + 1, HEIGHT - AXIS - height, barWidth - 2, height);
      context.strokeStyle = "#5a9c55";
      context.strokeRect(x + 1.5, HEIGHT - AXIS - height + 0.5, barWidth - 3, height - 1);
    }
    if ((k - FIRST_CLASS) % 4 === 1) {
      context.fillStyle = "#666";
      context.fillText(formatBytes(2 ** k).replace(".0", ""), x + 1, HEIGHT - 5);
    }
  }
}
