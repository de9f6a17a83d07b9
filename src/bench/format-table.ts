/** The report as plain text tables, for a terminal. */

import { describeThreads, threadsTables } from "./format-threads.js";
import { describeMachine } from "./machine.js";
import { type BenchReport, COLUMN_NOTES, columnHeadings, describeRuns, reportRows } from "./report.js";
import { describeUnavailable } from "./requirement.js";
import { verdict } from "./verdict.js";
import { wrapText } from "./wrap.js";

export function formatTable(report: BenchReport): string {
  const { machine } = report;
  const lines = [`linmem bench: ${describeRuns(report)}; ${describeMachine(machine)}`];
  for (const workload of report.workloads) {
    lines.push("", `${workload.name}: ${workload.description}`, "");
    const headings = columnHeadings(workload);
    const rows = reportRows(report, workload);
    const table = [headings, ...rows.map((row) => ("figures" in row ? [row.contender, ...row.figures] : null))];
    const widths = headings.map((_, column) =>
      Math.max(...table.map((cells) => (cells === null ? 0 : (cells[column] as string).length))),
    );
    const line = (cells: string[]): string =>
      `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number))).join("  ")}`;
    lines.push(line(headings));
    for (const row of rows) {
      lines.push(
        "figures" in row
          ? line([row.contender, ...row.figures])
          : `  ${row.contender.padEnd(widths[0] as number)}  ${row.status}: ${row.reason}`,
      );
    }
  }
  if (report.threads !== undefined) {
    lines.push("", `threads: ${describeThreads(report.threads)}`);
    for (const { title, headings, rows } of threadsTables(report.threads)) {
      const widths = headings.map((_, column) =>
        Math.max(...[headings, ...rows].map((cells) => cells[column]?.length ?? 0)),
      );
      const line = (cells: string[]): string =>
        `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number))).join("  ")}`;
      lines.push("", `  ${title}`, line(headings), ...rows.map(line));
    }
  }
  const unavailable = describeUnavailable(report.unavailable);
  if (unavailable !== null) lines.push("", unavailable);
  if (report.workloads.length > 0) lines.push("", ...COLUMN_NOTES);
  const sentences = verdict(report);
  if (sentences.length > 0) {
    lines.push("", "Verdict, from these figures:");
    for (const sentence of sentences) lines.push(...wrapText(`- ${sentence}`, 116, "  "));
  }
  return `${lines.join("\n")}\n`;
}
