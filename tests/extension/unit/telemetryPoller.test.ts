// Polling follows window focus: reads at once and then every interval while focused, none while
// not; a slow read is never overlapped by the next tick. The timer is a fake the test ticks.
import { describe, expect, it } from "vitest";
import { TelemetryPoller, type Disposable, type Timer, type WindowFocus } from "../../../extension/telemetry/poller";
import type { ChipReading } from "../../../extension/telemetry/sysfs";

class FakeFocus implements WindowFocus {
  private readonly listeners = new Set<(f: boolean) => void>();
  constructor(public focused: boolean) {}
  onDidChange(listener: (f: boolean) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  set(focused: boolean): void {
    this.focused = focused;
    for (const l of this.listeners) l(focused);
  }
  get subscribers(): number {
    return this.listeners.size;
  }
}

class FakeTimer implements Timer {
  readonly ticks = new Set<() => void>();
  intervals: number[] = [];
  every(ms: number, tick: () => void): Disposable {
    this.intervals.push(ms);
    this.ticks.add(tick);
    return { dispose: () => this.ticks.delete(tick) };
  }
  tick(): void {
    for (const t of this.ticks) t();
  }
}

const chip: ChipReading = { index: 0, tempC: 40 };
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

function setup(focused: boolean, read?: () => Promise<ChipReading[]>) {
  const focus = new FakeFocus(focused);
  const timer = new FakeTimer();
  const seen: ChipReading[][] = [];
  let reads = 0;
  const poller = new TelemetryPoller(
    read ??
      (async () => {
        reads++;
        return [chip];
      }),
    focus,
    (chips) => seen.push(chips),
    timer,
    3000,
  );
  return { focus, timer, seen, poller, reads: () => reads };
}

describe("TelemetryPoller", () => {
  it("reads at once and on every tick while the window is focused", async () => {
    const t = setup(true);
    await settle();
    expect(t.reads()).toBe(1);
    expect(t.timer.intervals).toEqual([3000]);
    t.timer.tick();
    await settle();
    t.timer.tick();
    await settle();
    expect(t.reads()).toBe(3);
    expect(t.seen).toEqual([[chip], [chip], [chip]]);
  });

  it("does not read while unfocused; focusing reads at once, blurring stops the timer", async () => {
    const t = setup(false);
    await settle();
    expect(t.reads()).toBe(0);
    expect(t.timer.ticks.size).toBe(0);

    t.focus.set(true);
    await settle();
    expect(t.reads()).toBe(1);
    expect(t.timer.ticks.size).toBe(1);

    t.focus.set(false);
    t.timer.tick(); // no timer is left to fire
    await settle();
    expect(t.reads()).toBe(1);
    expect(t.timer.ticks.size).toBe(0);
  });

  it("never overlaps a read still out", async () => {
    let release: (c: ChipReading[]) => void = () => undefined;
    let reads = 0;
    const t = setup(true, () => {
      reads++;
      return new Promise((r) => (release = r));
    });
    t.timer.tick();
    t.timer.tick();
    expect(reads).toBe(1);
    release([chip]);
    await settle();
    t.timer.tick();
    expect(reads).toBe(2);
  });

  it("a failed read is skipped and the next tick reads again", async () => {
    let reads = 0;
    const t = setup(true, async () => {
      reads++;
      if (reads === 1) throw new Error("EIO");
      return [chip];
    });
    await settle();
    expect(t.seen).toEqual([]);
    t.timer.tick();
    await settle();
    expect(t.seen).toEqual([[chip]]);
  });

  it("dispose stops the timer, the focus listener and late results", async () => {
    let release: (c: ChipReading[]) => void = () => undefined;
    const t = setup(true, () => new Promise((r) => (release = r)));
    t.poller.dispose();
    release([chip]);
    await settle();
    expect(t.seen).toEqual([]);
    expect(t.timer.ticks.size).toBe(0);
    expect(t.focus.subscribers).toBe(0);
    t.focus.set(true);
    expect(t.timer.ticks.size).toBe(0);
  });
});
