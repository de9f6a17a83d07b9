/**
 * The page `linmem view` writes: one HTML file that needs nothing else. The script (the library's allocators and the
 * page's app, bundled when the package is built) and the trace (gzip-compressed, in base64) are inside it, and its
 * content security policy forbids every request, so it works from `file://`, offline, and can reach no server.
 */
import { gzipSync } from "node:zlib";
import { escapeMarkup } from "../markup.js";
import { formatTrace } from "../trace/format.js";
import type { Trace } from "../trace/trace.js";
import { APP_ELEMENT, CONFIG_ELEMENT, TRACE_ELEMENT, type ViewConfig } from "./embedding.js";
import { APP_BUNDLE } from "./generated/app-bundle.js";

/**
 * Events between the page's checkpoints: the most a seek replays, some milliseconds of work; each checkpoint keeps a
 * few bytes per block of the heap.
 */
export const CHECKPOINT_INTERVAL = 2 ** 17;

export interface ViewPageOptions {
  trace: Trace;
  allocators: readonly string[];
  heapBase: number;
  /** The command that wrote the page, shown at its foot. */
  command: string;
}

export function viewPage({ trace, allocators, heapBase, command }: ViewPageOptions): string {
  const config: ViewConfig = {
    trace: trace.name,
    allocators: [...allocators],
    heapBase,
    interval: CHECKPOINT_INTERVAL,
    command,
  };
  const compressed = gzipSync(formatTrace(trace), { level: 9 }).toString("base64");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; worker-src blob:; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>linmem view: ${escapeMarkup(trace.name)}</title>
<style>
${STYLE}
</style>
</head>
<body>
<header>
<h1>${escapeMarkup(trace.name)} <span class="note">on ${escapeMarkup(allocators.join(" and "))}</span></h1>
<p id="status" class="note">loading…</p>
</header>
<main id="app"></main>
<footer class="note">${escapeMarkup(command)}</footer>
<script type="application/json" id="${CONFIG_ELEMENT}">${JSON.stringify(config).replaceAll("<", "\\u003c")}</script>
<script type="application/octet-stream" id="${TRACE_ELEMENT}">${compressed}</script>
<script id="${APP_ELEMENT}">${scriptText(APP_BUNDLE)}</script>
</body>
</html>
`;
}

const STYLE = `
body{font:14px system-ui,sans-serif;margin:16px 24px;color:#222;background:#fff}
h1{font-size:18px;margin:0 0 4px}h2{font-size:15px;margin:0 0 8px}h3{font-size:13px;margin:12px 0 4px}
.note{color:#666;font-size:12px}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:12px 0}
.controls input{width:8em}
.controls button,.controls select{font:inherit}
.timeline .plot{position:relative}
.timeline-plot{width:100%;height:150px;display:block;cursor:crosshair;touch-action:none;border:1px solid #ddd}
.marker{position:absolute;top:0;bottom:0;width:2px;margin-left:-1px;background:#111;pointer-events:none}
.key{display:inline-flex;align-items:center;gap:4px;margin-right:14px}
.swatch{display:inline-block;width:12px;height:12px;border:1px solid #888}
.panes{display:flex;flex-wrap:wrap;gap:24px;margin-top:16px}
.pane{flex:1 1 520px;max-width:560px;border:1px solid #ddd;padding:10px;border-radius:4px}
.pane.selected{border-color:#333;box-shadow:0 0 0 1px #333}
.pane-title{font:inherit;font-weight:600;border:none;background:none;padding:0;cursor:pointer}
.heap-map,.histogram{width:100%;display:block;background:#fafafa}.heap-map{image-rendering:pixelated}
.pointed{min-height:1.3em;margin:4px 0}
.figures{display:grid;grid-template-columns:max-content max-content;gap:2px 16px;margin:8px 0}
.figures dt{color:#555}.figures dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.legend{margin-top:16px}
footer{margin-top:16px;font-family:ui-monospace,monospace}
`;

/**
 * A script made safe to inline: nothing in it can end the element early. The bundle writes these sequences only inside
 * strings, where the escaped forms mean the same.
 */
function scriptText(script: string): string {
  return script.replace(/<\/(script)/gi, "<\\/$1").replaceAll("<!--", "<\\!--");
}
