// The sidebar's Lessons view (extension/lessons/view.ts): its rows as a person reads them.
import { runFromPalette } from "./workbench.mjs";

/** Shows the Tenstorrent sidebar; returns the Lessons pane. */
export async function showLessonsView(page, pkg) {
  const container = (pkg.contributes?.viewsContainers?.activitybar ?? []).find((c) => c.id === "tenstorrent");
  await runFromPalette(page, `View: Show ${container.title}`);
  const name = pkg.contributes.views.tenstorrent.find((v) => v.id === "tenstorrent.lessons").name;
  const pane = page
    .locator(".part.sidebar .pane")
    .filter({ has: page.locator(".pane-header", { hasText: new RegExp(name, "i") }) });
  await pane.first().waitFor({ state: "visible" });
  return pane.first();
}

/** Each row's label and description (the lesson's title and "N of M checked"). */
export async function lessonRows(pane) {
  const rows = [];
  for (const row of await pane.locator(".pane-body .monaco-list-row").all()) {
    const text = async (sel) =>
      (
        await row
          .locator(sel)
          .first()
          .innerText({ timeout: 1_000 })
          .catch(() => "")
      ).trim();
    rows.push({ label: await text(".label-name"), description: await text(".label-description") });
  }
  return rows;
}

const row = (pane, title) => pane.locator(".pane-body .monaco-list-row").filter({ hasText: title }).first();

export async function clickLesson(pane, title) {
  await row(pane, title).click();
}

/** Clicks a row's inline action (shown under the mouse), by its title: "Save a Report…". */
export async function clickLessonAction(pane, title, action) {
  const r = row(pane, title);
  await r.hover();
  await r.locator(`.actions .action-label[aria-label="${action}"]`).click();
}

/** Clicks one of the view's title buttons (shown under the mouse), by its title. */
export async function clickViewAction(pane, action) {
  const header = pane.locator(".pane-header");
  await header.hover();
  await header.locator(`.actions .action-label[aria-label="${action}"]`).click();
}
