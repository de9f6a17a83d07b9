/** How reports write figures: times in nanoseconds, sizes in binary units, ratios with a × sign. */

export function formatNanoseconds(ns: number): string {
  return ns < 100 ? ns.toFixed(1) : Math.round(ns).toLocaleString("en-US");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

export function formatRatio(ratio: number): string {
  return ratio < 10 ? `${ratio.toFixed(2)}×` : `${Math.round(ratio).toLocaleString("en-US")}×`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** A count and what it counts, in the singular for one: "1 block", "25,275 blocks". */
export function formatCountOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}
