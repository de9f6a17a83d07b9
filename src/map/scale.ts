/**
 * How a map lays memory out: to scale by address, in rows of equal width read left to right, top to bottom. A pixel
 * holds a power of two of bytes, the fewest that fit the whole memory in the rows allowed, so that every row starts at
 * a round address and the same memory always gets the same scale.
 */

export interface MapScale {
  /** Bytes one pixel stands for: a power of two. */
  bytesPerPixel: number;
  /** Pixels in a row. */
  rowWidth: number;
  /** Bytes in a row: rowWidth * bytesPerPixel. */
  rowBytes: number;
  /** Rows the memory takes. */
  rows: number;
}

/** The scale for `memorySize` bytes in rows of `rowWidth` pixels, at most `maxRows` of them. */
export function mapScale(memorySize: number, rowWidth: number, maxRows: number): MapScale {
  let bytesPerPixel = 1;
  while (Math.ceil(memorySize / (rowWidth * bytesPerPixel)) > maxRows) bytesPerPixel *= 2;
  const rowBytes = rowWidth * bytesPerPixel;
  return { bytesPerPixel, rowWidth, rowBytes, rows: Math.max(1, Math.ceil(memorySize / rowBytes)) };
}

/** One row's part of a stretch of memory: the row, and the pixels from `x` (fractional) for `width`. */
export interface RowSpan {
  row: number;
  x: number;
  width: number;
}

/** The pieces of `start .. end` in each row it crosses, in order. */
export function rowSpans(scale: MapScale, start: number, end: number): RowSpan[] {
  const spans: RowSpan[] = [];
  const { rowBytes, bytesPerPixel } = scale;
  let at = start;
  while (at < end) {
    const row = Math.floor(at / rowBytes);
    const rowEnd = Math.min(end, (row + 1) * rowBytes);
    spans.push({ row, x: (at - row * rowBytes) / bytesPerPixel, width: (rowEnd - at) / bytesPerPixel });
    at = rowEnd;
  }
  return spans;
}
