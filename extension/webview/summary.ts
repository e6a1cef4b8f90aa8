// Draws "What you just accomplished" into the lesson's `.tt-summary` containers (a ```summary
// fence, lesson/cells.ts) from the last result of each step: live runs and kept ones alike, in
// the order they ended, so the newest result of a kind is the one shown.
import type { ResultEvent } from "../backend/protocol";
import { summaryLines } from "../shared/summary";
import { el } from "./charts";

type RunResult = ResultEvent["result"];

export class Summary {
  /** Each step's last result and when it ended (epoch ms). */
  private readonly results = new Map<string, { at: number; result: RunResult }>();

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
