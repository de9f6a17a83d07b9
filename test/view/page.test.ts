/**
 * The page `linmem view` writes, opened in a real browser: Debian's Chromium, headless, driven by playwright-core
 * (which never downloads a browser of its own). The page must replay the sample trace by itself, from `file://`,
 * without a single request beyond its own file, show the figures a replay in Node gives at the event its address
 * names, seek by a click and a drag on the timeline, and raise no error.
 */
import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_PATH, launchChromium } from "../../scripts/chromium.mjs";
import { run } from "../../src/cli/run.js";
import { MAPPABLE_ALLOCATORS } from "../../src/map/allocators.js";
import { FIGURE_LABELS } from "../../src/map/figure-labels.js";
import { mapMemory } from "../../src/map/memory-map.js";
import { LinearMemory } from "../../src/memory/linear-memory.js";
import { ReplayCursor } from "../../src/trace/cursor.js";
import { loadTrace, SAMPLE_TRACE } from "../../src/trace/load.js";
import { capturingIo } from "../cli/io.js";

const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
if (!HAS_CHROMIUM) {
  console.warn(
    `the browser test is skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set LINMEM_CHROMIUM)`,
  );
}
/** Where the test leaves its screenshot: build/ is not committed. */
const SCREENSHOTS = fileURLToPath(new URL("../../build/screenshots/", import.meta.url));

const sample = loadTrace(SAMPLE_TRACE);

/** The figures a replay in Node gives after `event` events, as the page shows them: raw value and text. */
function nodeFigures(allocator: string, event: number): Record<string, { value: string; text: string }> {
  const factory = MAPPABLE_ALLOCATORS[allocator] as (typeof MAPPABLE_ALLOCATORS)[string];
  const heap = factory(LinearMemory.create());
  new ReplayCursor(sample, heap).advanceTo(event);
  const { figures } = mapMemory(heap);
  const stats = heap.stats();
  // The map's figures are the allocator's own: stats() says the same.
  expect(figures.blocksInUse).toBe(stats.blocksInUse);
  expect(figures.footprint).toBe(stats.heapEnd - stats.heapStart);
  return Object.fromEntries(
    FIGURE_LABELS.map(({ stat, format }) => [stat, { value: String(figures[stat]), text: format(figures[stat]) }]),
  );
}

/** The figures a pane shows. */
function pageFigures(page: Page, allocator: string): Promise<Record<string, { value: string; text: string }>> {
  return page.evaluate((name) => {
    const shown: Record<string, { value: string; text: string }> = {};
    for (const element of Array.from(
      document.querySelectorAll<HTMLElement>(`[data-allocator="${name}"] [data-stat]`),
    )) {
      shown[element.dataset.stat as string] = { value: element.dataset.value ?? "", text: element.textContent ?? "" };
    }
    return shown;
  }, allocator);
}

async function shownEvent(page: Page): Promise<number> {
  return Number(await page.evaluate(() => document.body.dataset.shownEvent));
}

describe.skipIf(!HAS_CHROMIUM)("linmem view's page in Chromium", () => {
  let browser: Browser;
  let page: Page;
  let url: string;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const out = join(mkdtempSync(join(tmpdir(), "linmem-view-")), "sample.html");
    const io = capturingIo();
    expect(await run(["view", fileURLToPath(SAMPLE_TRACE), "--out", out], io)).toBe(0);
    url = pathToFileURL(out).href;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on("request", (request) => requests.push(request.url()));
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("opens at the allocator and event its address names, with the figures of a replay in Node", async () => {
    await page.goto(`${url}#allocator=buddy&event=12345`);
    await page.waitForFunction(() => document.body.dataset.shownEvent === "12345", null, { timeout: 30_000 });
    for (const allocator of ["tlsf", "buddy"]) {
      expect(await pageFigures(page, allocator)).toEqual(nodeFigures(allocator, 12_345));
    }
    // The allocator named comes first: its figures are the page's first.
    const first = await page.evaluate(() => {
      const element = document.querySelector<HTMLElement>('[data-stat="blocksInUse"]');
      return element?.closest<HTMLElement>("[data-allocator]")?.dataset.allocator;
    });
    expect(first).toBe("buddy");
    expect(await page.textContent('[data-stat="liveBlocks"]')).toMatch(/^[\d,]+$/);
  });

  it("seeks when its address changes", async () => {
    await page.evaluate(() => {
      location.hash = "#allocator=tlsf&event=777";
    });
    await page.waitForFunction(() => document.body.dataset.shownEvent === "777", null, { timeout: 30_000 });
    expect(await pageFigures(page, "tlsf")).toEqual(nodeFigures("tlsf", 777));
    expect(await page.evaluate(() => document.querySelector(".pane")?.getAttribute("data-allocator"))).toBe("tlsf");
  });

  it("seeks to the event under a click on the timeline, and follows a drag", async () => {
    const timeline = page.locator("canvas.timeline-plot");
    const box = await timeline.boundingBox();
    if (box === null) throw new Error("the timeline is not drawn");
    await timeline.click({ position: { x: box.width / 4, y: box.height / 2 } });
    await page.waitForFunction(() => document.body.dataset.shownEvent !== "777", null, { timeout: 30_000 });
    const clicked = await shownEvent(page);
    expect(Math.abs(clicked - sample.length / 4)).toBeLessThan(sample.length / 100);
    expect(await pageFigures(page, "tlsf")).toEqual(nodeFigures("tlsf", clicked));
    expect(await page.evaluate(() => location.hash)).toBe(`#allocator=tlsf&event=${clicked}`);

    await page.mouse.move(box.x + box.width / 4, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const dragged = Math.round(((box.width * 0.6) / box.width) * sample.length);
    await page.waitForFunction(
      (target) => Math.abs(Number(document.body.dataset.shownEvent) - target) < target / 100,
      dragged,
      { timeout: 30_000 },
    );
    const event = await shownEvent(page);
    expect(await pageFigures(page, "buddy")).toEqual(nodeFigures("buddy", event));
  });

  it("plays and pauses", async () => {
    const before = await shownEvent(page);
    await page.getByRole("button", { name: "▶ play" }).click();
    await page.waitForFunction((start) => Number(document.body.dataset.shownEvent) > start + 100, before, {
      timeout: 30_000,
    });
    await page.getByRole("button", { name: "■ pause" }).click();
    // A seek on its way when the pause came may still land; after it, the event stays.
    await page.waitForTimeout(300);
    const paused = await shownEvent(page);
    await page.waitForTimeout(500);
    expect(await shownEvent(page)).toBe(paused);
    expect(paused).toBeLessThan(sample.length);
    expect(await page.getByRole("button", { name: "▶ play" }).count()).toBe(1);
  });

  it("made no request beyond its own file, and raised no error", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "view-sample.png"), fullPage: true });
    // The heap workers run the page's own script, from blob: addresses made in memory: no request leaves the page.
    const outside = requests.filter((request) => request.split("#")[0] !== url && !request.startsWith("blob:null/"));
    expect(outside).toEqual([]);
    expect(requests.filter((request) => request.startsWith("blob:"))).toHaveLength(2);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => window.linmemView?.error)).toBeNull();
  });
});
