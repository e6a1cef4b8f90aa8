// The Getting Started walkthrough in package.json against the code: every button runs a command
// we register, every run step ticks on the context key that command's success sets (not on the
// click), and the keys are set on success only.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Event } from "../../../extension/backend/protocol";
import { commandSpec, COMMANDS } from "../../../extension/commands";
import type { Run, RunListener } from "../../../extension/runs";
import {
  DONE_CONTEXT,
  doneContextKeys,
  MARK_STEP_COMPLETE,
  MARK_STEP_INCOMPLETE,
  registerWalkthrough,
  walkthroughStepId,
  type WalkthroughTicks,
} from "../../../extension/walkthrough";

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents: string[];
}
const ROOT = join(__dirname, "..", "..", "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  publisher: string;
  name: string;
  contributes: { walkthroughs: { id: string; title: string; description: string; steps: Step[] }[] };
};
const walkthroughs = pkg.contributes.walkthroughs;
const steps = walkthroughs[0]?.steps ?? [];

/** The step's button: VS Code draws a command link on a line of its own as a button. */
function button(step: Step): string | undefined {
  const lines = step.description.split("\n").filter((l) => /^\[[^\]]+\]\(command:[^)]+\)$/.test(l));
  expect(lines, step.id).toHaveLength(1);
  return /\(command:([\w.-]+)\)$/.exec(lines[0] ?? "")?.[1];
}

describe("the walkthrough in package.json", () => {
  it("has the steps in order: check, install, test, GPT-2, mesh, lesson", () => {
    expect(walkthroughs).toHaveLength(1);
    expect(steps.map((s) => s.id)).toEqual(["doctor", "install", "test", "demo", "mesh", "lesson"]);
    expect(steps.map(button)).toEqual([
      "tenstorrent.runDoctor",
      "tenstorrent.installTtXla",
      "tenstorrent.testTtXlaInstall",
      "tenstorrent.runTtXlaDemo",
      "tenstorrent.runMeshExample",
      "tenstorrent.openLesson",
    ]);
  });

  it("every button runs a registered command, and every step has short text and media that ship", () => {
    for (const step of steps) {
      expect(commandSpec(button(step) ?? ""), step.id).toBeDefined();
      expect(step.title.length).toBeGreaterThan(0);
      expect(step.description.split("\n")[0]?.length ?? 0).toBeLessThanOrEqual(200);
      expect(step.media.markdown, step.id).toMatch(/^media\//); // .vscodeignore keeps media/**
      expect(existsSync(join(ROOT, step.media.markdown ?? "")), step.id).toBe(true);
    }
  });

  it("a run step ticks on its command's success key, never on the click", () => {
    for (const step of steps) {
      const id = button(step) ?? "";
      if (commandSpec(id)?.method) {
        expect(step.completionEvents, step.id).toEqual([`onContext:${DONE_CONTEXT[id]}`]);
      } else {
        // Opening the lesson cannot fail halfway: running the command is its success.
        expect(step.completionEvents, step.id).toEqual([`onCommand:${id}`]);
      }
    }
  });

  it("every success key belongs to a run command of the table and to a step", () => {
    const used = new Set(steps.flatMap((s) => s.completionEvents));
    for (const [command, key] of Object.entries(DONE_CONTEXT)) {
      expect(COMMANDS.find((c) => c.id === command)?.method, command).toBeDefined();
      expect(used.has(`onContext:${key}`), key).toBe(true);
    }
  });
});

class FakeTracker {
  readonly listeners = new Set<RunListener>();
  onDidChange(listener: RunListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
  end(command: string, status: "succeeded" | "failed" | "cancelled", before: Event[] = []): void {
    const event = { kind: "end", status, exitCode: status === "succeeded" ? 0 : 1, durationS: 1 } as Event;
    for (const l of this.listeners) l({ command, status, events: [...before, event] } as unknown as Run, event);
  }
  event(command: string, event: Event | undefined): void {
    for (const l of this.listeners) l({ command } as Run, event);
  }
}

/** What registerWalkthrough asks VS Code for to set one step's tick. */
const tickCalls = (step: string, done: boolean): string[] => [
  `setContext tenstorrent.done.${step}=${String(done)}`,
  `${done ? MARK_STEP_COMPLETE : MARK_STEP_INCOMPLETE} tenstorrent.tt-lessons#gettingStarted#${step}`,
];
const STEPS = ["doctor", "install", "test", "demo", "mesh"];
/** The calls that set every step, the ones in `done` ticked and the others not. */
const syncCalls = (...done: string[]): string[] => STEPS.flatMap((step) => tickCalls(step, done.includes(step)));

/** Records what registerWalkthrough asks VS Code for, in order. */
function recorder(reject = false): { ticks: WalkthroughTicks; calls: string[] } {
  const calls: string[] = [];
  const answer = (): Promise<unknown> => (reject ? Promise.reject(new Error("no walkthroughs")) : Promise.resolve());
  return {
    calls,
    ticks: {
      extensionId: "tenstorrent.tt-lessons",
      setContext: (key, value) => (calls.push(`setContext ${key}=${String(value)}`), answer()),
      markStep: (stepId, done) => (
        calls.push(`${done ? MARK_STEP_COMPLETE : MARK_STEP_INCOMPLETE} ${stepId}`),
        answer()
      ),
    },
  };
}

describe("registerWalkthrough", () => {
  it("ticks a step (its key, and VS Code's stored progress) when its command succeeds, not when it fails, is cancelled or is still running", () => {
    const tracker = new FakeTracker();
    const { ticks, calls } = recorder();
    registerWalkthrough(tracker, () => [], ticks);
    calls.length = 0; // the start's sync: its own test below
    tracker.event("tenstorrent.installTtXla", undefined); // started
    tracker.event("tenstorrent.installTtXla", { kind: "log", line: "…" } as unknown as Event);
    tracker.end("tenstorrent.installTtXla", "failed");
    tracker.end("tenstorrent.testTtXlaInstall", "cancelled");
    expect(calls).toEqual([]);
    tracker.end("tenstorrent.installTtXla", "succeeded");
    tracker.end("tenstorrent.runCnnExample", "succeeded"); // no step of its own
    expect(calls).toEqual([
      "setContext tenstorrent.done.install=true",
      "welcome.markStepComplete tenstorrent.tt-lessons#gettingStarted#install",
    ]);
  });

  it("a doctor run that found a FAIL finding ticks nothing: it ran, but the machine is not ready", () => {
    const tracker = new FakeTracker();
    const { ticks, calls } = recorder();
    registerWalkthrough(tracker, () => [], ticks);
    calls.length = 0;
    const finding = (status: "ok" | "fail") => ({ id: "venv", status, title: "TT-XLA venv", detail: "" });
    const result = (status: "ok" | "fail"): Event => ({
      kind: "result",
      result: { kind: "doctor", findings: [finding("ok"), { ...finding(status), id: "jax" }] },
    });
    tracker.end("tenstorrent.runDoctor", "succeeded", [result("fail")]);
    expect(calls).toEqual([]);
    tracker.end("tenstorrent.runDoctor", "succeeded", [result("ok")]);
    expect(calls).toEqual([
      "setContext tenstorrent.done.doctor=true",
      "welcome.markStepComplete tenstorrent.tt-lessons#gettingStarted#doctor",
    ]);
  });

  it("marks the steps that succeeded in earlier sessions at start, so a page opened later shows them ticked", () => {
    const { ticks, calls } = recorder();
    registerWalkthrough(
      new FakeTracker(),
      () => [
        "tenstorrent.runDoctor",
        "tt-xla-jax:tenstorrent.runMeshExample@step-7",
        "tenstorrent.runMeshExample@step-9", // an earlier version's key
        "x",
      ],
      ticks,
    );
    // The others are taken back: VS Code may hold ticks earned on a venv no longer in use.
    expect(calls).toEqual(syncCalls("doctor", "mesh"));
    expect(doneContextKeys([])).toEqual([]);
  });

  it("follows the venv: sync() clears the steps never done on the venv in use now, and ticks them again back on the first", () => {
    const byVenv: Record<string, string[]> = {
      "/home/me/tt-xla-venv": [
        "tt-xla-jax:tenstorrent.installTtXla@step-2",
        "tt-xla-jax:tenstorrent.testTtXlaInstall@step-3",
      ],
      "/home/me/no-such-venv": [],
    };
    let venv = "/home/me/tt-xla-venv";
    const { ticks, calls } = recorder();
    const walkthrough = registerWalkthrough(new FakeTracker(), () => byVenv[venv] ?? [], ticks);
    expect(calls).toEqual(syncCalls("install", "test"));
    calls.length = 0;
    venv = "/home/me/no-such-venv";
    walkthrough.sync();
    expect(calls).toEqual(syncCalls());
    calls.length = 0;
    venv = "/home/me/tt-xla-venv";
    walkthrough.sync();
    expect(calls).toEqual(syncCalls("install", "test"));
  });

  it("every step it marks is a step of package.json's walkthrough", () => {
    for (const key of Object.values(DONE_CONTEXT)) {
      const id = walkthroughStepId(`${pkg.publisher}.${pkg.name}`, key);
      expect(id.startsWith(`tenstorrent.tt-lessons#${walkthroughs[0]?.id ?? ""}#`), id).toBe(true);
      expect(steps.map((s) => s.id)).toContain(id.split("#")[2]);
    }
  });

  it("a workbench that refuses the commands does not break the run", async () => {
    const tracker = new FakeTracker();
    const { ticks, calls } = recorder(true);
    registerWalkthrough(tracker, () => ["tenstorrent.runDoctor"], ticks);
    tracker.end("tenstorrent.runTtXlaDemo", "succeeded");
    await new Promise((r) => setTimeout(r, 0)); // an unhandled rejection would fail the test run
    expect(calls).toEqual([...syncCalls("doctor"), ...tickCalls("demo", true)]);
  });

  it("stops listening when disposed", () => {
    const tracker = new FakeTracker();
    registerWalkthrough(tracker, () => [], recorder().ticks).dispose();
    expect(tracker.listeners.size).toBe(0);
  });
});
