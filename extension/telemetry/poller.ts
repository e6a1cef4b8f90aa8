// Polls the chips every few seconds, but only while this window is focused: an unfocused or
// minimised window does no reads at all, and focusing it reads at once. No `vscode` import: the
// window state and the timer are seams (register.ts passes VS Code's window state).
import type { ChipReading } from "./sysfs";

export interface Disposable {
  dispose(): void;
}

/** `vscode.window.state.focused` and `onDidChangeWindowState`, reduced to what polling needs. */
export interface WindowFocus {
  readonly focused: boolean;
  onDidChange(listener: (focused: boolean) => void): Disposable;
}

export interface Timer {
  every(ms: number, tick: () => void): Disposable;
}

export const realTimer: Timer = {
  every: (ms, tick) => {
    const handle = setInterval(tick, ms);
    return { dispose: () => clearInterval(handle) };
  },
};

export const POLL_MS = 5000;

export class TelemetryPoller implements Disposable {
  private ticking: Disposable | undefined;
  private reading = false;
  private readonly focusSub: Disposable;
  private disposed = false;

  constructor(
    private readonly read: () => Promise<ChipReading[]>,
    focus: WindowFocus,
    private readonly onReading: (chips: ChipReading[]) => void,
    private readonly timer: Timer = realTimer,
    private readonly intervalMs: number = POLL_MS,
  ) {
    this.focusSub = focus.onDidChange((focused) => (focused ? this.resume() : this.pause()));
    if (focus.focused) this.resume();
  }

  /** Reads now (skipped while a read is still out) and hands the chips on. */
  async poll(): Promise<void> {
    if (this.reading || this.disposed) return;
    this.reading = true;
    try {
      const chips = await this.read();
      if (!this.disposed) this.onReading(chips);
    } catch {
      // A failed read shows nothing new; the next tick tries again (the reader itself does not throw).
    } finally {
      this.reading = false;
    }
  }

  private resume(): void {
    if (this.ticking || this.disposed) return;
    void this.poll();
    this.ticking = this.timer.every(this.intervalMs, () => void this.poll());
  }

  private pause(): void {
    this.ticking?.dispose();
    this.ticking = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.pause();
    this.focusSub.dispose();
  }
}
