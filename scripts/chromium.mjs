// Debian's Chromium, headless, as the browser test and bench/view-seek.mjs open it: playwright-core drives it and never
// downloads a browser of its own. LINMEM_CHROMIUM names another browser.
import { chromium } from "playwright-core";

/** Where the browser is. */
export const CHROMIUM_PATH = process.env.LINMEM_CHROMIUM ?? "/usr/bin/chromium";

/** Starts the browser without the services that would reach the network, and without a GPU. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      // Chromium's sandbox refuses to run as root, which a CI container is.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--disable-gpu",
    ],
  });
}
