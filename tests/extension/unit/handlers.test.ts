// The palette handlers registered from the command table, with a stand-in for the `vscode` module
// (only `commands.registerCommand` is reached while registering and running a UI command).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { registerCommands, successMessage, type HandlerDeps } from "../../../extension/handlers";
import type { Run, RunTracker } from "../../../extension/runs";

const registered = vi.hoisted(() => new Map<string, (...args: unknown[]) => unknown>());
const toasts = vi.hoisted(() => [] as string[]);
const toastButtons = vi.hoisted(() => [] as string[][]);

vi.mock("vscode", () => ({
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      registered.set(id, handler);
      return { dispose: () => registered.delete(id) };
    },
  },
  window: {
    withProgress: () => Promise.resolve(),
    showInformationMessage: (message: string, ...buttons: string[]) => (
      toasts.push(message),
      toastButtons.push(buttons),
      Promise.resolve(undefined)
    ),
    showErrorMessage: (message: string) => (toasts.push(message), Promise.resolve(undefined)),
    showWarningMessage: (message: string) => (toasts.push(`warning: ${message}`), Promise.resolve(undefined)),
  },
  // Every setting at its default, in a trusted workspace.
  workspace: { isTrusted: true, getConfiguration: () => ({ inspect: () => undefined }) },
  ProgressLocation: { Notification: 15, Window: 10 },
}));

function deps(): HandlerDeps & { restartBackend: ReturnType<typeof vi.fn> } {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
  return {
    tracker: {} as RunTracker,
    log: log as unknown as HandlerDeps["log"],
    openLesson: vi.fn(async () => undefined),
    refreshStatus: vi.fn(async () => undefined),
    restartBackend: vi.fn(async () => undefined),
    status: vi.fn(async () => undefined),
    lessonVisible: () => false,
    pythonEnv: {} as HandlerDeps["pythonEnv"],
    lessons: async () => [],
    saveReport: async () => undefined,
  };
}

describe("registered handlers", () => {
  beforeEach(() => registered.clear());

  it("a run command sends the settings' params and the link's checked arguments, paths unexpanded", () => {
    const d = deps();
    const started: unknown[][] = [];
    const done = new Promise<never>(() => undefined);
    d.tracker = {
      start: (...args: unknown[]) => {
        started.push(args);
        return { id: "run-1", done };
      },
    } as unknown as RunTracker;
    registerCommands(d);
    registered.get("tenstorrent.runMeshExample")?.({ shape: "2x4" });
    // The backend expands `~` and the tracker names the run: neither happens here.
    expect(started).toEqual([
      ["tenstorrent.runMeshExample", "tenstorrent/runMeshExample", { venv: "~/tt-xla-venv", shape: "2x4" }, undefined],
    ]);
    registered.get("tenstorrent.runMeshExample")?.({ shape: "2 by 4" });
    expect(started).toHaveLength(1); // refused: not the MeshParams pattern
  });

  it("Restart the Backend calls the same restart hook as the gave-up notice's button", async () => {
    const d = deps();
    registerCommands(d);
    const restart = registered.get("tenstorrent.restartBackend");
    expect(restart).toBeDefined();
    await restart?.();
    expect(d.restartBackend).toHaveBeenCalledOnce();
    // The Backend row's inline button passes the row; it restarts all the same.
    await restart?.({ id: "backend", contextValue: "backendStopped" });
    expect(d.restartBackend).toHaveBeenCalledTimes(2);
    expect(d.refreshStatus).not.toHaveBeenCalled();
    expect(d.openLesson).not.toHaveBeenCalled();
  });
});

describe("Open the Lesson", () => {
  beforeEach(() => registered.clear());

  it("opens the lesson a Lessons view row names, the TT-XLA one from the palette or the status row", async () => {
    const d = deps();
    registerCommands(d);
    const open = registered.get("tenstorrent.openLesson");
    await open?.({ lessonId: "multichip-jax" });
    await open?.();
    await open?.({ id: "lesson", contextValue: "lesson" });
    expect(vi.mocked(d.openLesson).mock.calls).toEqual([["multichip-jax"], [undefined], [undefined]]);
  });

  it("refuses a lesson id that is not one (no other lesson opens instead)", async () => {
    const d = deps();
    registerCommands(d);
    await registered.get("tenstorrent.openLesson")?.({ lessonId: "../../etc/passwd" });
    expect(d.openLesson).not.toHaveBeenCalled();
    expect(d.log.warn).toHaveBeenCalledOnce();
  });
});

describe("a run started outside the lesson (palette, sidebar, walkthrough button)", () => {
  beforeEach(() => {
    registered.clear();
    toasts.length = 0;
    toastButtons.length = 0;
  });

  function finished(status: "succeeded" | "failed", command: string): Run {
    const end = { kind: "end", status, exitCode: status === "succeeded" ? 0 : 1, durationS: 1.5 };
    return { id: "run-1", command, status, events: [end] } as unknown as Run;
  }

  it("says how it ended in a toast of its own once it succeeds (a quick run's progress toast may be gone unseen)", async () => {
    const d = deps();
    const run = finished("succeeded", "tenstorrent.runDoctor");
    d.tracker = { start: () => ({ ...run, done: Promise.resolve(run) }) } as unknown as RunTracker;
    registerCommands(d);
    registered.get("tenstorrent.runDoctor")?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(toasts).toEqual([successMessage(run)]);
    expect(toastButtons).toEqual([["Open Lesson"]]);
    expect(successMessage(run)).toMatch(/: succeeded in 1\.5 s\.$/);
  });

  it("still a toast with the lesson on screen (the person looks where they clicked), without Open Lesson", async () => {
    const d = { ...deps(), lessonVisible: () => true };
    const run = finished("succeeded", "tenstorrent.runDoctor");
    d.tracker = { start: () => ({ ...run, done: Promise.resolve(run) }) } as unknown as RunTracker;
    registerCommands(d);
    registered.get("tenstorrent.runDoctor")?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(toasts).toEqual([successMessage(run)]);
    expect(toastButtons).toEqual([[]]);
  });

  it("a doctor run that found FAIL findings says how many, as a warning, not 'succeeded'", async () => {
    const d = deps();
    const run = finished("succeeded", "tenstorrent.runDoctor");
    const fail = { id: "venv", status: "fail" as const, title: "TT-XLA venv is missing", detail: "" };
    run.events.unshift({ kind: "result", result: { kind: "doctor", findings: [fail] } });
    d.tracker = { start: () => ({ ...run, done: Promise.resolve(run) }) } as unknown as RunTracker;
    registerCommands(d);
    registered.get("tenstorrent.runDoctor")?.();
    await new Promise((r) => setTimeout(r, 0));
    expect(toasts).toEqual([`warning: ${successMessage(run)}`]);
    expect(successMessage(run)).toMatch(/: 1 problem found in 1\.5 s\.$/);
  });

  it("a run without an end event (never ended) names no duration", () => {
    const run = { id: "r", command: "tenstorrent.runDoctor", status: "succeeded", events: [] } as unknown as Run;
    expect(successMessage(run)).toMatch(/: succeeded\.$/);
  });
});
