// One `.tt-run-panel`: applies a run's events to its DOM (status, progress, log, result, error).
// Knows nothing about messaging, so it is driven directly in the jsdom tests. A screen reader
// hears the run through a polite live region: its start, each new step, and how it ended.
import type { Event, FixAction, RunStatus } from "../backend/protocol";
import { downloadPercent, downloadText } from "../shared/downloadText";
import { formatClock, formatDuration } from "../shared/format";
import { problemsIn, problemsText } from "../shared/verdict";
import { fixButtons } from "./fixButtons";
import { addEpoch, appendToken, renderResult, type RunResult } from "./results";

/** Lines kept in `pre.tt-log`; a flood of output must not grow the DOM without bound. */
export const MAX_LOG_LINES = 4000;

export class RunPanel {
  runId: string | undefined;
  private lines: string[] = [];
  private losses: number[] = [];
  private stepText = "";
  /** FAIL findings in this run's result: a doctor run that found some ends "N problems found". */
  private problems = 0;
  /** The step's last result, kept across runs: the next doctor check says what changed. */
  private lastResult: RunResult | undefined;

  constructor(
    readonly root: HTMLElement,
    private readonly allowed: ReadonlySet<string>,
  ) {
    // Named after the step's button right before the panel (render.ts), else its command.
    const button = root.previousElementSibling;
    const name = button?.matches("button.tt-run") ? button.textContent?.trim() : root.dataset.command;
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", `Run of ${name || "this step"}`);
    this.q("progress.tt-progress")?.setAttribute("aria-label", "Progress of this run");
    this.q("button.tt-cancel")?.setAttribute("aria-label", "Cancel this run");
    this.q("pre.tt-log")?.setAttribute("tabindex", "0"); // scrollable: reachable by keyboard
    if (!this.q(".tt-announce")) {
      const live = root.ownerDocument.createElement("div");
      live.className = "tt-announce";
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      root.prepend(live);
    }
  }

  /** Said once by a screen reader (the live region's text replaced). */
  private announce(text: string): void {
    const live = this.q(".tt-announce");
    if (live) live.textContent = text;
  }

  private q<T extends Element = HTMLElement>(sel: string): T | null {
    return this.root.querySelector<T>(sel);
  }

  /** Forgets what the last run left (its text, its result, its kept mark). */
  private empty(runId: string | undefined): void {
    this.runId = runId;
    this.lines = [];
    this.losses = [];
    this.stepText = "";
    this.problems = 0;
    delete this.root.dataset.kept;
    for (const sel of [".tt-result", ".tt-error", "pre.tt-log", ".tt-step", ".tt-exit-code", ".tt-duration"]) {
      const e = this.q(sel);
      if (e) e.replaceChildren();
    }
  }

  /** A new run on this step: clear what the last one left. */
  reset(runId: string): void {
    this.empty(runId);
    this.root.hidden = false;
    const bar = this.q<HTMLProgressElement>("progress.tt-progress");
    bar?.removeAttribute("value"); // indeterminate until the first progress event
    this.setStatus("running");
    this.announce("Running…");
  }

  /** Back to "never run" (hidden): the page is drawn again for another venv with no run here. */
  clear(): void {
    this.empty(undefined);
    this.lastResult = undefined;
    this.root.hidden = true;
    this.root.dataset.status = "idle";
  }

  /**
   * Marks what the panel shows as the step's kept result from before the reload (not a run of this
   * window), with when it ran: "From 14:02, before the reload." A day other than today is named.
   */
  markKept(endedAt: number, now = Date.now()): void {
    this.root.dataset.kept = "true";
    const day = (t: number): string => new Date(t).toDateString();
    const date = day(endedAt) === day(now) ? "" : `${new Date(endedAt).toLocaleDateString()} `;
    const text = `From ${date}${formatClock(endedAt, false)}, before the reload.`;
    const note = this.root.ownerDocument.createElement("p");
    note.className = "tt-kept";
    note.textContent = text;
    this.result().prepend(note);
    this.announce(`The last result of this step: ${text}`);
  }

  /** `problems` > 0: the run succeeded but found that many problems (never drawn as a success). */
  private setStatus(status: RunStatus, problems = 0): void {
    this.root.dataset.status = problems ? "problems" : status;
    const s = this.q(".tt-status");
    if (s) s.textContent = problems ? problemsText(problems) : status;
    const cancel = this.q<HTMLButtonElement>("button.tt-cancel");
    if (cancel) cancel.disabled = status !== "running";
  }

  apply(event: Event): void {
    switch (event.kind) {
      case "log":
        this.log(event.lines);
        break;
      case "progress": {
        const pct = event.percent ?? (100 * event.step) / event.total;
        const bar = this.q<HTMLProgressElement>("progress.tt-progress");
        if (bar) bar.value = pct;
        const step = this.q(".tt-step");
        const text = `Step ${event.step}/${event.total}: ${event.label}`;
        // A new step is news; its percent ticking up is not (the progress bar carries that).
        if (text !== this.stepText) this.announce(text);
        this.stepText = text;
        if (step) step.textContent = `${this.stepText} (${Math.round(pct)}%)`;
        break;
      }
      case "download": {
        // The bar follows the bytes while they come; the next step's event takes it back.
        const bar = this.q<HTMLProgressElement>("progress.tt-progress");
        if (bar) bar.value = downloadPercent(event);
        const text = `Downloading ${event.filesTotal} files`;
        if (text !== this.stepText) this.announce(text);
        this.stepText = text;
        const step = this.q(".tt-step");
        if (step) step.textContent = `Downloading: ${downloadText(event)}`;
        break;
      }
      case "token":
        appendToken(this.result(), event);
        break;
      case "epoch":
        this.losses.push(event.loss);
        addEpoch(this.result(), event, this.losses);
        break;
      case "result":
        renderResult(this.result(), event.result, this.allowed, this.lastResult);
        this.lastResult = event.result;
        this.problems = problemsIn(event.result);
        break;
      case "error":
        this.error(event.error.message, event.error.fixes ?? [], event.error.actions ?? []);
        break;
      case "end":
        this.end(event.status, event.exitCode, event.durationS);
        break;
    }
  }

  private result(): HTMLElement {
    return this.q(".tt-result") ?? this.root;
  }

  private log(lines: string[]): void {
    for (const l of lines) this.lines.push(l); // no spread: a batch may hold 100k lines
    if (this.lines.length > MAX_LOG_LINES) this.lines.splice(0, this.lines.length - MAX_LOG_LINES);
    const pre = this.q("pre.tt-log");
    if (pre) {
      pre.textContent = this.lines.join("\n");
      pre.scrollTop = pre.scrollHeight;
    }
  }

  private error(message: string, fixes: string[], actions: FixAction[] = []): void {
    const box = this.q(".tt-error");
    if (!box) return;
    const doc = this.root.ownerDocument;
    const p = doc.createElement("p");
    p.className = "tt-error-message";
    p.textContent = message;
    box.append(p);
    if (fixes.length) {
      const ul = doc.createElement("ul");
      ul.className = "tt-fixes";
      for (const f of fixes) {
        const li = doc.createElement("li");
        li.textContent = f;
        ul.append(li);
      }
      box.append(ul);
    }
    // The fixes the page may run become buttons (the host checks each click again); the rest
    // stay as the text above.
    const runnable = actions.filter((a) => this.allowed.has(a.command));
    if (runnable.length) box.append(fixButtons(doc, runnable));
  }

  private end(status: RunStatus, exitCode: number | null, durationS: number): void {
    const problems = status === "succeeded" ? this.problems : 0;
    this.setStatus(status, problems);
    const code = this.q(".tt-exit-code");
    if (code) code.textContent = exitCode === null ? "" : `exit code ${exitCode}`;
    const dur = this.q(".tt-duration");
    if (dur) dur.textContent = formatDuration(durationS);
    const bar = this.q<HTMLProgressElement>("progress.tt-progress");
    if (bar && status === "succeeded") bar.value = 100;
    // The step label belonged to the running run: after a success it would read as unfinished
    // ("Succeeded — Step 4/5"); after a failure or a cancel it says where the run stopped.
    const step = this.q(".tt-step");
    if (step) step.textContent = status === "succeeded" || !this.stepText ? "" : `Stopped at ${this.stepText}`;
    if (status === "failed" && !this.q(".tt-error")?.childElementCount) {
      this.error(`The step failed${exitCode === null ? "" : ` (exit code ${exitCode})`}. The log above says why.`, []);
    }
    const said = status === "failed" ? `: ${this.q(".tt-error-message")?.textContent ?? ""}` : "";
    const verdict = problems ? problemsText(problems) : status;
    this.announce(`${verdict[0]?.toUpperCase() ?? ""}${verdict.slice(1)} after ${formatDuration(durationS)}${said}`);
  }
}
