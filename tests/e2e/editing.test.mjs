// The lesson page's buttons and console, in a real VS Code (code-server) with the packaged
// extension, without an install (nothing here needs the venv): the secondary buttons' contrast
// under the mouse, and a step run (the doctor) that adds no Content Security Policy violation
// to the console.
//
// Run through tests/e2e/run.mjs, which prepares the fixtures and sets TT_E2E_* for this file.
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, startCodeServer } from "./lib/codeserver.mjs";
import { DOCTOR, LESSON_TITLE, MINUTE, VSIX, offlineCpuProfile } from "./lib/env.mjs";
import { E2E_DIR } from "./lib/paths.mjs";
import { flow } from "./lib/steps.mjs";
import { FINAL, LessonPage } from "./lib/lesson.mjs";
import { openWorkbench, waitFor } from "./lib/workbench.mjs";

let server;
let browser;
let page;
let ui;
const consoleLines = []; // every console message of the page and its frames (webviews included)
const step = flow({ prefix: "editing-", page: () => page, defaultTimeout: 5 * MINUTE });

before(async () => {
  assert.ok(VSIX, "run this file through tests/e2e/run.mjs");
  const tmp = process.env.TT_E2E_TMP ?? join(E2E_DIR, "tmp");
  mkdirSync(tmp, { recursive: true });
  const root = mkdtempSync(join(tmp, "editing-"));
  const profile = offlineCpuProfile(root, join(root, "tt-xla-venv"));
  installExtension(profile, VSIX);
  const workspace = join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  server = await startCodeServer(profile, workspace);
  browser = await launchBrowser(profile.env);
  page = await openWorkbench(browser, server.url);
  page.on("console", (m) => {
    const at = m.location();
    consoleLines.push(`${m.type()}: ${m.text()} (at ${at.url}:${at.lineNumber}:${at.columnNumber})`);
  });
  ui = new LessonPage(page, LESSON_TITLE);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
});

step("a secondary button keeps its text readable under the mouse", async () => {
  const frame = await ui.frame();
  const button = frame.locator("button.tt-command").first();
  await button.scrollIntoViewIfNeeded();
  await button.hover();
  const ratio = await button.evaluate((e) => {
    const rgb = (c) => /rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)/.exec(c).slice(1, 4).map(Number);
    const lum = (c) =>
      rgb(c)
        .map((v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
        .reduce((sum, v, k) => sum + v * [0.2126, 0.7152, 0.0722][k], 0);
    const s = getComputedStyle(e);
    const [hi, lo] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
  assert.ok(ratio >= 4.5, `"${await button.textContent()}" under the mouse: contrast ${ratio.toFixed(2)} < 4.5`);
});

step("a step run (the doctor) adds no Content Security Policy violation to the console", async () => {
  // Counted from here: when the webview loads, VS Code's own webview host (pre/index.html) puts
  // its default <style> and the theme's variables into the page without our nonce, which our CSP
  // refuses once; that is the host's, not the lesson's. A run must add none of its own.
  const csp = () => consoleLines.filter((l) => /Content Security Policy|violates/i.test(l));
  const before = csp().length;
  await (await ui.button(DOCTOR)).click();
  await waitFor(async () => FINAL.includes(await ui.status(DOCTOR)), { timeoutMs: 3 * MINUTE, what: "the doctor" });
  await (await ui.panel(DOCTOR)).locator(".tt-finding").first().waitFor({ state: "visible", timeout: MINUTE });
  await page.waitForTimeout(1_000);
  assert.deepEqual(csp().slice(before), [], "CSP violations in the console during the run");
});
