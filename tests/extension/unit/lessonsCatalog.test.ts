// The Lessons view's model: the shipped lessons, and how many of each one's steps and cells are
// checked from the stored ticks, the cells' last statuses and the last whole-lesson run.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LessonRunResult } from "../../../extension/backend/protocol";
import {
  LESSON_CONTEXT,
  lessonEntry,
  lessonProgress,
  lessonRow,
  sortLessons,
  summarizeRun,
  type LessonEntry,
} from "../../../extension/lessons/catalog";
import { stepKey } from "../../../extension/shared/done";

const REPO = join(__dirname, "..", "..", "..");
const shipped = (): LessonEntry[] =>
  sortLessons(
    readdirSync(join(REPO, "lessons"))
      .filter((f) => f.endsWith(".md"))
      .map((f) => lessonEntry(readFileSync(join(REPO, "lessons", f), "utf8"))),
  );

const check = (passed: boolean) => ({ status: passed ? "passed" : "failed" }) as const;
function item(kind: "cell" | "step", status: "passed" | "failed" | "skipped", more: object) {
  return { kind, status, title: "t", line: 1, durationS: 0, summary: "", check: check(status === "passed"), ...more };
}

describe("the shipped lessons", () => {
  it("lists both, the TT-XLA lesson first, each with its title", () => {
    const lessons = shipped();
    expect(lessons.map((l) => l.lessonId)).toEqual(["tt-xla-jax", "multichip-jax"]);
    expect(lessons.map((l) => l.title)).toEqual(["JAX inference with TT-XLA", "Multi-chip JAX on Tenstorrent"]);
  });

  it("counts the runnable cells and the run buttons, never the whole-lesson button itself", () => {
    const [main, multi] = shipped();
    expect(main?.cells).toHaveLength(10);
    expect(multi?.cells).toEqual([0, 1, 2, 3, 4]);
    expect(multi?.steps).toEqual([]); // its only button runs the whole lesson
    const commands = new Set(main?.steps.map((s) => s.command));
    expect(commands.has("tenstorrent.runLesson")).toBe(false);
    expect(commands.has("tenstorrent.showOutput")).toBe(false); // runs nothing
    expect(commands).toContain("tenstorrent.testTtXlaInstall");
    // The mesh step and its 2x4 variant count; the row of board presets (8x4 needs 32 chips) not.
    expect(main?.steps.filter((s) => s.command === "tenstorrent.runMeshExample")).toHaveLength(2);
    expect(lessonProgress(main as LessonEntry, [], {})).toEqual({ checked: 0, total: 10 + (main?.steps.length ?? 0) });
  });
});

describe("progress", () => {
  const entry: LessonEntry = {
    lessonId: "x",
    title: "X",
    minutes: 5,
    steps: [
      { stepId: "step-1", command: "tenstorrent.runMeshExample", hasArgs: false },
      { stepId: "step-2", command: "tenstorrent.runMeshExample", hasArgs: true },
      { stepId: "step-3", command: "tenstorrent.runDoctor", hasArgs: false },
    ],
    cells: [0, 2],
  };

  it("counts ticked steps and cells that ended succeeded; a failed check is not checked", () => {
    const done = [stepKey("x", "step-2", "tenstorrent.runMeshExample"), "tenstorrent.runDoctor"];
    expect(lessonProgress(entry, done, { 0: "failed", 1: "succeeded", 2: "succeeded" })).toEqual({
      checked: 3,
      total: 5,
    });
    expect(lessonProgress(entry, [], { 0: "running" })).toEqual({ checked: 0, total: 5 });
  });

  it("does not count another lesson's step successes, even on a button with the same step id and command", () => {
    const other = [
      stepKey("y", "step-1", "tenstorrent.runMeshExample"),
      stepKey("y", "step-2", "tenstorrent.runMeshExample"),
      stepKey("y", "step-3", "tenstorrent.runDoctor"),
    ];
    expect(lessonProgress(entry, other, {})).toEqual({ checked: 0, total: 5 });
    expect(lessonProgress({ ...entry, lessonId: "y" }, other, {})).toEqual({ checked: 3, total: 5 });
  });

  it("adds what the last whole-lesson run passed, matching steps by command and occurrence", () => {
    const result: LessonRunResult = {
      kind: "lesson",
      lessonId: "x",
      passed: false,
      items: [
        item("step", "failed", { command: "tenstorrent.runMeshExample" }),
        item("cell", "passed", { cell: 0 }),
        item("step", "passed", { command: "tenstorrent.runMeshExample" }), // the second mesh button
        item("step", "skipped", { command: "tenstorrent.runDoctor" }),
        item("cell", "failed", { cell: 2 }),
      ],
    } as LessonRunResult;
    const last = summarizeRun(result, 1_000);
    expect(last).toEqual({ passed: false, steps: ["tenstorrent.runMeshExample#1"], cells: [0], at: 1_000 });
    expect(lessonProgress(entry, [], {}, last)).toEqual({ checked: 2, total: 5 });
  });

  it("a row says N of M checked and how the last whole-lesson run went", () => {
    const none = lessonRow(entry, { checked: 3, total: 5 }, undefined);
    expect(none.label).toBe("X");
    expect(none.description).toBe("3 of 5 checked");
    expect(none.tooltip).toMatch(/Not run as a whole yet/);
    expect(none.icon).toBe("book");
    const all = lessonRow(entry, { checked: 5, total: 5 }, { passed: true, steps: [], cells: [], at: 0 });
    expect(all.tooltip).toMatch(/every check passed/);
    expect(all.icon).toBe("pass-filled");
  });
});

describe("the Lessons view in package.json", () => {
  const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
    contributes: {
      views: Record<string, { id: string; name: string }[]>;
      commands: { command: string; icon?: string }[];
      menus: Record<string, { command: string; when?: string; group?: string }[]>;
    };
  };

  it("is the sidebar's first view, and its row actions name the rows' contextValue with an icon", () => {
    expect(pkg.contributes.views.tenstorrent?.[0]).toMatchObject({ id: "tenstorrent.lessons", name: "Lessons" });
    const rowMenus = (pkg.contributes.menus["view/item/context"] ?? []).filter((m) =>
      /\bview == tenstorrent\.lessons\b/.test(m.when ?? ""),
    );
    expect(rowMenus.map((m) => m.command)).toEqual(["tenstorrent.saveReport"]);
    const icons = new Map(pkg.contributes.commands.map((c) => [c.command, c.icon]));
    for (const m of rowMenus) {
      expect(m.when).toContain(`viewItem == ${LESSON_CONTEXT}`);
      expect(icons.get(m.command), m.command).toMatch(/^\$\([\w-]+\)$/);
    }
  });
});
