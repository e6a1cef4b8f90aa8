// The Getting Started walkthrough ticks steps done in the LESSON, in the order a newcomer takes:
// the check, install, test, GPT-2 and mesh steps run from the lesson page first (the walkthrough
// never opened in this window), then Help's walkthrough opens and shows every one of those steps
// ticked; after a window reload it still does. VS Code creates its walkthrough service only when
// the page first opens and ignores a completion key that was already set by then, which is what
// this file guards against (extension/walkthrough.ts says how the ticks are stored instead). A
// walkthrough button's run then ends in a toast saying how it went.
//
// Run through tests/e2e/run.mjs (`--only=walkthrough` for this file alone).
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, startCodeServer } from "./lib/codeserver.mjs";
import { installedManifest } from "./lib/fixtures.mjs";
import { FINAL, LessonPage } from "./lib/lesson.mjs";
import {
  DEMO,
  DOCTOR,
  INSTALL,
  LESSON_TITLE,
  MESH,
  MINUTE,
  SANITY,
  TINY_GPT2,
  VSIX,
  WHEELHOUSE,
  offlineCpuProfile,
} from "./lib/env.mjs";
import { ARTIFACTS, E2E_DIR } from "./lib/paths.mjs";
import { flow } from "./lib/steps.mjs";
import { openWorkbench, screenshot } from "./lib/workbench.mjs";
import { openWalkthrough, ticks } from "./lib/walkthrough.mjs";

let server;
let browser;
let page;
let profile;
let pkg;
let ui;
const step = flow({ prefix: "walkthrough-", page: () => page, defaultTimeout: 10 * MINUTE });

/** The walkthrough's run steps (ticked by success) and the lesson step, as package.json has them. */
const RUN_STEPS = ["doctor", "install", "test", "demo", "mesh"];

before(async () => {
  assert.ok(VSIX && WHEELHOUSE && TINY_GPT2, "run this file through tests/e2e/run.mjs");
  const tmp = process.env.TT_E2E_TMP ?? join(E2E_DIR, "tmp");
  mkdirSync(tmp, { recursive: true });
  const root = mkdtempSync(join(tmp, "walkthrough-"));
  profile = offlineCpuProfile(root, join(root, "tt-xla-venv"));
  installExtension(profile, VSIX);
  pkg = installedManifest(profile.extensions);
  const workspace = join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  server = await startCodeServer(profile, workspace);
  browser = await launchBrowser(profile.env);
  page = await openWorkbench(browser, server.url);
  ui = new LessonPage(page, LESSON_TITLE);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (profile && existsSync(join(profile.userData, "logs"))) {
    cpSync(join(profile.userData, "logs"), join(ARTIFACTS, "walkthrough-vscode-logs"), { recursive: true });
  }
});

step(
  "in the lesson (walkthrough never opened): check (problems: no venv), install, test, GPT-2, mesh, check again succeed",
  async () => {
    // The lesson opens by itself at the first start.
    await ui
      .tab()
      .first()
      .waitFor({ state: "visible", timeout: 2 * MINUTE });
    await ui.tab().first().click();
    // Before the install the doctor finds the venv missing: problems found, no tick yet.
    await (await ui.button(DOCTOR)).click();
    await ui.waitStatus(DOCTOR, ["running", ...FINAL], MINUTE);
    assert.equal(await ui.waitStatus(DOCTOR, FINAL, 5 * MINUTE), "problems", await ui.describe(DOCTOR));
    for (const cmd of [INSTALL, SANITY, DEMO, MESH]) {
      await (await ui.button(cmd)).click();
      await ui.waitStatus(cmd, ["running", ...FINAL], MINUTE);
      assert.equal(await ui.waitStatus(cmd, FINAL, 15 * MINUTE), "succeeded", await ui.describe(cmd));
    }
    // Checked again once installed: the second check says what changed, and passes.
    await (await ui.button(DOCTOR)).click();
    const doctor = await ui.panel(DOCTOR);
    await doctor.locator(".tt-doctor-changed").waitFor({ state: "visible", timeout: 5 * MINUTE });
    assert.equal(await ui.waitStatus(DOCTOR, FINAL, 5 * MINUTE), "succeeded", await ui.describe(DOCTOR));
  },
  40 * MINUTE,
);

step("then the walkthrough opens with every step done in the lesson ticked", async () => {
  const steps = pkg.contributes.walkthroughs[0].steps.map((s) => s.id);
  assert.deepEqual(steps, [...RUN_STEPS, "lesson"]);
  await openWalkthrough(page, pkg.contributes.walkthroughs[0].title, steps);
  const expected = Object.fromEntries(RUN_STEPS.map((id) => [id, true]));
  // VS Code draws the page from its stored progress: the ticks are there when it opens.
  assert.deepEqual(await ticks(page, RUN_STEPS), expected);
  await screenshot(page, "walkthrough-ticked-after-lesson");
});

step("after a window reload the walkthrough still shows them ticked", async () => {
  await page.reload();
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 2 * MINUTE });
  await page.locator(".statusbar").waitFor({ state: "visible", timeout: 2 * MINUTE });
  ui.forget();
  const steps = pkg.contributes.walkthroughs[0].steps.map((s) => s.id);
  await openWalkthrough(page, pkg.contributes.walkthroughs[0].title, steps);
  const expected = Object.fromEntries(RUN_STEPS.map((id) => [id, true]));
  assert.deepEqual(await ticks(page, RUN_STEPS), expected);
  await screenshot(page, "walkthrough-ticked-after-reload");
});

step("a walkthrough button's run ends in a toast that says how it went", async () => {
  await page.locator(`button.getting-started-step[data-step-id$="#doctor"]`).click();
  const description = page.locator(`.step-description-container[x-step-description-for$="#doctor"]`);
  await description.locator(".monaco-button", { hasText: "Check This Machine" }).first().click();
  const toast = page.locator(".notification-toast", { hasText: /: succeeded in [\d.]+ s\./ });
  await toast.first().waitFor({ state: "visible", timeout: 5 * MINUTE });
  await screenshot(page, "walkthrough-button-outcome");
});
