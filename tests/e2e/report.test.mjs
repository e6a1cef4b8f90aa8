// The whole lesson from the UI, and the Lessons view. In a real VS Code (code-server) with the
// packaged extension, on the CPU with the tiny GPT-2: the sidebar's Lessons view lists both
// shipped lessons with their progress and opens the one clicked; after the install, the lesson's
// Run the Whole Lesson button runs every step and cell and each check passes; the view then
// counts every item checked; Save a Report… writes report.json, report.html and the notebook
// into the folder given in VS Code's save dialog, and report.html, opened in the same Chromium,
// says the lesson passed; Save a Support Bundle… writes one zip with the extension's log in it.
//
// Run through tests/e2e/run.mjs (`--only=report` for this file alone).
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { INSTALL, LESSON_TITLE, MINUTE, SYSTEM_PYTHON, TINY_GPT2, VSIX, WHEELHOUSE } from "./lib/env.mjs";
import { LessonPage } from "./lib/lesson.mjs";
import { clickLesson, clickLessonAction, clickViewAction, lessonRows, showLessonsView } from "./lib/lessonsView.mjs";
import { REPO } from "./lib/paths.mjs";
import { startSession } from "./lib/session.mjs";
import { flow } from "./lib/steps.mjs";
import { screenshot, waitFor } from "./lib/workbench.mjs";

const RUN_LESSON = "tenstorrent.runLesson";
const SAVE_REPORT = "tenstorrent.saveReport";
const MULTICHIP_TITLE = /^title:\s*"?(.*?)"?\s*$/m.exec(
  readFileSync(join(REPO, "lessons", "multichip-jax.md"), "utf8"),
)[1];

let s; // the session: profile, code-server, browser, page
let ui;
let lessons; // the Lessons pane
const step = flow({ prefix: "report-", page: () => s?.page, defaultTimeout: 5 * MINUTE });

before(async () => {
  assert.ok(VSIX && WHEELHOUSE && TINY_GPT2, "run this file through tests/e2e/run.mjs");
  s = await startSession("report");
  ui = new LessonPage(s.page, LESSON_TITLE);
});

after(async () => {
  await s?.stop();
});

/** The row of `title` once its description matches `pattern`. */
async function rowOf(title, pattern, timeoutMs = MINUTE) {
  return waitFor(
    async () => {
      const row = (await lessonRows(lessons)).find((r) => r.label === title);
      return row && pattern.test(row.description) ? row : false;
    },
    { timeoutMs, what: `the Lessons row "${title}" to match ${pattern}` },
  );
}

step("the Lessons view lists both lessons, each with its progress", async () => {
  await ui
    .tab()
    .first()
    .waitFor({ state: "visible", timeout: 2 * MINUTE }); // the first start opened it
  lessons = await showLessonsView(s.page, s.pkg);
  const rows = await waitFor(
    async () => {
      const r = await lessonRows(lessons);
      return r.length === 2 ? r : false;
    },
    { what: "two rows in the Lessons view" },
  );
  assert.deepEqual(
    rows.map((r) => r.label),
    [LESSON_TITLE, MULTICHIP_TITLE],
  );
  for (const r of rows) assert.match(r.description, /^0 of [1-9]\d* checked$/, JSON.stringify(r));
  await screenshot(s.page, "report-lessons-view");
});

step("clicking the second lesson opens it in place of the first; a reload brings that one back", async () => {
  await clickLesson(lessons, MULTICHIP_TITLE);
  const multi = new LessonPage(s.page, MULTICHIP_TITLE);
  await multi.tab().first().waitFor({ state: "visible", timeout: MINUTE });
  const frame = await waitFor(
    async () => {
      for (const f of s.page.frames()) {
        const found = await f
          .locator("h1", { hasText: MULTICHIP_TITLE })
          .count()
          .catch(() => 0);
        if (found && (await f.locator(".tt-cell").count())) return f;
      }
      return false;
    },
    { what: "the multi-chip lesson's page with its cells" },
  );
  assert.equal(await frame.locator(`button.tt-run[data-command="${RUN_LESSON}"]`).count(), 1);
  await ui.tab().first().waitFor({ state: "detached", timeout: 30_000 }); // one lesson tab
  await screenshot(s.page, "report-second-lesson");
  // After a window reload the tab comes back with the lesson it showed, not the default one.
  // A person reloads a moment later: which tabs are open is the workbench's own state, written
  // after a change (code-server: browser storage); a reload within it restores no tab at all.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await s.page.reload();
  await s.page.locator(".statusbar").waitFor({ state: "visible", timeout: 2 * MINUTE });
  await multi
    .tab()
    .first()
    .waitFor({ state: "visible", timeout: 2 * MINUTE });
  assert.equal(await ui.tab().count(), 0, "the restored tab shows the multi-chip lesson");
  // And back to the TT-XLA lesson, for the rest of this file.
  lessons = await showLessonsView(s.page, s.pkg);
  await clickLesson(lessons, LESSON_TITLE);
  await ui.tab().first().waitFor({ state: "visible", timeout: MINUTE });
  await multi.tab().first().waitFor({ state: "detached", timeout: 30_000 });
  ui.forget();
});

step(
  "install (offline, CPU-only, from the wheelhouse) succeeds",
  async () => {
    assert.equal(await ui.runStep(INSTALL, 15 * MINUTE), "succeeded", await ui.describe(INSTALL));
  },
  20 * MINUTE,
);

step(
  "Run the Whole Lesson: every step and cell runs and passes its check",
  async () => {
    assert.equal(await ui.runStep(RUN_LESSON, 40 * MINUTE), "succeeded", await ui.describe(RUN_LESSON));
    const rows = await (await ui.panel(RUN_LESSON)).locator("table.tt-lesson-items tbody tr").all();
    const items = [];
    for (const r of rows) items.push(await r.locator("td").allInnerTexts());
    assert.ok(items.length > 10, `the result lists the lesson's items: ${JSON.stringify(items)}`);
    // Columns: line, item, status, check, detail. A whole-lesson run uses the environment as it
    // is, so the install step (run just before) is its one skipped item.
    const notPassed = items.filter(([, , status]) => status !== "passed").map(([, t, status]) => `${t}: ${status}`);
    assert.deepEqual(notPassed, ["Install TT-XLA: skipped"], JSON.stringify(items, null, 1));
    const cells = items.filter(([, title]) => /^cell \d+$/.test(title));
    assert.ok(
      cells.length >= 10 && cells.every(([, , , check]) => check === "passed"),
      `every cell's check passed: ${JSON.stringify(cells)}`,
    );
    await screenshot(s.page, "report-whole-lesson");
  },
  45 * MINUTE,
);

step("the Lessons view now counts every step and cell of the lesson checked", async () => {
  const row = await rowOf(LESSON_TITLE, /^(\d+) of \1 checked$/);
  assert.ok(Number(row.description.split(" ")[0]) > 10, row.description);
  await rowOf(MULTICHIP_TITLE, /^0 of \d+ checked$/); // the other lesson did not run
});

step("Save a Report… writes report.json, report.html and the notebook where the dialog says", async () => {
  const folder = join(s.workspace, "tt-xla-jax-report");
  // The row's own button: that lesson's report, no question which.
  const title = s.pkg.contributes.commands.find((c) => c.command === SAVE_REPORT).title;
  await clickLessonAction(lessons, LESSON_TITLE, title);
  const input = s.page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible", timeout: 30_000 });
  // code-server has no native dialog: VS Code's own save dialog is a quick input with the path.
  await waitFor(async () => (await input.inputValue()).endsWith("tt-xla-jax-report"), {
    what: "the save dialog with the report folder's default name",
  });
  await input.fill(folder);
  await s.page.keyboard.press("Enter");
  const toast = s.page.locator(".notification-toast", { hasText: "Saved the report" });
  await toast.first().waitFor({ state: "visible", timeout: MINUTE });
  assert.match(await toast.first().innerText(), /every check passed/);
  for (const name of ["report.json", "report.html", "tt-xla-jax.ipynb"]) {
    assert.ok(existsSync(join(folder, name)), `${name} in ${folder}`);
  }
  const data = JSON.parse(readFileSync(join(folder, "report.json"), "utf8"));
  assert.equal(data.passed, true);
  assert.equal(data.lesson, "tt-xla-jax");
  await screenshot(s.page, "report-saved");
});

step("report.html opens in Chromium and says the lesson passed", async () => {
  const tab = await s.page.context().newPage();
  try {
    await tab.goto(pathToFileURL(join(s.workspace, "tt-xla-jax-report", "report.html")).href);
    const verdict = (await tab.locator("h1#verdict").innerText()).trim();
    assert.equal(verdict, "tt-xla-jax: every check passed");
    const statuses = await tab.locator("table#items tr td:nth-child(3)").allInnerTexts();
    assert.ok(statuses.length > 10 && statuses.every((t) => t === "passed" || t === "skipped"), String(statuses));
    await tab.screenshot({ path: join(process.env.TT_E2E_ARTIFACTS ?? ".", "report-html.png"), fullPage: false });
  } finally {
    await tab.close();
  }
});

step("Save a Support Bundle… writes one zip with the doctor, status, the report and the log", async () => {
  const zip = join(s.workspace, "support.zip");
  const title = s.pkg.contributes.commands.find((c) => c.command === "tenstorrent.saveSupportBundle").title;
  await clickViewAction(lessons, title);
  const input = s.page.locator(".quick-input-widget input");
  await waitFor(async () => /tt-lessons-support-[\d-]+\.zip$/.test(await input.inputValue()), {
    what: "the save dialog with the bundle's default name",
  });
  await input.fill(zip);
  await s.page.keyboard.press("Enter");
  const toast = s.page.locator(".notification-toast", { hasText: "Saved a support bundle" });
  await toast.first().waitFor({ state: "visible", timeout: 2 * MINUTE });
  // Read back with the system Python's zipfile (node has no zip reader of its own).
  const read = spawnSync(
    SYSTEM_PYTHON,
    [
      "-c",
      "import json,sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); print(json.dumps({n: z.read(n).decode() for n in z.namelist()}))",
      zip,
    ],
    { encoding: "utf8" },
  );
  assert.equal(read.status, 0, read.stderr);
  const files = JSON.parse(read.stdout);
  for (const name of ["doctor.json", "status.json", "reports/tt-xla-jax/report.html", "extension.log"]) {
    assert.ok(name in files, `${name} in the bundle: ${Object.keys(files)}`);
  }
  // The extension's own log channel, found where VS Code writes it.
  assert.match(files["extension.log"], /run \S+: tenstorrent\/runLesson/);
  // code-server's HOME is the profile's own folder: no path under it but the venv's.
  const home = s.profile.env.HOME;
  for (const [name, text] of Object.entries(files)) {
    assert.ok(!text.split(s.venv).join("").includes(home), `${name} names the home folder`);
  }
});
