/** The report as Markdown: a table per workload, as BENCHMARKS.md shows them. */
import { describeMachine } from "./machine.js";
import { type BenchReport, COLUMN_NOTES, columnHeadings, describeRuns, reportRows } from "./report.js";

export function formatMarkdown(report: BenchReport): string {
  const { machine } = report;
  const lines = [`${describeMachine(machine)}; ${describeRuns(report)}; ${report.date}.`, "", `\`${report.command}\``];
  for (const workload of report.workloads) {
    const headings = columnHeadings(workload);
    lines.push("", `### ${workload.name}`, "", `${capitalized(workload.description)}.`, "");
    lines.push(row(headings), row(headings.map((_, column) => (column === 0 ? "---" : "---:"))));
    for (const entry of reportRows(report, workload)) {
      lines.push("figures" in entry ? row([entry.contender, ...entry.figures]) : row([entry.contender, entry.note]));
    }
  }
  if (report.unavailable.length > 0) lines.push("", ...report.unavailable.map(({ reason }) => `${reason}.`));
  lines.push("", COLUMN_NOTES.join(" "));
  return `${lines.join("\n")}\n`;
}

function row(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replaceAll("|", "\\|")).join(" | ")} |`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
