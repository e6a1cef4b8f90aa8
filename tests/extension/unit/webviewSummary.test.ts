// @vitest-environment jsdom
// The lesson page's script (webview/main.ts) feeds the summary: kept results on init, live ones
// as their runs end, and a new init forgets the old page's results.
import { beforeAll, describe, expect, it } from "vitest";
import type { Event, SanityResult } from "../../../extension/backend/protocol";
import { renderLesson } from "../../../extension/lesson/render";
import { emptySnapshot } from "../../../extension/shared/cellModel";
import type { ToWebview } from "../../../extension/shared/messages";

const sanity = (value: number, platform: string): Event => ({
  kind: "result",
  result: {
    kind: "sanity",
    devices: [],
    platform,
    resultDevice: `${platform}:0`,
    value,
    expected: 32,
    ok: value === 32,
    ttDevice: platform === "tt",
    jaxVersion: "0.7.1",
    timings: { importS: 1, computeS: 0.1 },
  } satisfies SanityResult,
});
const end: Event = { kind: "end", status: "succeeded", exitCode: 0, durationS: 1 };
const send = (data: ToWebview): void => {
  window.dispatchEvent(new MessageEvent("message", { data }));
};
const line = (kind: string): string =>
  document.querySelector(`.tt-summary li[data-kind="${kind}"] .tt-summary-text`)?.textContent ?? "";

/** An init whose one kept result is a sanity check of `value` on `stepId`, ended at `endedAt`. */
const initWithKept = (stepId: string, value: number, endedAt: number): void => {
  const kept = {
    stepId,
    command: "tenstorrent.testTtXlaInstall",
    runId: `kept-${stepId}`,
    status: "succeeded" as const,
  };
  send({
    type: "init",
    done: [],
    allowed: [],
    runs: [],
    kept: [{ ...kept, events: [sanity(value, "cpu"), end], endedAt }],
  });
};

beforeAll(async () => {
  const { html } = renderLesson(
    "```python summary=sanity\nprint(z, z.devices())\n```\n\n" +
      "[Test the install](command:tenstorrent.testTtXlaInstall)\n\n" +
      "[Again](command:tenstorrent.testTtXlaInstall)\n\n```summary\n```\n",
  );
  document.body.innerHTML = html;
  // What VS Code gives a webview, and what jsdom lacks.
  Object.assign(globalThis, {
    acquireVsCodeApi: () => ({ postMessage: () => undefined, getState: () => undefined, setState: () => undefined }),
    CSS: { escape: (s: string) => s },
  });
  await import("../../../extension/webview/main");
});

describe("the lesson page's summary", () => {
  it("says 'not run yet' before anything arrives", () => {
    expect(line("sanity")).toBe("not run yet");
  });

  it("shows a kept result on init, then a live run's result once it arrives, newest first", () => {
    initWithKept("step-1", 31, 1000);
    expect(line("sanity")).toMatch(/^Dot product 31\.0 .*platform "cpu"/);
    // A live run on the other button: an older kept result does not hide it.
    send({ type: "events", items: [{ stepId: "step-0", runId: "r1" }] });
    expect(line("sanity")).toMatch(/^Dot product 31\.0/); // still running: the last result stays
    send({
      type: "events",
      items: [
        { stepId: "step-0", runId: "r1", event: sanity(32, "tt") },
        { stepId: "step-0", runId: "r1", event: end },
      ],
    });
    expect(line("sanity")).toMatch(/^Dot product 32\.0 \(correct\) on a Tenstorrent device/);
  });

  it("counts the step's cell once it passed its check (saved or live), until a later run does not pass", () => {
    send({ type: "init", done: [], allowed: [], runs: [], kept: [] });
    const printed = { output_type: "stream" as const, name: "stdout" as const, text: "32.0 {CpuDevice(id=0)}\n" };
    const passed = {
      ...emptySnapshot(),
      status: "succeeded" as const,
      executionCount: 1,
      outputs: [printed],
      check: "passed" as const,
      endedAt: 500,
    };
    // Saved from before a reload: the host's cells/init brings it back.
    send({ type: "cells/init", cells: { 0: passed }, canRun: true, kernel: "idle", kernelIsNew: true });
    expect(line("sanity")).toBe("Your cell 1 ran and passed the lesson's check: dot product 32.0 on CpuDevice(id=0).");
    // A kept button result that ended later wins; an older one does not.
    initWithKept("step-0", 32, 100);
    send({ type: "cells/init", cells: { 0: passed }, canRun: true, kernel: "idle", kernelIsNew: true });
    expect(line("sanity")).toMatch(/^Your cell 1 ran/);
    initWithKept("step-0", 32, 900);
    send({ type: "cells/init", cells: { 0: passed }, canRun: true, kernel: "idle", kernelIsNew: true });
    expect(line("sanity")).toMatch(/^Dot product 32\.0 \(correct\)/);

    // Live: the cell runs again and its check fails; the button's result is what is left.
    const status = (s: "running" | "failed" | "succeeded", check: "passed" | "failed" | null): ToWebview => ({
      type: "cells/status",
      cell: 0,
      status: s,
      executionCount: s === "running" ? null : 2,
      durationS: s === "running" ? null : 0.5,
      check,
    });
    send(status("running", null));
    send({ type: "cells/output", items: [{ cell: 0, output: printed }] });
    send(status("succeeded", "passed"));
    expect(line("sanity")).toBe("Your cell 1 ran and passed the lesson's check: dot product 32.0 on CpuDevice(id=0).");
    send(status("running", null));
    expect(line("sanity")).toMatch(/^Your cell 1 ran/); // while it runs, its last pass stays
    send({ type: "cells/output", items: [{ cell: 0, output: { ...printed, text: "64.0 {CpuDevice(id=0)}\n" } }] });
    send(status("failed", "failed"));
    expect(line("sanity")).toMatch(/^Dot product 32\.0 \(correct\) on the CPU/);
  });

  it("a new init (another environment) forgets the old results", () => {
    const panel = (step: string): HTMLElement | null =>
      document.querySelector<HTMLElement>(`.tt-run-panel[data-step="${step}"]`);
    initWithKept("step-1", 31, 1);
    expect(panel("step-1")?.hidden).toBe(false); // the kept result this environment's init drew
    expect(panel("step-1")?.querySelector(".tt-result")?.textContent).toMatch(/31/);
    send({ type: "init", done: [], allowed: [], runs: [], kept: [] });
    expect(line("sanity")).toBe("not run yet");
    // The step panels too: no run and nothing kept for this environment, so none shows.
    for (const step of ["step-0", "step-1"]) {
      expect(panel(step)?.hidden, step).toBe(true);
      expect(panel(step)?.dataset.status, step).toBe("idle");
      expect(panel(step)?.querySelector(".tt-result")?.textContent, step).toBe("");
      expect(panel(step)?.dataset.kept, step).toBeUndefined();
    }
  });
});
