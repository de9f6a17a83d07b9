/** The report as JSON: every figure, unrounded, for other programs. */
import type { BenchReport } from "./report.js";

export function formatJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
