// The lesson panel (host side) against a stand-in for VS Code's webview: a button's run carries
// its lesson, a run of another lesson's step is not drawn here, and when the venv changes the
// open page is sent that venv's ticks and kept results (and none of the old venv's runs).
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Event } from "../../../extension/backend/protocol";
import { KeptResults } from "../../../extension/lesson/kept";
import { LessonPanel, type LessonDeps } from "../../../extension/lesson/panel";
import type { Run, RunTracker } from "../../../extension/runs";
import type { StepOrigin } from "../../../extension/shared/done";
import type { ToWebview } from "../../../extension/shared/messages";

const posted: ToWebview[] = [];
let receive: (raw: unknown) => void = () => undefined;

vi.mock("vscode", () => {
  const disposable = { dispose: () => undefined };
  return {
    ViewColumn: { Active: -1 },
    Uri: { joinPath: (u: { fsPath: string }, ...parts: string[]) => ({ fsPath: join(u.fsPath, ...parts) }) },
    commands: { executeCommand: async () => undefined },
    window: {
      createWebviewPanel: () => ({
        title: "",
        visible: true,
        viewColumn: 1,
        reveal: () => undefined,
        dispose: () => undefined,
        onDidDispose: () => disposable,
        webview: {
          options: {},
          html: "",
          cspSource: "vscode-webview:",
          asWebviewUri: (u: { fsPath: string }) => ({ toString: () => u.fsPath }),
          postMessage: async (m: ToWebview) => void posted.push(m),
          onDidReceiveMessage: (h: (raw: unknown) => void) => ((receive = h), disposable),
        },
      }),
    },
  };
});

const ROOT = join(__dirname, "..", "..", "..");
const TEST = "tenstorrent.testTtXlaInstall";
const A = "/home/me/tt-xla-venv";
const MISSING = "/home/me/no-such-venv";
const end: Event = { kind: "end", status: "succeeded", exitCode: 0, durationS: 1 };

function finished(id: string, venv: string, origin?: StepOrigin): Run {
  return {
    id,
    command: TEST,
    method: "tenstorrent/testTtXlaInstall",
    status: "succeeded",
    events: [end],
    startedAt: 1000,
    done: new Promise(() => undefined),
    venv,
    ...(origin ? { origin } : {}),
  } as Run;
}

function setup(runs: Run[]) {
  const data = new Map<string, unknown>();
  const memento = {
    get: <T>(k: string) => data.get(k) as T | undefined,
    update: async (k: string, v: unknown) => void data.set(k, v),
  };
  const state = { venv: A };
  const done: Record<string, string[]> = { [A]: [`tt-xla-jax:${TEST}@step-3`] };
  const started: [string, StepOrigin][] = [];
  const deps: LessonDeps = {
    extensionUri: { fsPath: ROOT } as LessonDeps["extensionUri"],
    tracker: {
      runs,
      onDidChange: () => ({ dispose: () => undefined }),
      cancel: () => undefined,
    } as unknown as RunTracker,
    run: (command, _args, origin) => void started.push([command, origin]),
    doneSteps: () => done[state.venv] ?? [],
    log: { warn: () => undefined } as unknown as LessonDeps["log"],
    memento,
    venv: () => state.venv,
  };
  return { deps, memento, state, started };
}

const lastInit = (): Extract<ToWebview, { type: "init" }> => {
  const init = posted.filter((m) => m.type === "init").at(-1);
  if (init?.type !== "init") throw new Error("no init posted");
  return init;
};

describe("the lesson panel", () => {
  beforeEach(() => {
    posted.length = 0;
  });

  it("starts a button's run with its lesson and step, and draws no run of another lesson's step", async () => {
    const other = finished("r-other", A, { lessonId: "multichip-jax", stepId: "step-3" });
    const { deps, started } = setup([other]);
    const panel = await LessonPanel.show(deps, "tt-xla-jax.md");
    receive({ type: "ready" });
    expect(lastInit().runs).toEqual([]);
    receive({ type: "run", stepId: "step-3", command: TEST });
    expect(started).toEqual([[TEST, { lessonId: "tt-xla-jax", stepId: "step-3" }]]);
    panel.dispose();
  });

  it("on a venv change sends the page that venv's ticks and kept results, and back again", async () => {
    const live = finished("r-live", A, { lessonId: "tt-xla-jax", stepId: "step-3" });
    const { deps, memento, state } = setup([live]);
    // The missing venv never ran the demo; the real one kept a demo result from before the reload.
    new KeptResults(memento, "tt-xla-jax").keep(A, "step-4", {
      ...finished("r-kept", A),
      command: "tenstorrent.runTtXlaDemo",
    });
    const panel = await LessonPanel.show(deps, "tt-xla-jax.md");
    receive({ type: "ready" });
    const first = lastInit();
    expect(first.done).toEqual([`tt-xla-jax:${TEST}@step-3`]);
    expect(first.runs.map((r) => r.runId)).toEqual(["r-live"]);
    expect(first.kept.map((k) => k.runId)).toEqual(["r-kept"]);

    state.venv = MISSING;
    posted.length = 0;
    LessonPanel.redraw();
    const missing = lastInit();
    expect([missing.done, missing.runs, missing.kept]).toEqual([[], [], []]);
    // The real venv's run is not kept as the missing one's either.
    expect(new KeptResults(memento, "tt-xla-jax").list(MISSING)).toEqual([]);

    state.venv = A;
    LessonPanel.redraw();
    const back = lastInit();
    expect(back.done).toEqual(first.done);
    expect(back.runs.map((r) => r.runId)).toEqual(["r-live"]);
    expect(back.kept.map((k) => k.runId)).toEqual(["r-kept"]);
    panel.dispose();
  });
});
