// "Run Python File in the TT-XLA Environment": refuses in an untrusted workspace, saves unsaved
// changes first, then starts a runFile run and streams its log lines to its output channel; which file it picks.
import { beforeEach, describe, expect, it, vi } from "vitest";

const h = vi.hoisted(() => ({
  trusted: true,
  warnings: [] as string[],
  lines: [] as string[],
  saved: 0,
  dirty: true,
}));

vi.mock("vscode", () => {
  class Uri {
    constructor(
      readonly scheme: string,
      readonly fsPath: string,
    ) {}
  }
  const doc = {
    uri: new Uri("file", "/w/train.py"),
    languageId: "python",
    get isDirty() {
      return h.dirty;
    },
    save: () => {
      h.saved++;
      h.dirty = false;
      return Promise.resolve(true);
    },
  };
  return {
    Uri,
    workspace: {
      get isTrusted() {
        return h.trusted;
      },
      textDocuments: [doc],
    },
    window: {
      activeTextEditor: { document: doc },
      showWarningMessage: (m: string) => void h.warnings.push(m),
      createOutputChannel: () => ({
        clear: () => (h.lines.length = 0),
        appendLine: (l: string) => void h.lines.push(l),
        show: () => undefined,
      }),
    },
  };
});

import type { Event } from "../../../extension/backend/protocol";
import { pickFile, runPythonFile } from "../../../extension/runFile";
import type { Run, RunListener, RunTracker } from "../../../extension/runs";

function fakeRun(events: Event[]): { tracker: RunTracker; start: ReturnType<typeof vi.fn> } {
  const listeners = new Set<RunListener>();
  const run = { id: "r1", status: "running", events: [] } as unknown as Run & { done: Promise<Run> };
  const tracker = {
    onDidChange: (l: RunListener) => (listeners.add(l), { dispose: () => listeners.delete(l) }),
  } as unknown as RunTracker;
  const start = vi.fn(() => {
    (run as { done: Promise<Run> }).done = Promise.resolve().then(() => {
      for (const e of events) for (const l of listeners) l(run, e);
      return run;
    });
    return run;
  });
  return { tracker, start };
}

const log = { info: vi.fn() } as never;

beforeEach(() => {
  h.trusted = true;
  h.warnings = [];
  h.lines = [];
  h.saved = 0;
  h.dirty = true;
});

describe("runPythonFile", () => {
  it("refuses in an untrusted workspace and starts nothing", async () => {
    h.trusted = false;
    const { tracker, start } = fakeRun([]);
    await runPythonFile({ tracker, start, log }, undefined);
    expect(start).not.toHaveBeenCalled();
    expect(h.warnings[0]).toMatch(/trusted workspace/);
  });

  it("saves the file, runs it, and streams its output and end to the channel", async () => {
    const { tracker, start } = fakeRun([
      { kind: "log", stream: "stdout", lines: ["sum 64.0"] },
      { kind: "end", status: "succeeded", exitCode: 0, durationS: 1.5 },
    ]);
    await runPythonFile({ tracker, start, log }, undefined);
    expect(h.saved).toBe(1);
    expect(start).toHaveBeenCalledWith({ path: "/w/train.py" });
    expect(h.lines[0]).toMatch(/\/w\/train\.py/);
    expect(h.lines).toContain("sum 64.0");
    expect(h.lines.at(-1)).toMatch(/^\[succeeded, exit code 0, /);
  });
});

describe("pickFile", () => {
  it("runs the clicked file, else the active Python editor's, and only files on disk", () => {
    const py = { scheme: "file", fsPath: "/w/a.py", languageId: "python" };
    expect(pickFile({ scheme: "file", fsPath: "/w/b.py" }, py)).toEqual({ path: "/w/b.py" });
    expect(pickFile(undefined, py)).toEqual({ path: "/w/a.py" });
    expect(pickFile(undefined, undefined)).toMatchObject({ refuse: expect.any(String) });
    expect(pickFile(undefined, { ...py, scheme: "untitled" })).toMatchObject({ refuse: expect.stringMatching(/Save/) });
    expect(pickFile(undefined, { scheme: "file", fsPath: "/w/a.md", languageId: "markdown" })).toMatchObject({
      refuse: expect.any(String),
    });
  });
});
