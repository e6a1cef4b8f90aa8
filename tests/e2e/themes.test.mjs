// The Getting Started walkthrough, the lesson's drawn results in the light, dark and
// high-contrast themes, and a setting written from a fix command, in a real VS Code (code-server)
// with the packaged extension. The walkthrough's Install step ticks once the install it starts
// has succeeded; the lesson then runs the test, GPT-2 (tiny checkpoint), mesh and CNN steps; for
// each theme every drawn text is checked against its background (WCAG contrast), the buttons also
// under the mouse and with the focus, and one screenshot goes to the artifacts (and to
// docs/theme-<name>.png with TT_E2E_UPDATE_DOCS=1). Each step depends on the one before.
//
// Run through tests/e2e/run.mjs, which prepares the fixtures and sets TT_E2E_* for this file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, startCodeServer } from "./lib/codeserver.mjs";
import { installedManifest, paletteTitle } from "./lib/fixtures.mjs";
import { FINAL, LessonPage } from "./lib/lesson.mjs";
import {
  CNN,
  DEMO,
  LESSON_TITLE,
  MESH,
  MINUTE,
  SANITY,
  SYSTEM_PYTHON,
  TINY_GPT2,
  VSIX,
  WHEELHOUSE,
  offlineCpuProfile,
} from "./lib/env.mjs";
import { ARTIFACTS, E2E_DIR, REPO } from "./lib/paths.mjs";
import { flow } from "./lib/steps.mjs";
import { runFromPalette, screenshot, waitFor } from "./lib/workbench.mjs";

/**
 * Screenshot name, the theme's label in Preferences: Color Theme (workbench.colorTheme "Default
 * Light Modern", "Default Dark Modern", "Default High Contrast"), and the class VS Code puts on the
 * webview's <body> for it.
 */
const THEMES = [
  ["light", "Light Modern", "vscode-light"],
  ["dark", "Dark Modern", "vscode-dark"],
  ["high-contrast", "Dark High Contrast", "vscode-high-contrast"],
];

let server;
let browser;
let page;
let profile;
let pkg;
let ui;
const step = flow({ prefix: "themes-", page: () => page, defaultTimeout: 10 * MINUTE });

before(async () => {
  assert.ok(VSIX && WHEELHOUSE && TINY_GPT2, "run this file through tests/e2e/run.mjs");
  // TT_E2E_TMP: a scratch folder of one's own, for a run beside another engineer's run.mjs (which
  // empties .e2e/tmp when it starts).
  const tmp = process.env.TT_E2E_TMP ?? join(E2E_DIR, "tmp");
  mkdirSync(tmp, { recursive: true });
  const root = mkdtempSync(join(tmp, "themes-"));
  profile = offlineCpuProfile(root, join(root, "tt-xla-venv"));
  installExtension(profile, VSIX);
  pkg = installedManifest(profile.extensions);
  const workspace = join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  server = await startCodeServer(profile, workspace);
  browser = await launchBrowser(profile.env);
  const { openWorkbench } = await import("./lib/workbench.mjs");
  page = await openWorkbench(browser, server.url);
  ui = new LessonPage(page, LESSON_TITLE);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  if (profile && existsSync(join(profile.userData, "logs"))) {
    cpSync(join(profile.userData, "logs"), join(ARTIFACTS, "themes-vscode-logs"), { recursive: true });
  }
});

const userSettingsFile = () => join(profile.userData, "User", "settings.json");
const machineSettingsFile = () => join(profile.userData, "Machine", "settings.json");
const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {});

/** Runs a palette command that answers with a pick list of its own; returns the quick input. */
async function paletteCommand(title) {
  await page.keyboard.press("Escape");
  await page.locator(".monaco-workbench .part.statusbar").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 10_000 });
  await input.fill(`>${title}`);
  // Clicked by its exact label: Enter would take the top row, which may be a longer title.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  await page
    .locator(".quick-input-list .monaco-list-row")
    .filter({ has: page.locator(".label-name", { hasText: exact }) })
    .first()
    .click({ timeout: 10_000 });
  return input;
}

/** The walkthrough step's checkbox (VS Code marks it with aria-checked). */
function stepCheck(id) {
  return page.locator(`[data-done-step-id$="#${id}"]`).first();
}

step(
  "the Getting Started walkthrough's Install step ticks once the install it starts has succeeded",
  async () => {
    // The lesson opens by itself at the first start and takes the focus (closing any quick pick).
    await ui
      .tab()
      .first()
      .waitFor({ state: "visible", timeout: 2 * MINUTE });
    const walkthrough = pkg.contributes.walkthroughs[0];
    await waitFor(
      async () => {
        // Not runFromPalette: that waits for the quick input to close, and this command opens
        // its own pick list in the same widget.
        const input = await paletteCommand("Welcome: Open Walkthrough...");
        await page
          .locator('.quick-input-widget input[aria-label="Select a walkthrough to open"]')
          .waitFor({ state: "visible", timeout: 10_000 });
        await input.fill(walkthrough.title);
        await page
          .locator(".quick-input-list .monaco-list-row", { hasText: walkthrough.title })
          .first()
          .waitFor({ state: "visible", timeout: 10_000 });
        await input.press("Enter");
        return true;
      },
      { timeoutMs: 2 * MINUTE, what: "the walkthrough picked from Welcome: Open Walkthrough..." },
    );
    await page.locator(".gettingStartedContainer").waitFor({ state: "visible", timeout: MINUTE });
    for (const s of walkthrough.steps) await stepCheck(s.id).waitFor({ state: "attached", timeout: MINUTE });
    assert.equal(await stepCheck("install").getAttribute("aria-checked"), "false", "install not ticked before it ran");
    await page.locator(`button.getting-started-step[data-step-id$="#install"]`).click();
    const description = page.locator(`.step-description-container[x-step-description-for$="#install"]`);
    await description.locator(".monaco-button", { hasText: "Install TT-XLA" }).first().click();
    // A failed install ends in an error toast: fail with its words at once rather than wait out the timeout.
    const failure = page.locator(".notification-toast", { hasText: /Install TT-XLA.* failed: / });
    let failed;
    await waitFor(
      async () => {
        if (await failure.count()) failed = await failure.first().innerText();
        return failed !== undefined || (await stepCheck("install").getAttribute("aria-checked")) === "true";
      },
      { timeoutMs: 15 * MINUTE, intervalMs: 1_000, what: "the walkthrough's Install step to tick" },
    );
    assert.equal(failed, undefined, `the install the walkthrough started failed: ${failed}`);
    // A step whose command never ran stays unticked: the tick is the success, not the click.
    assert.equal(await stepCheck("test").getAttribute("aria-checked"), "false");
    await screenshot(page, "walkthrough-install-ticked");
  },
  20 * MINUTE,
);

step(
  "the lesson draws the test, GPT-2, mesh and CNN results",
  async () => {
    if (!(await ui.tab().count())) await runFromPalette(page, paletteTitle(pkg, "tenstorrent.openLesson"));
    await ui.tab().first().click();
    for (const cmd of [SANITY, DEMO, MESH, CNN]) {
      await (await ui.button(cmd)).click();
      const final = await ui.waitStatus(cmd, FINAL, 10 * MINUTE);
      assert.equal(final, "succeeded", await ui.describe(cmd));
    }
    const frame = await ui.frame();
    for (const sel of ["table.tt-devices", ".tt-topk", ".tt-mesh-grid", "svg.tt-loss-curve"]) {
      assert.equal((await frame.locator(sel).count()) > 0, true, `${sel} drawn`);
    }
    // The run panel announces to screen readers: its live region holds the end of the run.
    const live = (await ui.panel(CNN)).locator('.tt-announce[aria-live="polite"]');
    assert.match((await live.textContent()) ?? "", /^Succeeded after/);
    // The mesh cells are reachable with Tab.
    const cells = frame.locator(".tt-mesh-cell");
    await cells.first().focus();
    await page.keyboard.press("Tab");
    assert.equal(
      await cells.nth(1).evaluate((c) => c === document.activeElement),
      true,
      "Tab moves to the next mesh cell",
    );
  },
  30 * MINUTE,
);

/**
 * In the lesson frame: every drawn text of the results (and the step buttons) against the colour
 * behind it, composited up the ancestors. Returns the ones under `min` (WCAG AA: 4.5).
 */
async function lowContrast(frame, min, only = undefined) {
  return frame.evaluate(
    ([minRatio, onlySelector]) => {
      const parse = (c) => {
        const m = /rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+))?\)/.exec(c);
        return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
      };
      const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
      const behind = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
          const bg = parse(getComputedStyle(e).backgroundColor);
          if (bg && bg[3] > 0) {
            layers.push(bg);
            if (bg[3] >= 1) break;
          }
        }
        let color = [255, 255, 255, 1];
        for (const l of layers.reverse()) color = over(l, color);
        return color;
      };
      const lum = (c) => {
        const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2]);
      };
      const ratio = (a, b) => {
        const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
      };
      const selectors = onlySelector
        ? [onlySelector]
        : [
            "table.tt-devices td",
            "table.tt-devices th",
            ".tt-value",
            ".tt-ran-on",
            ".tt-chart-title",
            ".tt-bar-label",
            ".tt-bar-value",
            ".tt-prediction",
            ".tt-mesh-cell strong",
            ".tt-mesh-cell code",
            ".tt-accuracy",
            ".tt-epoch-line",
            ".tt-status",
            ".tt-meta",
            "button.tt-run",
            "svg.tt-loss-curve text",
          ];
      const bad = [];
      for (const sel of selectors) {
        for (const el of document.querySelectorAll(sel)) {
          if (!el.textContent?.trim()) continue;
          const style = getComputedStyle(el);
          const fg = parse(el instanceof SVGElement ? style.fill : style.color);
          if (!fg) continue;
          const bg = el instanceof SVGElement ? behind(el.closest("svg")) : behind(el);
          const r = ratio(over(fg, bg), bg);
          if (r < minRatio) bad.push(`${sel} "${el.textContent.trim().slice(0, 20)}": ${r.toFixed(2)}`);
        }
      }
      return bad;
    },
    [min, only],
  );
}

const BUTTONS = ["button.tt-run", "button.tt-command", "button.tt-fix", "button.tt-cancel"];

/**
 * The lesson's buttons checked while the mouse is over each and while each has the keyboard focus
 * (a hover fill that does not match the text colour is the usual way to lose contrast).
 */
async function stateContrast(frame, min) {
  const bad = [];
  for (const sel of BUTTONS) {
    for (const button of await frame.locator(sel).all()) {
      if (!(await button.isVisible()) || !(await button.isEnabled())) continue;
      await button.hover();
      for (const p of await lowContrast(frame, min, `${sel}:hover`)) bad.push(`hover ${p}`);
      await button.focus();
      for (const p of await lowContrast(frame, min, `${sel}:focus`)) bad.push(`focus ${p}`);
    }
  }
  // Leave no button hovered. The page's corner, not the webview's: the editor's sash lies over the
  // webview's left edge and would take the hover (Playwright then waits for it forever).
  await page.mouse.move(0, 0);
  return bad;
}

step(
  "in the light, dark and high-contrast themes every drawn result reads (contrast >= 4.5), one screenshot each",
  async () => {
    const frame = await ui.frame();
    const problems = [];
    for (const [name, theme, bodyClass] of THEMES) {
      // Picked as a person does (Preferences: Color Theme); the webview's body follows the theme.
      await waitFor(
        async () => {
          const input = await paletteCommand("Preferences: Color Theme");
          // The same quick input now holds the theme list (its placeholder says so).
          await page
            .locator('.quick-input-widget input[placeholder^="Select Color Theme"]')
            .waitFor({ timeout: 10_000 });
          const rows = page.locator(".quick-input-list .monaco-list-row");
          await input.fill(theme);
          const exact = new RegExp(`^${theme}$`);
          await rows
            .filter({ has: page.locator(".label-name", { hasText: exact }) })
            .first()
            .click({ timeout: 10_000 });
          return waitFor(() => frame.evaluate((c) => document.body.classList.contains(c), bodyClass), {
            timeoutMs: 20_000,
            what: `the lesson in ${theme}`,
          });
        },
        { timeoutMs: 2 * MINUTE, what: `the ${theme} theme` },
      );
      for (const p of await lowContrast(frame, 4.5)) problems.push(`${name}: ${p}`);
      for (const p of await stateContrast(frame, 4.5)) problems.push(`${name}: ${p}`);
      await (await ui.panel(DEMO)).scrollIntoViewIfNeeded();
      const shot = await screenshot(page, `theme-${name}`);
      // A test run leaves the checkout clean; TT_E2E_UPDATE_DOCS=1 refreshes the docs' copies.
      if (process.env.TT_E2E_UPDATE_DOCS === "1") {
        mkdirSync(join(REPO, "docs"), { recursive: true });
        cpSync(shot, join(REPO, "docs", `theme-${name}.png`));
      }
    }
    assert.deepEqual(problems, [], "text under WCAG AA contrast");
  },
  5 * MINUTE,
);

step("a machine-scoped setting written from its fix command lands in the remote machine's settings", async () => {
  const url = "https://mirror.example.com/simple/";
  await runFromPalette(page, paletteTitle(pkg, "tenstorrent.setIndexUrl"));
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: MINUTE });
  await input.fill(url);
  await input.press("Enter");
  await waitFor(() => readJson(machineSettingsFile())["tenstorrent.ttXla.indexUrl"] === url, {
    what: "indexUrl in Machine/settings.json",
  });
  // VS Code routed the user-level write of a machine-overridable setting to the remote side,
  // where code-server reads it after a reload too; the browser-side User file did not get it.
  assert.equal(readJson(userSettingsFile())["tenstorrent.ttXla.indexUrl"], undefined);
  const toast = page.locator(".notification-toast", { hasText: "Index URL set to" }).first();
  await toast.waitFor({ state: "visible", timeout: MINUTE });
  // code-server is a remote window (vscode.env.remoteName is its host), so the toast names the
  // Remote tab, where the Settings editor shows this value.
  assert.match(await toast.innerText(), /Remote \[[^\]]+\] settings/);
  await screenshot(page, "setting-written");
});
