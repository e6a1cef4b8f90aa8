// Save a Report… and Save a Support Bundle…, with fake dialogs and a fake backend.
import { describe, expect, it, vi } from "vitest";
import type { Event } from "../../../extension/backend/protocol";
import { lessonIdOf, saveReport, saveSupportBundle, type SaveUi } from "../../../extension/lessons/save";
import type { Run } from "../../../extension/runs";

function fakeUi(answers: { folder?: string; zip?: string; confirm?: boolean; pick?: string }) {
  const calls: string[] = [];
  const written: { message: string; file: string; actions: readonly string[] }[] = [];
  const ui: SaveUi = {
    pickLesson: async (choices) => (calls.push(`pick ${choices.map((c) => c.lessonId).join(",")}`), answers.pick),
    askFolder: async (title, name) => (calls.push(`folder ${name}: ${title}`), answers.folder),
    askZip: async (name) => (calls.push(`zip ${name}`), answers.zip),
    confirm: async (message) => (calls.push(`confirm ${message}`), answers.confirm ?? false),
    written: async (message, file, actions) => void written.push({ message, file, actions }),
    error: (message) => void calls.push(`error ${message}`),
  };
  return { ui, calls, written };
}

const lessons = async () => [
  { lessonId: "tt-xla-jax", title: "JAX inference with TT-XLA" },
  { lessonId: "multichip-jax", title: "Multi-chip JAX on Tenstorrent" },
];

const ended = (events: Event[], status = "succeeded"): Run => {
  const run = { id: "r", status, events } as unknown as Run;
  return { ...run, done: Promise.resolve(run) } as Run;
};

describe("Save a Report…", () => {
  it("copies the last whole-lesson run's report into the chosen folder and offers Open and Reveal", async () => {
    const { ui, calls, written } = fakeUi({ folder: "/tmp/out" });
    const save = vi.fn(async (lessonId: string, folder: string) => ({
      kind: "savedReport" as const,
      lessonId,
      folder,
      passed: true,
      writtenAt: "2026-12-02T21:00:00+00:00",
      files: ["report.json", "report.html", "multichip-jax.ipynb"],
    }));
    const runLesson = vi.fn();
    // From a Lessons view row: the row's lesson, no question.
    await saveReport({ lessons, save, runLesson }, ui, { lessonId: "multichip-jax", title: "x" });
    expect(calls).toEqual([
      'folder multichip-jax-report: Save the report of "Multi-chip JAX on Tenstorrent": ' +
        "report.json, report.html and the notebook go in this folder",
    ]);
    expect(save).toHaveBeenCalledWith("multichip-jax", "/tmp/out");
    expect(runLesson).not.toHaveBeenCalled();
    expect(written).toEqual([
      {
        message: expect.stringMatching(/every check passed, ended 2026-12-02T21:00:00\+00:00\) in \/tmp\/out\.$/),
        file: "/tmp/out/report.html",
        actions: ["Open", "Reveal"],
      },
    ]);
  });

  it("with no whole-lesson run yet, asks before running the lesson into the folder, then says where", async () => {
    const { ui, calls, written } = fakeUi({ pick: "tt-xla-jax", folder: "/tmp/r", confirm: true });
    const save = async (lessonId: string) => ({ kind: "savedReport" as const, lessonId, folder: null, files: [] });
    const result = { kind: "lesson", lessonId: "tt-xla-jax", passed: true, items: [], report: "/tmp/r" };
    const runLesson = vi.fn(() => ended([{ kind: "result", result } as Event]));
    await saveReport({ lessons, save, runLesson }, ui);
    expect(calls[0]).toBe("pick tt-xla-jax,multichip-jax");
    expect(calls[2]).toMatch(/^confirm "JAX inference with TT-XLA" has no whole-lesson run yet/);
    expect(runLesson).toHaveBeenCalledWith({ lessonId: "tt-xla-jax", report: "/tmp/r" });
    expect(written.map((w) => w.file)).toEqual(["/tmp/r/report.html"]);
  });

  it("declined, or with the backend stopped, nothing runs", async () => {
    const declined = fakeUi({ pick: "tt-xla-jax", folder: "/tmp/r", confirm: false });
    const runLesson = vi.fn();
    const none = async (lessonId: string) => ({ kind: "savedReport" as const, lessonId, folder: null, files: [] });
    await saveReport({ lessons, save: none, runLesson }, declined.ui);
    expect(runLesson).not.toHaveBeenCalled();
    const stopped = fakeUi({ pick: "tt-xla-jax", folder: "/tmp/r" });
    await saveReport({ lessons, save: async () => undefined, runLesson }, stopped.ui);
    expect(stopped.calls.at(-1)).toMatch(/^error The Tenstorrent backend is not running/);
    expect(runLesson).not.toHaveBeenCalled();
  });

  it("takes a lesson id only in the backend's own shape", () => {
    expect(lessonIdOf({ lessonId: "multichip-jax" })).toBe("multichip-jax");
    expect(lessonIdOf({ lessonId: "../etc" })).toBeUndefined();
    expect(lessonIdOf({ id: "lesson", contextValue: "lesson" })).toBeUndefined();
    expect(lessonIdOf(undefined)).toBeUndefined();
  });
});

describe("Save a Support Bundle…", () => {
  it("writes the zip where asked, with the extension's log, and offers Reveal", async () => {
    const { ui, calls, written } = fakeUi({ zip: "/tmp/b.zip" });
    const result = { kind: "supportBundle", path: "/tmp/b.zip", files: ["README.txt", "doctor.json"] };
    const start = vi.fn(() => ended([{ kind: "result", result } as Event]));
    const now = () => new Date("2026-12-02T21:05:09Z");
    await saveSupportBundle({ start, logFile: "/logs/Tenstorrent.log", now }, ui);
    expect(calls).toEqual(["zip tt-lessons-support-2026-12-02-21-05-09.zip"]);
    expect(start).toHaveBeenCalledWith({ path: "/tmp/b.zip", log: "/logs/Tenstorrent.log" });
    expect(written).toEqual([{ message: expect.stringMatching(/2 files/), file: "/tmp/b.zip", actions: ["Reveal"] }]);
  });

  it("a failed run gets no saved toast (its failure has one), a cancelled dialog no run", async () => {
    const failed = fakeUi({ zip: "/tmp/b.zip" });
    await saveSupportBundle({ start: () => ended([], "failed") }, failed.ui);
    expect(failed.written).toEqual([]);
    const cancelled = fakeUi({});
    const start = vi.fn();
    await saveSupportBundle({ start }, cancelled.ui);
    expect(start).not.toHaveBeenCalled();
  });
});
