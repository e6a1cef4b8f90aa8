// The harness alone, without the extension: code-server starts, the workbench loads in Chromium,
// the command palette opens and runs a command. When this fails, the lesson tests cannot run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, makeProfile, startCodeServer } from "./lib/codeserver.mjs";
import { E2E_DIR } from "./lib/paths.mjs";
import { openWorkbench, runFromPalette, screenshot } from "./lib/workbench.mjs";

test("code-server + chromium: workbench loads, the palette runs a command", { timeout: 180_000 }, async () => {
  mkdirSync(join(E2E_DIR, "tmp"), { recursive: true });
  const root = mkdtempSync(join(E2E_DIR, "tmp", "harness-"));
  const profile = makeProfile(root);
  mkdirSync(join(root, "workspace"));
  const server = await startCodeServer(profile, join(root, "workspace"));
  const browser = await launchBrowser(profile.env);
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await openWorkbench(browser, server.url);
    await runFromPalette(page, "View: Toggle Panel Visibility");
    await page.locator(".part.panel").waitFor({ state: "visible" });
    await screenshot(page, "harness");
  } finally {
    await browser.close();
    await server.stop();
  }
});
