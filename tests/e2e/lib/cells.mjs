// Helpers for the lesson's code cells inside the lesson webview: find a cell by its text, replace
// its code in the CodeMirror editor as a person would (select all, type), run, interrupt, and read
// its status and outputs. Bound to a LessonPage (lib/lesson.mjs) for the frame.
import { waitFor } from "./workbench.mjs";

/** A cell's statuses once its run is over. */
export const CELL_FINAL = ["succeeded", "failed", "interrupted", "died", "timeout"];

export class LessonCells {
  constructor(page, ui) {
    this.page = page;
    this.ui = ui;
  }

  async cell(index) {
    return (await this.ui.frame()).locator(`.tt-cell[data-cell="${index}"]`).first();
  }

  /** The number of the first cell whose editor holds `text`. */
  async find(text) {
    const frame = await this.ui.frame();
    const cells = frame.locator(".tt-cell");
    await cells.first().locator(".cm-content").waitFor({ state: "visible", timeout: 60_000 });
    for (const c of await cells.all()) {
      if ((await this.codeOf(c)).includes(text)) return Number(await c.getAttribute("data-cell"));
    }
    throw new Error(`no cell holds ${JSON.stringify(text)}`);
  }

  async codeOf(cellLocator) {
    // An empty line is a <br> in CodeMirror, whose innerText is "\n".
    const lines = await cellLocator.locator(".cm-content .cm-line").allInnerTexts();
    return lines.map((l) => l.replace(/\n$/, "")).join("\n");
  }

  async code(index) {
    return this.codeOf(await this.cell(index));
  }

  /** Replaces the cell's code through its editor: click, select all, type. */
  async setCode(index, code) {
    const c = await this.cell(index);
    await c.locator(".cm-content").click();
    await this.page.keyboard.press("ControlOrMeta+A");
    await this.page.keyboard.insertText(code);
    await waitFor(async () => (await this.code(index)) === code, { what: `cell ${index} to hold the new code` });
  }

  async click(index, cls) {
    await (await this.cell(index)).locator(`button.${cls}`).click();
  }

  /**
   * Clicks Run and waits for this run to be under way (queued or running, its count "[*]"): a cell
   * whose previous run ended the same way would otherwise look finished before this one started.
   */
  async startRun(index) {
    await this.click(index, "tt-cell-run");
    const busy = (await this.ui.frame()).locator(
      `.tt-cell[data-cell="${index}"]:is([data-status="queued"], [data-status="running"])`,
    );
    await busy.first().waitFor({ state: "attached", timeout: 60_000 });
  }

  async status(index) {
    return (await this.cell(index)).getAttribute("data-status", { timeout: 5_000 });
  }

  async outputs(index) {
    return (
      (await (
        await this.cell(index)
      )
        .locator(".tt-cell-outputs")
        .innerText({ timeout: 5_000 })
        .catch(() => "")) ?? ""
    );
  }

  async describe(index) {
    return `cell ${index}: status=${await this.status(index).catch(() => "?")} outputs:\n${(await this.outputs(index)).slice(-1500)}`;
  }

  async waitStatus(index, wanted, timeoutMs) {
    try {
      return await waitFor(
        async () => {
          const s = await this.status(index);
          return wanted.includes(s) ? s : false;
        },
        { timeoutMs, intervalMs: 100, what: `cell ${index} status in [${wanted}]` },
      );
    } catch (err) {
      err.message += `\n${await this.describe(index).catch((e) => String(e))}`;
      throw err;
    }
  }
}
