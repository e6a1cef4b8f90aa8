// Small helpers to drive the VS Code workbench the way a person does: palette, clicks, webviews.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ARTIFACTS } from "./paths.mjs";

/** Opens the workbench at `url` and waits until it is interactive. */
export async function openWorkbench(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 120_000 });
  // The status bar is drawn last; once it is there the workbench takes keys.
  await page.locator(".statusbar").waitFor({ state: "visible", timeout: 120_000 });
  return page;
}

async function openPalette(page) {
  const input = page.locator(".quick-input-widget input");
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.locator(".monaco-workbench .part.statusbar").click({ position: { x: 5, y: 5 } });
    await page.keyboard.press(attempt % 2 ? "F1" : "Control+Shift+P");
    try {
      await input.waitFor({ state: "visible", timeout: 5_000 });
      return input;
    } catch {
      /* the workbench was still starting; try again */
    }
  }
  throw new Error("the command palette did not open");
}

/**
 * Runs a command from the command palette by its visible title (e.g. "Tenstorrent: Open ...").
 * The palette lists the commands known when it opens, so while extensions are still being
 * registered it is closed and opened again until the title shows up.
 */
export async function runFromPalette(page, title, { timeoutMs = 90_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const input = await openPalette(page);
    await input.fill(`>${title}`);
    const row = page
      .locator(".quick-input-list .monaco-list-row")
      .filter({ has: page.locator(".label-name", { hasText: title }) })
      .first();
    try {
      await row.waitFor({ state: "visible", timeout: 5_000 });
      await row.click();
      await input.waitFor({ state: "hidden", timeout: 30_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no command "${title}" in the palette: ${err.message}`);
      await page.keyboard.press("Escape");
      await input.waitFor({ state: "hidden", timeout: 5_000 }).catch(() => {});
    }
  }
}

/**
 * The frame (webview content) in which `selector` exists. Webviews are nested iframes
 * (iframe.webview.ready > iframe#active-frame); searching every frame also finds webview views.
 */
export async function findFrame(page, selector, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      try {
        if (await frame.locator(selector).count()) return frame;
      } catch {
        /* frame detached while we looked */
      }
    }
    await sleep(250);
  }
  throw new Error(`no frame contains ${selector} after ${timeoutMs} ms`);
}

/** Saves a screenshot of the page under the artifacts folder; returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Waits until `fn()` returns a truthy value (polls; generous limit, no fixed sleeps). `what` may be
 * a function, asked at the timeout, so the message can say what was seen last.
 */
export async function waitFor(fn, { timeoutMs = 60_000, intervalMs = 250, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (err) {
      last = err;
    }
    await sleep(intervalMs);
  }
  const said = typeof what === "function" ? what() : what;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${said} (last: ${String(last)})`);
}
