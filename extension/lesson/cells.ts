// The lesson's code cells: every ```python fence, counted the way the backend counts them
// (markdown-it fence tokens whose info string's first word is `python`, in document order, the
// `norun` ones included so the numbers agree), and the HTML each one renders to. No `vscode`
// import: string in, string out, unit-tested.
import type MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { escapeHtml as esc } from "../shared/html";
import { isSummaryKind, type SummaryKind } from "../shared/summary";

/** The info-string word that marks a python fence as shown but never run (```python norun). */
export const NORUN = "norun";

export interface LessonCell {
  /** The cell's number: its place among the lesson's python fences. */
  index: number;
  /** The lesson's own text, without the fence's final newline. */
  source: string;
  runnable: boolean;
  /**
   * The step whose summary line this cell stands for (```python summary=sanity): once it passes
   * the lesson's check, "What you just accomplished" counts it (shared/summary.ts).
   */
  summary?: SummaryKind;
}

const infoWords = (info: string): string[] => info.trim().split(/\s+/).filter(Boolean);

/** Is this fence token a cell? Its info string's first word is `python`. */
export function isCellFence(token: Token): boolean {
  return token.type === "fence" && infoWords(token.info)[0] === "python";
}

export function isRunnableInfo(info: string): boolean {
  return !infoWords(info).slice(1).includes(NORUN);
}

/** The info-string word that names the summary line a cell stands for (```python summary=cnn). */
export const SUMMARY_WORD = "summary=";

export function summaryOfInfo(info: string): SummaryKind | undefined {
  const kind = infoWords(info)
    .slice(1)
    .find((w) => w.startsWith(SUMMARY_WORD))
    ?.slice(SUMMARY_WORD.length);
  return isSummaryKind(kind) ? kind : undefined;
}

/** The fence's text as a cell holds it: markdown-it keeps the newline before the closing fence. */
export function cellSource(content: string): string {
  return content.endsWith("\n") ? content.slice(0, -1) : content;
}

/** The cell a python fence makes, `index` being its place among the lesson's cells. */
function cellOf(token: Token, index: number): LessonCell {
  const summary = summaryOfInfo(token.info);
  return {
    index,
    source: cellSource(token.content),
    runnable: isRunnableInfo(token.info),
    ...(summary ? { summary } : {}),
  };
}

/**
 * One cell's HTML: the DOM contract the webview (webview/cells.ts) and the e2e tests rely on.
 * `highlighted` is the fence as the lesson renders it today (a highlighted <pre>): it is what
 * shows until the webview script swaps in an editor, and its text is the cell's original source.
 */
export function cellHtml(cell: LessonCell, highlighted: string): string {
  const b = (cls: string, label: string, title: string, disabled = false): string =>
    `<button type="button" class="${cls}" title="${esc(title)}"${disabled ? " disabled" : ""}>${label}</button>`;
  const run = cell.runnable
    ? b("tt-cell-run", "Run", "Run this cell in the lesson's kernel") +
      b("tt-cell-interrupt", "Interrupt", "Interrupt the kernel (press again to kill it)", true)
    : "";
  return (
    `<div class="tt-cell" data-cell="${cell.index}" data-runnable="${cell.runnable}"` +
    `${cell.summary ? ` data-summary="${cell.summary}"` : ""} data-status="idle">` +
    `<div class="tt-cell-bar"><span class="tt-cell-count" title="Execution count">[ ]</span>${run}` +
    b("tt-cell-reset", "Reset", "Put back the lesson's text") +
    b("tt-cell-copy", "Copy", "Copy the code") +
    b("tt-cell-open", "Open as file", "Open the code as a .py file in an editor") +
    `<span class="tt-cell-status">${cell.runnable ? "idle" : "not runnable"}</span>` +
    `<span class="tt-cell-duration"></span><span class="tt-cell-edited" hidden>edited</span></div>` +
    `<div class="tt-cell-source">${highlighted}</div>` +
    `<div class="tt-cell-outputs" aria-live="polite"></div></div>\n`
  );
}

/** The info-string word of a check fence (the backend parses its lines: kernel/checks.py). */
export const CHECK_INFO = "check";

/**
 * A check fence, folded under its cell or step: the reader can open it to see what is checked.
 * Only its text is shown; what the lines mean is the backend's to decide (one parser).
 */
export function checkHtml(highlighted: string): string {
  return `<details class="tt-check"><summary>What is checked</summary>${highlighted}</details>\n`;
}

/**
 * The info-string word of the "what you accomplished" marker: the webview fills its container
 * with the reader's own results (shared/summary.ts). The fence's text is not shown.
 */
export const SUMMARY_INFO = "summary";

/** The summary's empty container: the DOM contract webview/summary.ts fills. */
export function summaryHtml(): string {
  return (
    `<div class="tt-summary" aria-live="polite">` +
    `<p class="tt-summary-empty">Your own results show here as you run the steps.</p></div>\n`
  );
}

/**
 * Renders python fences as cells: wraps markdown-it's own fence rule (so highlighting stays as it
 * is) and counts cells per render in `env.cells`; check fences fold away and a summary fence
 * becomes its container. Other fences render as before.
 */
export function useCellFences(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence;
  if (!fence) throw new Error("markdown-it has no fence rule");
  md.renderer.rules.fence = (tokens, idx, options, env: { cells?: LessonCell[] }, self) => {
    const token = tokens[idx];
    if (token?.type === "fence" && infoWords(token.info)[0] === SUMMARY_INFO) return summaryHtml();
    const html = fence(tokens, idx, options, env, self);
    if (token?.type === "fence" && infoWords(token.info)[0] === CHECK_INFO) return checkHtml(html);
    if (!token || !isCellFence(token)) return html;
    env.cells ??= [];
    const cell = cellOf(token, env.cells.length);
    env.cells.push(cell);
    return cellHtml(cell, html);
  };
}
