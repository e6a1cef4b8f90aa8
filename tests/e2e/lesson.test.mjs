// The TT-XLA lesson, clicked through in a real VS Code (code-server) with the packaged extension:
// the lesson opens by itself at first start, the backend runs on Debian's own python3 with only
// the .vsix's bundled libraries, the lesson opens from the palette, the doctor finds the venv
// missing (problems found, no tick; Check again runs anew), install offline from a local wheelhouse
// with the doctor's Install CPU-only, run the sanity check, edit Step 2's code cell to ones(64) and run it in the kernel
// (64.0), interrupt a cell that loops forever, reload the window (the tab, its ticks, the test
// step's last result and the cell's edit and output come back), export the lesson as a notebook, run the
// check again from the palette (progress notification), cancel a GPT-2 demo run, run it to the end
// (tiny checkpoint), the mesh, CNN and doctor steps, the sidebar status, and kill the backend
// mid-run, then point venvPath at a missing folder (no ticks, no drawn results, no passed check
// there) and back.
// Each step depends on the one before; a failed step skips the rest.
//
// Run through tests/e2e/run.mjs, which prepares the fixtures and sets TT_E2E_* for this file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, startCodeServer } from "./lib/codeserver.mjs";
import { installedManifest, paletteTitle } from "./lib/fixtures.mjs";
import {
  CNN,
  DEMO,
  DOCTOR,
  INSTALL,
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
import { backendServers, descendants, processTable } from "./lib/procs.mjs";
import { CELL_FINAL, LessonCells } from "./lib/cells.mjs";
import { FINAL, LessonPage } from "./lib/lesson.mjs";
import { openWorkbench, runFromPalette, screenshot, waitFor } from "./lib/workbench.mjs";
import { lessonRows, showLessonsView } from "./lib/lessonsView.mjs";

let server;
let browser;
let page;
let profile;
let venv;
let pkg; // the installed extension's package.json
let ui; // the lesson webview's helpers (lib/lesson.mjs), bound to `page`
let cells; // its code cells (lib/cells.mjs)
let workspaceDir; // the folder code-server opened (the notebook export's default place)
let step2Cell; // the number of Step 2's cell, edited to ones(64)
let resetCell; // the number of the cell whose looping code Reset replaced (its output stale)
/** A step of the flow: skipped when an earlier one failed, screenshot saved when it fails. */
const step = flow({
  prefix: "",
  page: () => page,
  defaultTimeout: 10 * MINUTE,
  diagnose: (t) => {
    const log = extensionLog();
    if (log) t.diagnostic(`the extension's 'Tenstorrent' log (tail):\n${log.slice(-2500)}`);
  },
});

before(async () => {
  assert.ok(VSIX && WHEELHOUSE && TINY_GPT2, "run this file through tests/e2e/run.mjs");
  mkdirSync(join(E2E_DIR, "tmp"), { recursive: true });
  const root = mkdtempSync(join(E2E_DIR, "tmp", "run-"));
  venv = join(root, "tt-xla-venv"); // throw-away: the install builds it from scratch
  profile = offlineCpuProfile(root, venv);
  installExtension(profile, VSIX);
  pkg = installedManifest(profile.extensions);
  const workspace = join(root, "workspace");
  workspaceDir = workspace;
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "README.md"), "A throw-away folder for the end-to-end test.\n");
  server = await startCodeServer(profile, workspace);
  browser = await launchBrowser(profile.env);
  page = await openWorkbench(browser, server.url);
  ui = new LessonPage(page, LESSON_TITLE);
  cells = new LessonCells(page, ui);
});

after(async () => {
  await browser?.close().catch(() => {});
  await server?.stop();
  // Keep the editor's logs (extension host, the extension's output channel, code-server) with
  // the screenshots.
  if (profile) {
    for (const [from, to] of [
      [join(profile.userData, "logs"), "vscode-logs"],
      [profile.logs, "code-server-logs"],
    ]) {
      if (existsSync(from)) cpSync(from, join(ARTIFACTS, to), { recursive: true });
    }
  }
});

/** The text of the extension's own log channel(s) ('Tenstorrent'), from the editor's log folder. */
function extensionLog() {
  if (!profile) return "";
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/tenstorrent/i.test(p) && p.endsWith(".log")) out.push(readFileSync(p, "utf8"));
    }
  };
  try {
    walk(join(profile.userData, "logs"));
  } catch {
    /* no logs yet */
  }
  return out.join("\n");
}

/** The installed extension's folder (under the profile's extensions dir). */
function installedDir() {
  const dir = readdirSync(profile.extensions).find((d) => d.startsWith(`${pkg.publisher}.${pkg.name}-`));
  assert.ok(dir, `no ${pkg.publisher}.${pkg.name}-* in ${profile.extensions}`);
  return join(profile.extensions, dir);
}
/** Processes running something from the throw-away venv that are NOT under this code-server. */
function strayVenvProcesses() {
  const ours = new Set(descendants(server.child.pid).map((p) => p.pid));
  return processTable().filter((p) => p.args.includes(venv) && !ours.has(p.pid) && !p.stat.startsWith("Z"));
}

// --- the flow ------------------------------------------------------------------------------

step("at the first start of a fresh profile the lesson opens by itself", async () => {
  // Nothing was clicked: the extension's first activation after install opened it.
  await ui
    .tab()
    .first()
    .waitFor({ state: "visible", timeout: 2 * MINUTE });
  for (const cmd of [INSTALL, SANITY, DEMO]) {
    await (await ui.button(cmd)).waitFor({ state: "visible", timeout: MINUTE });
  }
  await screenshot(page, "first-start");
  // Close it, so that the next step really opens it from the palette.
  await runFromPalette(page, "View: Close All Editors");
  await ui.tab().first().waitFor({ state: "detached", timeout: 30_000 });
  await ui.waitGone();
});

step("the backend runs on Debian's /usr/bin/python3 with only the libraries bundled in the .vsix", async () => {
  // That interpreter has none of the backend's libraries of its own (the premise of this step).
  const bare = spawnSync(SYSTEM_PYTHON, ["-c", "import pygls"], {
    env: { PATH: "/usr/bin:/bin", PYTHONNOUSERSITE: "1" },
  });
  assert.notEqual(bare.status, 0, `${SYSTEM_PYTHON} itself can import pygls: this step would prove nothing`);
  const bundled = join(installedDir(), "bundled");
  const [serve] = await waitFor(
    () => {
      const s = backendServers(server.child.pid);
      return s.length === 1 ? s : false;
    },
    { timeoutMs: MINUTE, what: "one `tt-lessons serve` process under code-server" },
  );
  assert.match(serve.args, /^\/usr\/bin\/python3 -m tt_lessons\.cli serve\b/, `backend command line: ${serve.args}`);
  assert.equal(realpathSync(`/proc/${serve.pid}/exe`), realpathSync(SYSTEM_PYTHON));
  // pydantic-core (compiled) is loaded from the extension's bundle, and nothing from .venv.
  const mapped = await waitFor(
    () => {
      const files = [
        ...new Set(
          readFileSync(`/proc/${serve.pid}/maps`, "utf8")
            .split("\n")
            .map((l) => l.split(/\s+/).slice(5).join(" "))
            .filter((f) => f.startsWith("/")),
        ),
      ];
      return files.some((f) => /_pydantic_core\.[^/]*\.so$/.test(f)) ? files : false;
    },
    { what: "pydantic-core loaded in the backend" },
  );
  const core = mapped.filter((f) => /_pydantic_core\.[^/]*\.so$/.test(f));
  assert.ok(
    core.every((f) => f.startsWith(`${bundled}/`)),
    `pydantic-core loaded from outside ${bundled}: ${core}`,
  );
  const fromVenv = mapped.filter((f) => f.startsWith(join(REPO, ".venv")));
  assert.deepEqual(fromVenv, [], "the backend loaded files from this checkout's .venv");
  const env = readFileSync(`/proc/${serve.pid}/environ`, "utf8").split("\0");
  const pythonPath = env.find((e) => e.startsWith("PYTHONPATH="))?.slice("PYTHONPATH=".length) ?? "";
  assert.ok(pythonPath.split(":").includes(join(bundled, "libs")), `PYTHONPATH=${pythonPath}`);
});

step("the lesson opens from the command palette, every step a button", async () => {
  assert.equal(await ui.tab().count(), 0, "the lesson is closed before the palette opens it");
  await runFromPalette(page, paletteTitle(pkg, "tenstorrent.openLesson"));
  const frame = await ui.frame();
  for (const cmd of [INSTALL, SANITY, DEMO]) {
    const b = await ui.button(cmd);
    await b.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await ui.status(cmd), "idle", `${cmd} panel starts idle`);
  }
  assert.ok((await frame.locator("button.tt-run").count()) >= 3);
  await screenshot(page, "lesson-page");
});

step(
  "doctor before the install: problems found (no tick), Install CPU-only offered, Check again runs anew",
  async () => {
    await (await ui.button(DOCTOR)).click();
    await ui.waitStatus(DOCTOR, ["running", ...FINAL], MINUTE);
    // The venv is missing: a FAIL finding, so the run is not a success, whatever its exit.
    assert.equal(await ui.waitStatus(DOCTOR, FINAL, 5 * MINUTE), "problems", await ui.describe(DOCTOR));
    const p = await ui.panel(DOCTOR);
    assert.match((await p.locator(".tt-status").innerText()).trim(), /^\d+ problems? found$/);
    assert.equal(await ui.isDone(DOCTOR), false, "a doctor that found problems ticks nothing");
    const venvFinding = p.locator('li.tt-finding[data-id="venv"]');
    assert.equal(await venvFinding.getAttribute("data-status"), "fail");
    // No card on this machine: the missing venv's fix is the CPU-only install, as Install offers.
    assert.equal((await venvFinding.locator("button.tt-fix").innerText()).trim(), "Install CPU-only");
    assert.match(await p.locator(".tt-doctor-checked").innerText(), /^Checked at /);
    // "Check again after loading the driver": a new check, which says what changed (nothing).
    await p.locator('li.tt-finding[data-id="tt-devices"] button.tt-fix').click();
    await waitFor(async () => (await p.locator(".tt-doctor-unchanged").count()) === 1, {
      timeoutMs: 5 * MINUTE,
      what: "the second check's 'Nothing changed since the check at …'",
    });
    assert.equal(await ui.waitStatus(DOCTOR, FINAL, MINUTE), "problems", await ui.describe(DOCTOR));
    assert.match(await p.locator(".tt-doctor-unchanged").innerText(), /^Nothing changed since the check at /);
    await p.scrollIntoViewIfNeeded();
    await screenshot(page, "doctor-problems");
  },
);

step(
  "cells: before the install a cell says the venv is missing, with the Install button the Test step's error has",
  async () => {
    const i = await cells.find("NamedSharding"); // Step 4's cell (borrowed again for a loop later)
    await cells.click(i, "tt-cell-run");
    assert.equal(await cells.waitStatus(i, CELL_FINAL, 2 * MINUTE), "failed", await cells.describe(i));
    assert.match(await cells.outputs(i), /venv .* is missing/, await cells.describe(i));
    const fix = (await cells.cell(i)).locator("button.tt-fix");
    assert.equal((await fix.first().innerText()).trim(), "Install TT-XLA");
    assert.equal(await fix.first().getAttribute("data-command"), INSTALL);
  },
);

step(
  "install (offline, CPU-only, from the wheelhouse into a new venv), from the doctor's Install CPU-only, succeeds",
  async () => {
    // The button on the doctor's missing-venv finding streams under the Install step.
    await (await ui.panel(DOCTOR)).locator('li.tt-finding[data-id="venv"] button.tt-fix').click();
    await ui.waitStatus(INSTALL, ["running", "succeeded", "failed"], MINUTE);
    const final = await ui.waitStatus(INSTALL, FINAL, 15 * MINUTE);
    assert.equal(final, "succeeded", await ui.describe(INSTALL));
    const p = await ui.panel(INSTALL);
    assert.match((await p.locator(".tt-status").textContent()) ?? "", /succeeded/i);
    const log = (await p.locator("pre.tt-log").textContent()) ?? "";
    assert.ok(log.trim().length > 0, "install log shown");
    // The .vsix's own uv (bundled/libs/bin/uv) did the install, found from Debian's python3.
    assert.match(log, /installer: uv\b/, `install log:\n${log.slice(0, 2000)}`);
    const installButton = await ui.button(INSTALL);
    await waitFor(() => installButton.evaluate((b) => b.classList.contains("tt-done")), {
      what: "install button marked tt-done",
    });
  },
  20 * MINUTE,
);

step("test install: succeeded, the CPU device in the table, value 32.0", async () => {
  await (await ui.button(SANITY)).click();
  const final = await ui.waitStatus(SANITY, FINAL, 5 * MINUTE);
  assert.equal(final, "succeeded", await ui.describe(SANITY));
  const p = await ui.panel(SANITY);
  assert.match((await p.locator(".tt-status").textContent()) ?? "", /succeeded/i);
  const rows = p.locator("table.tt-devices tbody tr, table.tt-devices tr:has(td)");
  assert.ok((await rows.count()) >= 1, "device table has a row");
  const cells = (await p.locator("table.tt-devices td").allTextContents()).map((c) => c.trim());
  assert.ok(
    cells.some((c) => /^cpu\b/i.test(c)),
    `a device row with platform cpu: ${JSON.stringify(cells)}`,
  );
  assert.match((await p.locator(".tt-value").first().textContent()) ?? "", /\b32\.0\b/);
  await p.scrollIntoViewIfNeeded();
  await screenshot(page, "finished-run");
});

step(
  "cells: Step 2's cell, edited to ones(64), runs in the lesson's kernel, prints 64.0 and fails its check",
  async () => {
    const i = await cells.find("jnp.ones(32)");
    assert.equal(await cells.status(i), "idle", "nothing ran when the lesson opened");
    const code = (await cells.code(i)).replaceAll("jnp.ones(32)", "jnp.ones(64)");
    await cells.setCode(i, code);
    await cells.click(i, "tt-cell-run");
    const final = await cells.waitStatus(i, CELL_FINAL, 5 * MINUTE);
    // The code ran (64.0 is printed); the lesson's check expects 32.0, so the cell ends failed with its hint.
    assert.equal(final, "failed", await cells.describe(i));
    const out = await cells.outputs(i);
    assert.match(out, /\b64\.0\b/, await cells.describe(i));
    assert.match(out, /float\(z\) == 32\.0 is false/, await cells.describe(i));
    assert.match(out, /dot product of two ones\(32\)/, await cells.describe(i));
    assert.match(await (await cells.cell(i)).locator(".tt-cell-count").innerText(), /^\[\d+\]$/);
    assert.equal(await (await cells.cell(i)).locator(".tt-cell-check").innerText(), "check failed");
    step2Cell = i;
    await (await cells.cell(i)).scrollIntoViewIfNeeded();
    await screenshot(page, "cell-ones-64");
  },
);

step("cells: a cell that loops forever is interrupted, and Reset brings back the lesson's code", async () => {
  const i = await cells.find("NamedSharding"); // Step 4's cell, borrowed for the loop
  await cells.setCode(i, "import time\nwhile True:\n    time.sleep(0.05)");
  await cells.click(i, "tt-cell-run");
  await cells.waitStatus(i, ["running"], 2 * MINUTE);
  await cells.click(i, "tt-cell-interrupt");
  const final = await cells.waitStatus(i, CELL_FINAL, MINUTE);
  assert.equal(final, "interrupted", await cells.describe(i));
  assert.match(await cells.outputs(i), /KeyboardInterrupt/, await cells.describe(i));
  await cells.click(i, "tt-cell-reset");
  await waitFor(async () => (await cells.code(i)).includes("NamedSharding"), { what: "the mesh cell reset" });
  // The loop's output stays, marked as coming from the code that Reset replaced.
  const c = await cells.cell(i);
  await c.locator(".tt-cell-stale-note").waitFor({ state: "visible", timeout: 10_000 });
  assert.match(await c.getAttribute("class"), /\btt-cell-stale\b/);
  assert.match(await cells.outputs(i), /KeyboardInterrupt/);
  resetCell = i;
});

step("after a window reload the lesson tab comes back, install and test still ticked", async () => {
  const before = backendServers(server.child.pid).map((p) => p.pid);
  // At once after the last click (Reset): the cells are kept in a file the extension host writes
  // then and there, not in code-server's globalState (the browser's storage, written later).
  await page.reload();
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 2 * MINUTE });
  await page.locator(".statusbar").waitFor({ state: "visible", timeout: 2 * MINUTE });
  ui.forget();
  // The first-start flag is set by now: only the panel serializer can bring the tab back.
  await ui
    .tab()
    .first()
    .waitFor({ state: "visible", timeout: 2 * MINUTE });
  for (const cmd of [INSTALL, SANITY]) {
    await (await ui.button(cmd)).waitFor({ state: "visible", timeout: MINUTE });
    await waitFor(() => ui.isDone(cmd), { what: `${cmd} button marked tt-done after the reload` });
  }
  assert.equal(await ui.isDone(DEMO), false, "a step that never ran is not ticked");
  // The test step's last result is drawn again, marked as from before the reload.
  const p = await ui.panel(SANITY);
  await waitFor(async () => (await p.getAttribute("data-kept")) === "true", {
    what: "the test step's kept result after the reload",
  });
  assert.equal(await ui.status(SANITY), "succeeded", await ui.describe(SANITY));
  assert.match(await p.locator(".tt-kept").innerText(), /^From .+, before the reload\.$/);
  const cells = (await p.locator("table.tt-devices td").allTextContents()).map((c) => c.trim());
  assert.ok(
    cells.some((c) => /^cpu\b/i.test(c)),
    `the device table is back: ${JSON.stringify(cells)}`,
  );
  assert.match((await p.locator(".tt-value").first().textContent()) ?? "", /\b32\.0\b/);
  assert.equal(await (await ui.panel(DEMO)).getAttribute("data-kept"), null, "a step that never ran keeps nothing");
  await (await ui.button(INSTALL)).scrollIntoViewIfNeeded();
  await screenshot(page, "after-reload");
  // The reloaded window has one backend of its own; the old one and its children are gone.
  const now = await waitFor(
    () => {
      const s = backendServers(server.child.pid);
      return s.length === 1 && !before.includes(s[0].pid) ? s : false;
    },
    { timeoutMs: MINUTE, what: `one new backend after the reload (before: ${before})` },
  );
  // ... started with the same settings (pythonPath) as before the reload.
  assert.match(
    now[0].args,
    /^\/usr\/bin\/python3 -m tt_lessons\.cli serve\b/,
    `backend after the reload: ${now[0].args}`,
  );
  await waitFor(() => strayVenvProcesses().length === 0, {
    timeoutMs: 30_000,
    what: `no venv processes outside code-server: ${JSON.stringify(strayVenvProcesses())}`,
  });
  assert.equal(now.length, 1);
});

step("cells: after the reload Step 2's cell still holds ones(64), its 64.0 and its failed check", async () => {
  const i = step2Cell;
  await waitFor(async () => (await cells.code(i)).includes("jnp.ones(64)"), { what: "the edit after the reload" });
  await waitFor(async () => /\b64\.0\b/.test(await cells.outputs(i)), { what: "the output after the reload" });
  assert.equal(await cells.status(i), "failed", "the failed check's status survives the reload");
  // The reset cell: the lesson's code, its old output still marked stale.
  let shown = "";
  await waitFor(async () => (shown = await cells.code(resetCell)).includes("NamedSharding"), {
    what: () => `the reset cell's lesson code after the reload (it shows ${JSON.stringify(shown.slice(0, 80))})`,
  });
  const reset = await cells.cell(resetCell);
  await reset.locator(".tt-cell-stale-note").waitFor({ state: "visible", timeout: 10_000 });
  assert.match(await reset.getAttribute("class"), /\btt-cell-stale\b/);
  // Its old count is shown, but the kernel that counted is gone: the page says so ...
  const frame = await ui.frame();
  const fresh = frame.locator(".tt-kernel-new");
  await fresh.waitFor({ state: "visible", timeout: 30_000 });
  assert.match(await fresh.innerText(), /New kernel: .*variables are gone/);
  // ... until a cell runs in the new kernel, which counts from 1 again.
  // It was already "failed" with count [1] before the click (the same run before the reload):
  // wait for this run to start, then for its end, its count [1] in the new kernel.
  await cells.startRun(i);
  const final = await cells.waitStatus(i, CELL_FINAL, 5 * MINUTE);
  assert.equal(final, "failed", await cells.describe(i)); // 64.0 again, against the check's 32.0
  assert.equal(await (await cells.cell(i)).locator(".tt-cell-count").innerText(), "[1]");
  assert.match(await cells.outputs(i), /\b64\.0\b/, await cells.describe(i));
  await fresh.waitFor({ state: "hidden", timeout: 10_000 });
});

step("cells: Export as Notebook writes an .ipynb with the edited code and its output", async () => {
  const file = join(workspaceDir, "tt-xla-jax.ipynb");
  await (await ui.frame()).locator("button.tt-cells-export").click();
  // code-server has no native dialog: VS Code's own save dialog is a quick input with the path.
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 30_000 });
  await input.fill(file);
  await page.keyboard.press("Enter");
  await waitFor(() => existsSync(file), { timeoutMs: MINUTE, what: `the notebook at ${file}` });
  const nb = await waitFor(
    () => {
      try {
        return JSON.parse(readFileSync(file, "utf8"));
      } catch {
        return false;
      }
    },
    { what: "the notebook written in full" },
  );
  const src = (c) => (Array.isArray(c.source) ? c.source.join("") : c.source);
  const code = nb.cells.filter((c) => c.cell_type === "code");
  const step2 = code.find((c) => src(c).includes("jnp.ones(64)"));
  assert.ok(step2, `a code cell with ones(64): ${JSON.stringify(code.map(src))}`);
  assert.match(JSON.stringify(step2.outputs), /64\.0/);
  assert.match(nb.metadata.kernelspec.display_name, /TT-XLA/);
});

step("test install from the command palette: a cancellable progress notification, then success", async (t) => {
  const p0 = await ui.panel(SANITY);
  assert.equal(await p0.getAttribute("data-kept"), "true", "the reloaded lesson has no run under the test step yet");
  const title = pkg.contributes.commands.find((c) => c.command === SANITY).title;
  await ui.recordToasts();
  await runFromPalette(page, paletteTitle(pkg, SANITY));
  // The new run replaces the kept result from before the reload.
  await waitFor(async () => (await p0.getAttribute("data-kept")) === null, {
    what: "the palette run on the test step",
  });
  // A palette run streams under the lesson's first test button too.
  const final = await ui.waitStatus(SANITY, FINAL, 5 * MINUTE);
  assert.equal(final, "succeeded", await ui.describe(SANITY));
  const p = await ui.panel(SANITY);
  assert.match((await p.locator(".tt-value").first().textContent()) ?? "", /\b32\.0\b/);
  // The notification goes away by itself once the run is over.
  const toast = page.locator(".notification-toast", { hasText: title });
  await waitFor(async () => (await toast.count()) === 0, { timeoutMs: 30_000, what: "the progress toast to close" });
  const seen = await ui.toastLog();
  const ours = seen.filter((r) => r.text.includes(title));
  const shown = JSON.stringify(seen, null, 1).slice(0, 3000);
  assert.ok(ours.length > 0, `no notification titled "${title}"; toasts seen: ${shown}`);
  assert.ok(
    ours.some((r) => r.buttons.some((b) => /cancel/i.test(b))),
    `the progress notification has a Cancel button: ${shown}`,
  );
  assert.ok(
    ours.some((r) => /\(\d+\/\d+\)/.test(r.text)),
    `the notification shows the step label with its number (e.g. "Import JAX (1/3)"): ${shown}`,
  );
  // The bar is determinate and follows the steps: a width of k/total of the way (not the
  // indeterminate animation's fixed bit).
  const totals = new Set(ours.flatMap((r) => [...r.text.matchAll(/\(\d+\/(\d+)\)/g)].map((m) => Number(m[1]))));
  const widths = ours.map((r) => parseFloat(r.width ?? "")).filter((w) => w > 0);
  assert.ok(
    widths.some((w) =>
      [...totals].some((n) =>
        Array.from({ length: n }, (_, k) => (100 * (k + 1)) / n).some((p) => Math.abs(p - w) < 0.1),
      ),
    ),
    `the notification's progress bar shows the step's percentage (widths ${widths}, totals ${[...totals]}): ${shown}`,
  );
  assert.deepEqual(
    seen.filter((r) => r.error),
    [],
    "no error notification",
  );
  assert.equal(await ui.isDone(SANITY), true);
  t.diagnostic(`progress notification: ${ours.map((r) => `${r.text} [${r.width ?? "-"}]`).join(" | ")}`);
});

step("a GPT-2 demo run can be cancelled mid-way and shows cancelled", async () => {
  await (await ui.button(DEMO)).click();
  await ui.waitStatus(DEMO, ["running"], MINUTE);
  const p = await ui.panel(DEMO);
  // Mid-way: the log has started streaming (the run takes several seconds of JAX work).
  await waitFor(async () => ((await p.locator("pre.tt-log").textContent()) ?? "").trim().length > 0, {
    timeoutMs: MINUTE,
    intervalMs: 50,
    what: "demo log output",
  });
  await p.locator("button.tt-cancel").click();
  const final = await ui.waitStatus(DEMO, FINAL, 2 * MINUTE);
  assert.equal(final, "cancelled", await ui.describe(DEMO));
  assert.match((await p.locator(".tt-status").textContent()) ?? "", /cancelled/i);
  assert.equal(await (await ui.button(DEMO)).evaluate((b) => b.classList.contains("tt-done")), false);
});

step(
  "GPT-2 demo on the tiny checkpoint: next token, probability, top-k bars",
  async () => {
    await (await ui.button(DEMO)).click();
    await ui.waitStatus(DEMO, ["running", "succeeded", "failed"], MINUTE);
    const final = await ui.waitStatus(DEMO, FINAL, 10 * MINUTE);
    assert.equal(final, "succeeded", await ui.describe(DEMO));
    const p = await ui.panel(DEMO);
    const token = (await p.locator(".tt-next-token").first().textContent()) ?? "";
    assert.ok(token.length > 0, "a predicted next token is shown");
    assert.match((await p.locator(".tt-probability").first().textContent()) ?? "", /\d/);
    assert.ok((await p.locator(".tt-topk .tt-bar").count()) >= 1, "top-k chart has bars");
    await p.scrollIntoViewIfNeeded();
    await screenshot(page, "gpt2-demo");
  },
  12 * MINUTE,
);

step("mesh example: succeeded, the device grid shows which device holds which block", async () => {
  // No shape set and no Tenstorrent chip on the test machine: the backend takes 1x2 on the CPU.
  assert.equal(pkg.contributes.configuration.properties["tenstorrent.ttXla.meshShape"].default, "");
  const shape = "1x2";
  const [rows, cols] = shape.split("x").map(Number);
  await (await ui.button(MESH)).click();
  await ui.waitStatus(MESH, ["running", "succeeded", "failed"], MINUTE);
  assert.equal(await ui.waitStatus(MESH, FINAL, 5 * MINUTE), "succeeded", await ui.describe(MESH));
  const p = await ui.panel(MESH);
  const grid = p.locator(".tt-mesh .tt-mesh-grid");
  const cells = grid.locator(".tt-mesh-cell[data-device-id]");
  assert.equal(await cells.count(), rows * cols, `a ${shape} grid of devices`);
  const ids = await cells.evaluateAll((cs) => cs.map((c) => c.dataset.deviceId));
  assert.equal(new Set(ids).size, rows * cols, `one device per cell: ${ids}`);
  assert.match(await p.locator(".tt-mesh").innerText(), new RegExp(`Mesh ${rows}×${cols}[\\s\\S]*correct`));
  await p.scrollIntoViewIfNeeded();
  await screenshot(page, "mesh");
});

step("CNN example: succeeded, a loss curve with a point per epoch and the test accuracy", async () => {
  await (await ui.button(CNN)).click();
  await ui.waitStatus(CNN, ["running", "succeeded", "failed"], MINUTE);
  assert.equal(await ui.waitStatus(CNN, FINAL, 5 * MINUTE), "succeeded", await ui.describe(CNN));
  const p = await ui.panel(CNN);
  const accuracy = (await p.locator(".tt-cnn .tt-accuracy").innerText()).trim();
  const m = /Test accuracy after (\d+) epochs .*: (\d+(?:\.\d+)?)\s*%/.exec(accuracy);
  assert.ok(m, `accuracy line: ${accuracy}`);
  const epochs = Number(m[1]);
  const curve = p.locator(".tt-cnn svg.tt-loss-curve");
  assert.equal(Number(await curve.getAttribute("data-points")), epochs, "one point per epoch");
  assert.equal(await curve.locator("circle").count(), epochs);
  const points = (await curve.locator("polyline").getAttribute("points")) ?? "";
  assert.equal(points.trim().split(/\s+/).length, epochs, `loss line: ${points}`);
  await p.scrollIntoViewIfNeeded();
  await screenshot(page, "cnn");
});

step("doctor: succeeded (no FAIL now), its findings listed, what changed since the first check", async () => {
  await (await ui.button(DOCTOR)).click();
  await ui.waitStatus(DOCTOR, ["running", "succeeded", "failed"], MINUTE);
  assert.equal(await ui.waitStatus(DOCTOR, FINAL, 5 * MINUTE), "succeeded", await ui.describe(DOCTOR));
  const p = await ui.panel(DOCTOR);
  const findings = p.locator("ul.tt-findings li.tt-finding");
  assert.ok((await findings.count()) >= 1, "the doctor lists findings");
  for (const f of await findings.all()) {
    assert.ok(await f.getAttribute("data-status"), "each finding has a status");
    assert.ok(((await f.locator("strong").first().innerText()) ?? "").trim().length > 0, "each finding has a title");
  }
  // Compared with the check before the install (kept across the reload): the venv went from FAIL to OK.
  assert.match(await p.locator(".tt-doctor-changed").innerText(), /^Changed since the check at /);
  assert.match(await p.locator('.tt-doctor-changes li[data-id="venv"]').innerText(), /FAIL → OK/);
  await waitFor(() => ui.isDone(DOCTOR), { what: "the doctor ticked once it found no problem" });
  await p.scrollIntoViewIfNeeded();
  await screenshot(page, "doctor");
});

step("the sidebar status view shows the venv as ready", async () => {
  const containers = pkg.contributes?.viewsContainers?.activitybar ?? [];
  const container = containers.find((c) => c.id === "tenstorrent");
  assert.ok(container, "package.json contributes the activity-bar container `tenstorrent`");
  await runFromPalette(page, `View: Show ${container.title}`);
  const sidebar = page.locator(".part.sidebar");
  await sidebar.waitFor({ state: "visible" });
  await ui.waitStatusViewReady(sidebar);
  assert.match(await sidebar.innerText(), new RegExp(container.title, "i"));
  await screenshot(page, "status-panel");
});

step("backend killed mid-run: that run fails with a reason, the backend restarts", async () => {
  const before = backendServers(server.child.pid);
  assert.equal(before.length, 1, `one backend server under code-server, got: ${JSON.stringify(before)}`);
  const serve = before[0];
  await (await ui.button(SANITY)).click();
  await ui.waitStatus(SANITY, ["running"], MINUTE);
  // Freeze the workload first so the run cannot finish before the backend dies: mid-run for sure.
  const workload = await waitFor(
    () => {
      const kids = descendants(serve.pid).filter((k) => k.args.includes(venv));
      return kids.length ? kids : false;
    },
    { what: "the sanity workload process", intervalMs: 50 },
  );
  for (const p of workload) process.kill(p.pid, "SIGSTOP");
  process.kill(serve.pid, "SIGKILL");
  try {
    const final = await ui.waitStatus(SANITY, ["failed", "succeeded", "cancelled"], 2 * MINUTE);
    assert.equal(final, "failed", `after SIGKILL of the backend the run shows failed\n${await ui.describe(SANITY)}`);
    const reason = ((await (await ui.panel(SANITY)).locator(".tt-error").textContent()) ?? "").trim();
    assert.ok(reason.length > 0, "the failed run says why (.tt-error is empty)");
  } finally {
    // The frozen workload was orphaned by the kill; it is ours, end it.
    for (const p of workload) {
      try {
        process.kill(p.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  await screenshot(page, "backend-killed");
  const restarted = await waitFor(
    () => {
      const now = backendServers(server.child.pid).filter((p) => p.pid !== serve.pid);
      return now.length ? now : false;
    },
    { timeoutMs: 2 * MINUTE, what: "a new backend server process" },
  );
  assert.equal(restarted.length, 1);
  // And it works: the same step runs again to success on the new backend.
  await (await ui.button(SANITY)).click();
  await ui.waitStatus(SANITY, ["running", "succeeded"], MINUTE);
  assert.equal(await ui.waitStatus(SANITY, FINAL, 5 * MINUTE), "succeeded", await ui.describe(SANITY));
  // The status view (still open from the step before) recovers too.
  await ui.waitStatusViewReady(page.locator(".part.sidebar"));
});

step(
  "venvPath pointed at a missing folder: no Install/Test ticks, no Test result drawn, no 'passed' sanity check; pointed back, they return",
  async () => {
    // Machine settings, as the profile wrote them; VS Code reads the file again when it changes.
    const file = join(profile.userData, "Machine", "settings.json");
    const settings = JSON.parse(readFileSync(file, "utf8"));
    const sidebar = page.locator(".part.sidebar");
    const sanityRow = async () => {
      for (const row of await sidebar.locator(".monaco-list-row").all()) {
        const text = (await row.innerText().catch(() => "")).replace(/\s+/g, " ");
        if (text.startsWith("Last sanity check")) return text;
      }
      return "";
    };
    await waitFor(async () => /passed/.test(await sanityRow()), {
      what: "the sanity row says passed for the real venv",
    });
    // The Lessons view counts this venv's checked steps: fewer for a venv where nothing ran.
    const lessonsPane = await showLessonsView(page, pkg);
    const checked = async () => {
      const row = (await lessonRows(lessonsPane)).find((r) => r.label === LESSON_TITLE);
      return Number(/^(\d+) of \d+ checked$/.exec(row?.description ?? "")?.[1] ?? NaN);
    };
    const real = await waitFor(checked, { what: "the lesson's row in the Lessons view with its count" });
    const missing = join(venv, "..", "no-such-venv");
    writeFileSync(file, JSON.stringify({ ...settings, "tenstorrent.ttXla.venvPath": missing }, null, 2));
    try {
      await waitFor(async () => !(await ui.isDone(INSTALL)) && !(await ui.isDone(SANITY)), {
        timeoutMs: MINUTE,
        what: "the Install and Test ticks gone for the missing venv",
      });
      // The open page is drawn again for that venv: the Test step's result from the real one goes.
      await waitFor(async () => (await ui.panel(SANITY)).isHidden(), {
        timeoutMs: MINUTE,
        what: "the Test step's drawn result gone for the missing venv",
      });
      await waitFor(async () => !/passed/.test(await sanityRow()), {
        timeoutMs: MINUTE,
        what: `the sanity row not 'passed' for the missing venv (now: ${await sanityRow()})`,
      });
      await waitFor(async () => (await checked()) < real, {
        timeoutMs: MINUTE,
        what: `the Lessons view's count below ${real} for the missing venv`,
      });
      await screenshot(page, "missing-venv");
    } finally {
      writeFileSync(file, JSON.stringify(settings, null, 2));
    }
    await waitFor(async () => (await ui.isDone(INSTALL)) && (await ui.isDone(SANITY)), {
      timeoutMs: MINUTE,
      what: "the ticks back for the real venv",
    });
    await waitFor(async () => (await ui.panel(SANITY)).isVisible(), {
      timeoutMs: MINUTE,
      what: "the Test step's result drawn again for the real venv",
    });
    await waitFor(async () => (await checked()) === real, {
      timeoutMs: MINUTE,
      what: `the Lessons view's count back to ${real}`,
    });
  },
);
