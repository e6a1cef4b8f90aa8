// One `.tt-run-panel`: applies a run's events to its DOM (status, progress, log, result, error).
// Knows nothing about messaging, so it is driven directly in the jsdom tests.
import type { Event, RunStatus } from "../backend/protocol";
import { formatDuration } from "./format";
import { addEpoch, appendToken, renderResult } from "./results";

/** Lines kept in `pre.tt-log`; a flood of output must not grow the DOM without bound. */
export const MAX_LOG_LINES = 4000;

export class RunPanel {
  runId: string | undefined;
  private lines: string[] = [];
  private losses: number[] = [];
  private stepText = "";

  constructor(
    readonly root: HTMLElement,
    private readonly allowed: ReadonlySet<string>,
  ) {}

  private q<T extends Element = HTMLElement>(sel: string): T | null {
    return this.root.querySelector<T>(sel);
  }

  get status(): string {
    return this.root.dataset.status ?? "idle";
  }

  /** A new run on this step: clear what the last one left. */
  reset(runId: string): void {
    this.runId = runId;
    this.lines = [];
    this.losses = [];
    this.stepText = "";
    this.root.hidden = false;
    for (const sel of [".tt-result", ".tt-error", "pre.tt-log", ".tt-step", ".tt-exit-code", ".tt-duration"]) {
      const e = this.q(sel);
      if (e) e.replaceChildren();
    }
    const bar = this.q<HTMLProgressElement>("progress.tt-progress");
    bar?.removeAttribute("value"); // indeterminate until the first progress event
    this.setStatus("running");
  }

  private setStatus(status: RunStatus): void {
    this.root.dataset.status = status;
    const s = this.q(".tt-status");
    if (s) s.textContent = status;
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
        this.stepText = `Step ${event.step}/${event.total}: ${event.label}`;
        if (step) step.textContent = `${this.stepText} (${Math.round(pct)}%)`;
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
        renderResult(this.result(), event.result, this.allowed);
        break;
      case "error":
        this.error(event.error.message, event.error.fixes ?? []);
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

  private error(message: string, fixes: string[]): void {
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
  }

  private end(status: RunStatus, exitCode: number | null, durationS: number): void {
    this.setStatus(status);
    const code = this.q(".tt-exit-code");
    if (code) code.textContent = exitCode === null ? "" : `exit code ${exitCode}`;
    const dur = this.q(".tt-duration");
    if (dur) dur.textContent = formatDuration(durationS);
    const bar = this.q<HTMLProgressElement>("progress.tt-progress");
    if (bar && status === "succeeded") bar.value = 100;
    // The percent belonged to the running step; once ended only the last step's name stays.
    const step = this.q(".tt-step");
    if (step) step.textContent = this.stepText;
    if (status === "failed" && !this.q(".tt-error")?.childElementCount) {
      this.error(`The step failed${exitCode === null ? "" : ` (exit code ${exitCode})`}. The log above says why.`, []);
    }
  }
}
