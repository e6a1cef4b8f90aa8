// A backend error's fixes as a row of `tt-fix` buttons ("Install CPU-only", "Install TT-XLA"),
// the same under a step and under a cell; the page runs each under the lesson's own step for its
// command (main.ts), and the host checks every click against its allow-list again.
import type { FixAction } from "../backend/protocol";

export function fixButtons(doc: Document, actions: readonly FixAction[]): HTMLElement {
  const row = doc.createElement("div");
  row.className = "tt-fix-actions";
  row.setAttribute("role", "group");
  row.setAttribute("aria-label", "Ways to fix this");
  for (const a of actions) {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "tt-fix";
    b.textContent = a.label;
    b.dataset.command = a.command;
    if (a.args && Object.keys(a.args).length) b.dataset.args = JSON.stringify(a.args);
    row.append(b);
  }
  return row;
}
