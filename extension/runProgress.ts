// What a run's notification shows: each step with its share of the bar, and during the install's
// download the bytes, rate and time left, moving the bar through that step's share.
import type { Event } from "./backend/protocol";
import { downloadPercent, downloadText } from "./shared/downloadText";

export interface ProgressReport {
  message: string;
  increment: number;
}

export class NotificationProgress {
  private shown = 0;
  private step = { base: 0, span: 0 };

  /** The report for this event (VS Code adds up increments), or undefined when it shows none. */
  next(e: Event | undefined): ProgressReport | undefined {
    if (e?.kind === "download") {
      return this.to(this.step.base + (this.step.span * downloadPercent(e)) / 100, `Downloading ${downloadText(e)}`);
    }
    if (e?.kind !== "progress") return undefined;
    const pct = e.percent ?? (100 * e.step) / e.total;
    this.step = { base: pct, span: 100 / e.total };
    return this.to(pct, `${e.label} (${e.step}/${e.total})`);
  }

  private to(pct: number, message: string): ProgressReport {
    const increment = Math.max(0, pct - this.shown);
    this.shown = Math.max(this.shown, pct);
    return { message, increment };
  }
}
