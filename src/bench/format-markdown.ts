/**
 * The report as Markdown: a table per workload, as BENCHMARKS.md shows them, laid out as the project's formatter
 * (Biome) lays tables out, so that the output can go into the document as it is.
 */
import { describeThreads, threadsTables } from "./format-threads.js";
import { describeMachine } from "./machine.js";
import { type BenchReport, COLUMN_NOTES, columnHeadings, describeRuns, reportRows } from "./report.js";
import { describeUnavailable } from "./requirement.js";
import { verdict } from "./verdict.js";

export function formatMarkdown(report: BenchReport): string {
  const { machine } = report;
  const lines = [`${describeMachine(machine)}; ${describeRuns(report)}; ${report.date}.`, "", `\`${report.command}\``];
  for (const workload of report.workloads) {
    lines.push("", `### ${workload.name}`, "", `${capitalized(workload.description)}.`, "");
    const rows = reportRows(report, workload);
    const headings = columnHeadings(workload);
    const cells = rows.map((row) =>
      "figures" in row
        ? [row.contender, ...row.figures]
        : [row.contender, row.status, ...headings.slice(2).map(() => "")],
    );
    lines.push(...table(headings, cells));
    const reasons = rows.flatMap((row) =>
      "figures" in row ? [] : [`- ${row.contender} ${row.status}: ${row.reason}`],
    );
    if (reasons.length > 0) lines.push("", ...reasons);
  }
  if (report.threads !== undefined) {
    lines.push("", "### threads", "", `${capitalized(describeThreads(report.threads))}.`);
    for (const { title, headings, rows } of threadsTables(report.threads)) {
      lines.push("", `${title}:`, "", ...table(headings, rows));
    }
  }
  const unavailable = describeUnavailable(report.unavailable);
  if (unavailable !== null) lines.push("", unavailable);
  if (report.workloads.length > 0) lines.push("", COLUMN_NOTES.join(" "));
  const sentences = verdict(report);
  if (sentences.length > 0) lines.push("", "### Verdict", "", ...sentences.map((sentence) => `- ${sentence}`));
  return `${lines.join("\n")}\n`;
}

/** A table whose first column is aligned left and the others right, each as wide as its widest cell. */
function table(headings: string[], rows: string[][]): string[] {
  const escaped = [headings, ...rows].map((cells) => cells.map((cell) => cell.replaceAll("|", "\\|")));
  const widths = headings.map((_, column) => Math.max(3, ...escaped.map((cells) => (cells[column] ?? "").length)));
  const line = (cells: string[]): string =>
    `| ${widths.map((width, column) => (column === 0 ? (cells[column] ?? "").padEnd(width) : (cells[column] ?? "").padStart(width))).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (column === 0 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`)).join(" | ")} |`;
  const [head, ...body] = escaped as [string[], ...string[][]];
  return [line(head), rule, ...body.map(line)];
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
