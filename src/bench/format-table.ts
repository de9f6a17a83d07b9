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
    const widths = columnWidths(table.filter((cells) => cells !== null));
    const line = (cells: string[]): string => tableLine(cells, widths);
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
      const widths = columnWidths([headings, ...rows]);
      lines.push("", `  ${title}`, ...[headings, ...rows].map((cells) => tableLine(cells, widths)));
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

/** The width of each column: its widest cell. */
function columnWidths(table: readonly (readonly string[])[]): number[] {
  const first = table[0] ?? [];
  return first.map((_, column) => Math.max(...table.map((cells) => cells[column]?.length ?? 0)));
}

/** A row, indented: the first cell (a name) to the left, the figures to the right. */
function tableLine(cells: readonly string[], widths: readonly number[]): string {
  const padded = cells.map((cell, column) =>
    column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number),
  );
  return `  ${padded.join("  ")}`;
}
