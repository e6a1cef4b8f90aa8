// Draws "What you just accomplished" into the lesson's `.tt-summary` containers (a ```summary
// fence, lesson/cells.ts) from the last result of each step: live runs and kept ones alike, and
// the cells that stand for a step once they pass their check, in the order they ended, so the
// newest result of a kind is the one shown.
import type { ResultEvent } from "../backend/protocol";
import { isSummaryKind, summaryLines, type CellPass } from "../shared/summary";
import { el } from "./charts";

type RunResult = ResultEvent["result"];

/** A cell's last run as the page knows it (webview/cells.ts reports each one that ends). */
export interface CellRun {
  index: number;
  /** The cell's `data-summary`: the step it stands for, if any. */
  summary: string | undefined;
  passed: boolean;
  stdout: string;
  /** When it ended (epoch ms). */
  at: number;
}

export class Summary {
  /** Each step's (and each standing-in cell's) last result and when it ended (epoch ms). */
  private readonly results = new Map<string, { at: number; result: RunResult | CellPass }>();

  constructor(private readonly doc: Document) {}

  /** Forgets every result (a new page state from the host), then draws "not run yet" lines. */
  clear(): void {
    this.results.clear();
    this.draw();
  }

  /** `result` is now `stepId`'s last one; `at` orders it against the other steps' results. */
  note(stepId: string, result: RunResult, at: number): void {
    this.results.set(stepId, { at, result });
    this.draw();
  }

  /**
   * A cell's run ended: one that stands for a step counts while its last run passed the check;
   * a later run that did not pass takes it back out.
   */
  noteCell(run: CellRun): void {
    const key = `cell:${run.index}`;
    if (!isSummaryKind(run.summary)) return;
    if (run.passed) {
      const cellPass = { kind: run.summary, cell: run.index, stdout: run.stdout };
      this.results.set(key, { at: run.at, result: { cellPass } });
    } else if (!this.results.delete(key)) return;
    this.draw();
  }

  draw(): void {
    const containers = this.doc.querySelectorAll<HTMLElement>(".tt-summary");
    if (!containers.length) return;
    const ordered = [...this.results.values()].sort((a, b) => a.at - b.at).map((x) => x.result);
    const lines = summaryLines(ordered);
    for (const box of containers) {
      const list = el(this.doc, "ul", "tt-summary-list");
      list.setAttribute("aria-label", "Your results");
      for (const line of lines) {
        const li = el(this.doc, "li", `tt-summary-item${line.ran ? "" : " tt-summary-not-run"}`);
        li.dataset.kind = line.kind;
        li.dataset.ran = String(line.ran);
        li.append(
          el(this.doc, "strong", "tt-summary-label", `${line.label}: `),
          el(this.doc, "span", "tt-summary-text", line.text),
        );
        list.append(li);
      }
      box.replaceChildren(list);
    }
  }
}
