// The TT-XLA lesson, clicked through in a real VS Code (code-server) with the packaged extension:
// open the lesson from the palette, install offline from a local wheelhouse, run the sanity check,
// cancel a GPT-2 demo run, run it to the end (tiny checkpoint), check the sidebar status, and kill
// the backend mid-run. Each step depends on the one before; a failed step skips the rest.
//
// Run through tests/e2e/run.mjs, which prepares the fixtures and sets TT_E2E_* for this file.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { installExtension, launchBrowser, makeProfile, startCodeServer } from "./lib/codeserver.mjs";
import { installedManifest, paletteTitle } from "./lib/fixtures.mjs";
import { ARTIFACTS, E2E_DIR, REPO } from "./lib/paths.mjs";
import { backendServers, descendants } from "./lib/procs.mjs";
import { findFrame, openWorkbench, runFromPalette, screenshot, waitFor } from "./lib/workbench.mjs";

const VSIX = process.env.TT_E2E_VSIX;
const WHEELHOUSE = process.env.TT_E2E_WHEELHOUSE;
const TINY_GPT2 = process.env.TT_E2E_TINY_GPT2;
const MINUTE = 60_000;

const INSTALL = "tenstorrent.installTtXla";
const SANITY = "tenstorrent.testTtXlaInstall";
const DEMO = "tenstorrent.runTtXlaDemo";

let server;
let browser;
let page;
let profile;
let venv;
let pkg; // the installed extension's package.json
let broken = null; // the first failed step: later steps depend on it and are skipped

/** A step of the flow: skipped when an earlier one failed, screenshot saved when it fails. */
function step(name, fn, timeout = 10 * MINUTE) {
  test(name, { timeout }, async (t) => {
    if (broken) return t.skip(`depends on "${broken}", which failed`);
    try {
      await fn(t);
    } catch (err) {
      broken = name;
      if (page) {
        const shot = await screenshot(page, `FAILED-${name.replace(/[^a-z0-9]+/gi, "-")}`).catch(() => null);
        if (shot) t.diagnostic(`screenshot: ${shot}`);
      }
      const log = extensionLog();
      if (log) t.diagnostic(`the extension's 'Tenstorrent' log (tail):\n${log.slice(-2500)}`);
      throw err;
    }
  });
}

before(async () => {
  assert.ok(VSIX && WHEELHOUSE && TINY_GPT2, "run this file through tests/e2e/run.mjs");
  mkdirSync(join(E2E_DIR, "tmp"), { recursive: true });
  const root = mkdtempSync(join(E2E_DIR, "tmp", "run-"));
  venv = join(root, "tt-xla-venv"); // throw-away: the install builds it from scratch
  profile = makeProfile(root, {
    "tenstorrent.ttXla.venvPath": venv,
    "tenstorrent.ttXla.cpuOnly": true,
    "tenstorrent.ttXla.offline": true,
    "tenstorrent.ttXla.wheelhouse": WHEELHOUSE,
    "tenstorrent.ttXla.modelPath": TINY_GPT2,
    "tenstorrent.ttXla.timeoutSeconds": 900,
  });
  profile.env.TT_LESSONS_HOME = join(root, "tt-lessons-home");
  profile.env.UV_CACHE_DIR = join(E2E_DIR, "cache", "uv"); // shared: no 800 MB unpacked per run
  // The backend the extension starts is this checkout's (`tt-lessons` of .venv), as after
  // `bash scripts/setup-python.sh`.
  profile.env.PATH = `${join(REPO, ".venv", "bin")}:${profile.env.PATH}`;
  installExtension(profile, VSIX);
  pkg = installedManifest(profile.extensions);
  const workspace = join(root, "workspace");
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, "README.md"), "A throw-away folder for the end-to-end test.\n");
  server = await startCodeServer(profile, workspace);
  browser = await launchBrowser(profile.env);
  page = await openWorkbench(browser, server.url);
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

// --- helpers bound to the lesson webview ---------------------------------------------------

let lessonFrame = null;
async function lesson() {
  if (!lessonFrame || lessonFrame.isDetached()) lessonFrame = await findFrame(page, "button.tt-run");
  return lessonFrame;
}
async function button(cmd) {
  return (await lesson()).locator(`button.tt-run[data-command="${cmd}"]`).first();
}
async function panel(cmd) {
  return (await lesson()).locator(`button.tt-run[data-command="${cmd}"] + .tt-run-panel`).first();
}
async function status(cmd) {
  return (await panel(cmd)).getAttribute("data-status", { timeout: 5_000 });
}
async function describe(cmd) {
  const p = await panel(cmd);
  const text = async (sel) =>
    (await p
      .locator(sel)
      .first()
      .textContent({ timeout: 2_000 })
      .catch(() => "")) ?? "";
  const log = await text("pre.tt-log");
  return (
    `status=${await status(cmd).catch(() => "?")} step=${(await text(".tt-step")).trim()} ` +
    `error=${(await text(".tt-error")).trim()}\nlog tail:\n${log.slice(-1500)}`
  );
}
/** Waits until the run panel of `cmd` has one of `wanted` statuses; returns it. */
async function waitStatus(cmd, wanted, timeoutMs) {
  try {
    return await waitFor(
      async () => {
        const s = await status(cmd);
        return wanted.includes(s) ? s : false;
      },
      { timeoutMs, intervalMs: 100, what: `${cmd} status in [${wanted}]` },
    );
  } catch (err) {
    err.message += `\n${await describe(cmd).catch((e) => String(e))}`;
    throw err;
  }
}
const FINAL = ["succeeded", "failed", "cancelled"];

/** Waits until the sidebar's status view says the venv is ready. */
async function waitStatusViewReady(sidebar) {
  // A tree view draws in the workbench DOM (a row: label "Venv", description "ready"); a webview
  // view in a frame. Accept either, visible text only, and never the lesson's own frame.
  const rows = sidebar.locator(".pane-body .monaco-list-row");
  await waitFor(
    async () => {
      for (const row of await rows.all()) {
        const label = (
          await row
            .locator(".label-name")
            .first()
            .innerText({ timeout: 1_000 })
            .catch(() => "")
        ).trim();
        const desc = (
          await row
            .locator(".label-description")
            .first()
            .innerText({ timeout: 1_000 })
            .catch(() => "")
        ).trim();
        if (/\bvenv\b|environment/i.test(label) && /^ready\b/i.test(desc)) return true;
      }
      for (const f of page.frames()) {
        if (
          f === lessonFrame ||
          (await f
            .locator("button.tt-run")
            .count()
            .catch(() => 1))
        )
          continue;
        const text = await f
          .locator("body")
          .innerText({ timeout: 1_000 })
          .catch(() => "");
        if (/\bready\b/i.test(text) && /venv|environment/i.test(text)) return true;
      }
      return false;
    },
    { timeoutMs: 2 * MINUTE, what: "the status view to say the venv is ready" },
  );
}

// --- the flow ------------------------------------------------------------------------------

step("the lesson opens from the command palette, every step a button", async () => {
  await runFromPalette(page, paletteTitle(pkg, "tenstorrent.openLesson"));
  const frame = await lesson();
  for (const cmd of [INSTALL, SANITY, DEMO]) {
    const b = await button(cmd);
    await b.waitFor({ state: "visible", timeout: MINUTE });
    assert.equal(await status(cmd), "idle", `${cmd} panel starts idle`);
  }
  assert.ok((await frame.locator("button.tt-run").count()) >= 3);
  await screenshot(page, "lesson-page");
});

step(
  "install (offline, CPU-only, from the wheelhouse into a new venv) succeeds",
  async () => {
    await (await button(INSTALL)).click();
    await waitStatus(INSTALL, ["running", "succeeded", "failed"], MINUTE);
    const final = await waitStatus(INSTALL, FINAL, 15 * MINUTE);
    assert.equal(final, "succeeded", await describe(INSTALL));
    const p = await panel(INSTALL);
    assert.match((await p.locator(".tt-status").textContent()) ?? "", /succeeded/i);
    assert.ok(((await p.locator("pre.tt-log").textContent()) ?? "").trim().length > 0, "install log shown");
    const installButton = await button(INSTALL);
    await waitFor(() => installButton.evaluate((b) => b.classList.contains("tt-done")), {
      what: "install button marked tt-done",
    });
  },
  20 * MINUTE,
);

step("test install: succeeded, the CPU device in the table, value 32.0", async () => {
  await (await button(SANITY)).click();
  const final = await waitStatus(SANITY, FINAL, 5 * MINUTE);
  assert.equal(final, "succeeded", await describe(SANITY));
  const p = await panel(SANITY);
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

step("a GPT-2 demo run can be cancelled mid-way and shows cancelled", async () => {
  await (await button(DEMO)).click();
  await waitStatus(DEMO, ["running"], MINUTE);
  const p = await panel(DEMO);
  // Mid-way: the log has started streaming (the run takes several seconds of JAX work).
  await waitFor(async () => ((await p.locator("pre.tt-log").textContent()) ?? "").trim().length > 0, {
    timeoutMs: MINUTE,
    intervalMs: 50,
    what: "demo log output",
  });
  await p.locator("button.tt-cancel").click();
  const final = await waitStatus(DEMO, FINAL, 2 * MINUTE);
  assert.equal(final, "cancelled", await describe(DEMO));
  assert.match((await p.locator(".tt-status").textContent()) ?? "", /cancelled/i);
  assert.equal(await (await button(DEMO)).evaluate((b) => b.classList.contains("tt-done")), false);
});

step(
  "GPT-2 demo on the tiny checkpoint: next token, probability, top-k bars",
  async () => {
    await (await button(DEMO)).click();
    await waitStatus(DEMO, ["running", "succeeded", "failed"], MINUTE);
    const final = await waitStatus(DEMO, FINAL, 10 * MINUTE);
    assert.equal(final, "succeeded", await describe(DEMO));
    const p = await panel(DEMO);
    const token = (await p.locator(".tt-next-token").first().textContent()) ?? "";
    assert.ok(token.length > 0, "a predicted next token is shown");
    assert.match((await p.locator(".tt-probability").first().textContent()) ?? "", /\d/);
    assert.ok((await p.locator(".tt-topk .tt-bar").count()) >= 1, "top-k chart has bars");
    await p.scrollIntoViewIfNeeded();
    await screenshot(page, "gpt2-demo");
  },
  12 * MINUTE,
);

step("the sidebar status view shows the venv as ready", async () => {
  const containers = pkg.contributes?.viewsContainers?.activitybar ?? [];
  const container = containers.find((c) => c.id === "tenstorrent");
  assert.ok(container, "package.json contributes the activity-bar container `tenstorrent`");
  await runFromPalette(page, `View: Show ${container.title}`);
  const sidebar = page.locator(".part.sidebar");
  await sidebar.waitFor({ state: "visible" });
  await waitStatusViewReady(sidebar);
  assert.match(await sidebar.innerText(), new RegExp(container.title, "i"));
  await screenshot(page, "status-panel");
});

step("backend killed mid-run: that run fails with a reason, the backend restarts", async () => {
  const before = backendServers(server.child.pid);
  assert.equal(before.length, 1, `one backend server under code-server, got: ${JSON.stringify(before)}`);
  const serve = before[0];
  await (await button(SANITY)).click();
  await waitStatus(SANITY, ["running"], MINUTE);
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
    const final = await waitStatus(SANITY, ["failed", "succeeded", "cancelled"], 2 * MINUTE);
    assert.equal(final, "failed", `after SIGKILL of the backend the run shows failed\n${await describe(SANITY)}`);
    const reason = ((await (await panel(SANITY)).locator(".tt-error").textContent()) ?? "").trim();
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
  await (await button(SANITY)).click();
  await waitStatus(SANITY, ["running", "succeeded"], MINUTE);
  assert.equal(await waitStatus(SANITY, FINAL, 5 * MINUTE), "succeeded", await describe(SANITY));
  // The status view (still open from the step before) recovers too.
  await waitStatusViewReady(page.locator(".part.sidebar"));
});
