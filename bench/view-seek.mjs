// How fast the page of `linmem view` reaches an event: opens a page in Debian's Chromium (headless, through
// playwright-core; LINMEM_CHROMIUM names another browser), waits until it has replayed the trace, then seeks to events
// spread over the trace in a fixed pseudo-random order by changing the page's address. It reports, as the page
// measures them: the time from asking for each event to both heap maps drawn, and within it, the slower worker's time
// to reach the event (restore a checkpoint, replay forward) and to read the heap through walk() and draw it.
//
//     npm run build && node dist/cli/main.js view TRACE --out /some/where/page.html
//     node bench/view-seek.mjs /some/where/page.html [--seeks 40]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { launchChromium } from "../scripts/chromium.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seeks: { type: "string", default: "40" } },
});
if (positionals.length !== 1) throw new Error("usage: node bench/view-seek.mjs PAGE.html [--seeks N]");
const url = pathToFileURL(resolve(positionals[0])).href;
const seeks = Number(values.seeks);

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const openedAt = performance.now();
  await page.goto(`${url}#event=0`);
  await page.waitForFunction(() => document.body.dataset.shownEvent === "0", null, { timeout: 300_000 });
  const ready = Math.round(performance.now() - openedAt);
  const length = await page.evaluate(() =>
    Number(document.querySelector("input[aria-label=event]")?.getAttribute("max")),
  );
  process.stdout.write(`${await page.textContent("#status")}\nopened and replayed in ${ready} ms\n`);

  // A linear congruential sequence: the same events on every run.
  let state = 1;
  const times = [];
  const reach = [];
  const draw = [];
  for (let seek = 0; seek < seeks; seek++) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const event = state % (length + 1);
    await page.evaluate((target) => {
      location.hash = `#event=${target}`;
    }, event);
    await page.waitForFunction((target) => document.body.dataset.shownEvent === String(target), event, {
      timeout: 60_000,
    });
    const { seekTimes, workerTimes } = await page.evaluate(() => window.linmemView);
    times.push(seekTimes.at(-1));
    reach.push(Math.max(...Object.values(workerTimes).map(({ replayMs }) => replayMs)));
    draw.push(Math.max(...Object.values(workerTimes).map(({ drawMs }) => drawMs)));
  }
  if (errors.length > 0) throw new Error(`the page raised: ${errors.join("; ")}`);
  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (share) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))]);
    return `median ${at(0.5)}, 90th percentile ${at(0.9)}, fastest ${Math.round(sorted[0])}, slowest ${Math.round(sorted.at(-1))}`;
  };
  process.stdout.write(
    `${seeks} seeks, milliseconds\n` +
      `  asking to both maps drawn   ${summary(times)}\n` +
      `  reaching the event          ${summary(reach)}\n` +
      `  reading and drawing a heap  ${summary(draw)}\n` +
      `  in order: ${times.map(Math.round).join(" ")}\n`,
  );
} finally {
  await browser.close();
}
