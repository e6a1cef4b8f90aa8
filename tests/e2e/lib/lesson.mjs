// Helpers bound to the lesson webview inside a workbench page: its step buttons and run panels,
// the lesson's tab, notification toasts, and the sidebar's status view.
import { findFrame, waitFor } from "./workbench.mjs";

const MINUTE = 60_000;

/** A run panel's statuses once the run is over ("problems": a doctor that found FAIL findings). */
export const FINAL = ["succeeded", "problems", "failed", "cancelled"];

export class LessonPage {
  /** `page`: the workbench; `title`: the lesson's front-matter title (its tab's label). */
  constructor(page, title) {
    this.page = page;
    this.title = title;
    this.lessonFrame = null;
  }

  /** The lesson webview's frame (found again after the page reloaded or the tab was reopened). */
  async frame() {
    if (!this.lessonFrame || this.lessonFrame.isDetached()) {
      this.lessonFrame = await findFrame(this.page, "button.tt-run");
    }
    return this.lessonFrame;
  }

  /** Forget the frame (after a window reload). */
  forget() {
    this.lessonFrame = null;
  }

  /** Waits until the lesson's frame is gone (its tab closed), then forgets it. */
  async waitGone() {
    await waitFor(async () => !(this.lessonFrame && !this.lessonFrame.isDetached()), {
      what: "the lesson page to go",
    });
    this.lessonFrame = null;
  }

  async button(cmd) {
    return (await this.frame()).locator(`button.tt-run[data-command="${cmd}"]`).first();
  }

  async panel(cmd) {
    return (await this.frame()).locator(`button.tt-run[data-command="${cmd}"] + .tt-run-panel`).first();
  }

  async status(cmd) {
    return (await this.panel(cmd)).getAttribute("data-status", { timeout: 5_000 });
  }

  /** A run panel in words, for failure messages: status, step, error and the log's tail. */
  async describe(cmd) {
    const p = await this.panel(cmd);
    const text = async (sel) =>
      (await p
        .locator(sel)
        .first()
        .textContent({ timeout: 2_000 })
        .catch(() => "")) ?? "";
    const log = await text("pre.tt-log");
    return (
      `status=${await this.status(cmd).catch(() => "?")} step=${(await text(".tt-step")).trim()} ` +
      `error=${(await text(".tt-error")).trim()}\nlog tail:\n${log.slice(-1500)}`
    );
  }

  /** Waits until the run panel of `cmd` has one of `wanted` statuses; returns it. */
  async waitStatus(cmd, wanted, timeoutMs) {
    try {
      return await waitFor(
        async () => {
          const s = await this.status(cmd);
          return wanted.includes(s) ? s : false;
        },
        { timeoutMs, intervalMs: 100, what: `${cmd} status in [${wanted}]` },
      );
    } catch (err) {
      err.message += `\n${await this.describe(cmd).catch((e) => String(e))}`;
      throw err;
    }
  }

  /** Clicks the step of `cmd` and waits until its run ends; returns the final status. */
  async runStep(cmd, timeoutMs) {
    await (await this.button(cmd)).click();
    await this.waitStatus(cmd, ["running", "succeeded", "failed"], MINUTE);
    return this.waitStatus(cmd, FINAL, timeoutMs);
  }

  /** The lesson's editor tab. */
  tab() {
    return this.page.locator(".tabs-container .tab", { hasText: this.title });
  }

  async isDone(cmd) {
    return (await this.button(cmd)).evaluate((b) => b.classList.contains("tt-done"));
  }

  /**
   * Starts recording every notification toast the workbench shows (text, Cancel button, progress
   * bar state), so that a short-lived progress notification is seen even if it is gone by the time
   * the test looks. `toastLog()` returns the records.
   */
  async recordToasts() {
    await this.page.evaluate(() => {
      const records = [];
      window.__ttToasts = records;
      const look = () => {
        for (const t of document.querySelectorAll(".notification-toast")) {
          const buttons = [...t.querySelectorAll(".monaco-button, a.action-label")].map(
            (b) => b.innerText || b.getAttribute("aria-label") || "",
          );
          const bar = t.querySelector(".monaco-progress-container");
          const bit = t.querySelector(".progress-bit");
          const rec = JSON.stringify({
            text: (t.innerText ?? "").replace(/\s+/g, " ").trim(),
            buttons,
            progress: bar ? bar.className : null,
            width: bit ? bit.style.width : null,
            error: !!t.querySelector(".codicon-error"),
          });
          if (records[records.length - 1] !== rec) records.push(rec);
        }
      };
      window.__ttToastObserver?.disconnect();
      window.__ttToastObserver = new MutationObserver(look);
      window.__ttToastObserver.observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
      });
    });
  }

  async toastLog() {
    return (await this.page.evaluate(() => window.__ttToasts ?? [])).map((r) => JSON.parse(r));
  }

  /** Waits until the sidebar's status view says the venv is ready. */
  async waitStatusViewReady(sidebar) {
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
        for (const f of this.page.frames()) {
          if (
            f === this.lessonFrame ||
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
}
