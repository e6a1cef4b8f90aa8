// Wires the Lessons view: reads lessons/*.md once, keeps each lesson's last whole-lesson run
// (globalState), and redraws the progress after every run.
import { readdir, readFile } from "node:fs/promises";
import * as vscode from "vscode";
import type { LessonRunResult } from "../backend/protocol";
import { COMMAND } from "../backend/routes.generated";
import { CellStore, type MementoLike } from "../cells/store";
import type { RunTracker } from "../runs";
import {
  lessonEntry,
  lessonProgress,
  sortLessons,
  summarizeRun,
  type LessonEntry,
  type LessonRunSummary,
} from "./catalog";
import { LessonsView } from "./view";

export const LESSONS_VIEW = "tenstorrent.lessons";
const LAST_RUNS = "tenstorrent.lessonRuns";
/** After a run the cells store and the step ticks are written a moment later (cells/store.ts). */
const SETTLE_MS = 1_500;

export interface LessonsDeps {
  extensionUri: vscode.Uri;
  memento: vscode.Memento;
  /** Where the lessons' cells are kept (cells/wire.ts's durableMemento). */
  cells: MementoLike;
  tracker: RunTracker;
  doneSteps: () => string[];
  log: vscode.LogOutputChannel;
}

export interface Lessons extends vscode.Disposable {
  list: () => Promise<LessonEntry[]>;
  /** Counts again (another venv: its own ticks). */
  refresh: () => void;
}

async function readLessons(folder: vscode.Uri, log: vscode.LogOutputChannel): Promise<LessonEntry[]> {
  const names = (await readdir(folder.fsPath)).filter((n) => n.endsWith(".md")).sort();
  const entries: LessonEntry[] = [];
  for (const name of names) {
    try {
      entries.push(lessonEntry(await readFile(vscode.Uri.joinPath(folder, name).fsPath, "utf8")));
    } catch (err) {
      log.error(`lessons: ${name} is not a lesson: ${String(err)}`);
    }
  }
  return sortLessons(entries);
}

export function registerLessons(deps: LessonsDeps): Lessons {
  let loaded: Promise<LessonEntry[]> | undefined;
  const list = (): Promise<LessonEntry[]> =>
    (loaded ??= readLessons(vscode.Uri.joinPath(deps.extensionUri, "lessons"), deps.log));
  const lastRuns = (): Record<string, LessonRunSummary> => deps.memento.get(LAST_RUNS) ?? {};
  const view = new LessonsView({
    lessons: list,
    lastRun: (id) => lastRuns()[id],
    progress: (entry) => {
      const cells = new CellStore(deps.cells, entry.lessonId).load();
      const statuses = Object.fromEntries(Object.entries(cells).map(([i, c]) => [i, c.status]));
      return lessonProgress(entry, deps.doneSteps(), statuses, lastRuns()[entry.lessonId]);
    },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sub = deps.tracker.onDidChange((run, event) => {
    if (event?.kind !== "end") return;
    if (run.command === COMMAND.RUN_LESSON) {
      const result = run.events.find((e) => e.kind === "result" && e.result.kind === "lesson");
      if (result?.kind === "result") {
        const lesson = result.result as LessonRunResult;
        const runs = { ...lastRuns(), [lesson.lessonId]: summarizeRun(lesson, Date.now()) };
        void deps.memento.update(LAST_RUNS, runs).then(() => view.refresh());
      }
    }
    view.refresh();
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => view.refresh(), SETTLE_MS);
  });
  const tree = vscode.window.createTreeView(LESSONS_VIEW, { treeDataProvider: view });
  return {
    list,
    refresh: () => view.refresh(),
    dispose: () => {
      if (timer) clearTimeout(timer);
      sub.dispose();
      tree.dispose();
      view.dispose();
    },
  };
}
