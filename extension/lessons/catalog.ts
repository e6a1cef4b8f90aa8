// The lessons the extension ships (lessons/*.md) and how far a person is in each: the Lessons
// view's model. A lesson's checkable items are its steps (a run button alone in its paragraph, as
// a whole-lesson run counts them; the whole-lesson button aside: it is every item at once; a row
// of presets is a choice, not a step) and its runnable cells. An item counts as checked when its tick is
// stored (a step's success, a cell that ended "succeeded", which a failed check prevents) or the
// lesson's last whole-lesson run passed it. No `vscode` import: unit-tested as data.
import type { LessonRunResult } from "../backend/protocol";
import { COMMAND } from "../backend/routes.generated";
import { commandSpec } from "../commands";
import { parseLesson } from "../lesson/frontmatter";
import { renderLesson } from "../lesson/render";
import type { CellStatus } from "../shared/cellModel";
import { tickedSteps, type StepRef } from "../shared/done";

/** A lesson row's contextValue: package.json's row actions name it. */
export const LESSON_CONTEXT = "tenstorrent.lessonEntry";

/** The lesson the extension opens when none is named. */
export const DEFAULT_LESSON = "tt-xla-jax";

export interface LessonEntry {
  /** Front matter `id`; the file is lessons/<id>.md. */
  lessonId: string;
  title: string;
  minutes: number;
  /** The run buttons that count, in page order. */
  steps: StepRef[];
  /** Indexes of the runnable cells. */
  cells: number[];
}

export function lessonEntry(markdown: string): LessonEntry {
  const lesson = parseLesson(markdown);
  const rendered = renderLesson(lesson.body);
  const steps = rendered.steps
    .filter((s) => s.alone && commandSpec(s.command)?.method !== undefined && s.command !== COMMAND.RUN_LESSON)
    .map((s) => ({ stepId: s.stepId, command: s.command, hasArgs: Object.keys(s.args).length > 0 }));
  const cells = rendered.cells.filter((c) => c.runnable).map((c) => c.index);
  return { lessonId: lesson.meta.id, title: lesson.meta.title, minutes: lesson.meta.minutes, steps, cells };
}

/** The default lesson first (where everyone starts), then by title. */
export function sortLessons(entries: LessonEntry[]): LessonEntry[] {
  return [...entries].sort(
    (a, b) =>
      Number(b.lessonId === DEFAULT_LESSON) - Number(a.lessonId === DEFAULT_LESSON) || a.title.localeCompare(b.title),
  );
}

/**
 * What a whole-lesson run passed, kept per lesson once it ends. Its steps are named by command
 * and occurrence (`tenstorrent.runMeshExample#1`: the lesson's second mesh button): the run
 * reports steps in document order, the same buttons the page counts.
 */
export interface LessonRunSummary {
  passed: boolean;
  steps: string[];
  cells: number[];
  /** When it ended (ms since the epoch). */
  at: number;
}

export function summarizeRun(result: LessonRunResult, at: number): LessonRunSummary {
  const seen = new Map<string, number>();
  const steps: string[] = [];
  const cells: number[] = [];
  for (const item of result.items) {
    if (item.kind === "cell") {
      if (item.status === "passed" && typeof item.cell === "number") cells.push(item.cell);
      continue;
    }
    if (!item.command) continue;
    const k = seen.get(item.command) ?? 0;
    seen.set(item.command, k + 1);
    if (item.status === "passed") steps.push(`${item.command}#${k}`);
  }
  return { passed: result.passed, steps, cells, at };
}

export interface Progress {
  checked: number;
  total: number;
}

/**
 * `done`: the stored step ticks (lesson/done.ts); `cells`: each cell's last status as the cells
 * store keeps it; `last`: the last whole-lesson run's summary, if any.
 */
export function lessonProgress(
  entry: LessonEntry,
  done: readonly string[],
  cells: Readonly<Record<number, CellStatus | undefined>>,
  last?: LessonRunSummary,
): Progress {
  const ticked = tickedSteps(entry.lessonId, entry.steps, done);
  const runSteps = new Set(last?.steps);
  const runCells = new Set(last?.cells);
  const seen = new Map<string, number>();
  let checked = 0;
  for (const s of entry.steps) {
    const k = seen.get(s.command) ?? 0;
    seen.set(s.command, k + 1);
    if (ticked.has(s.stepId) || runSteps.has(`${s.command}#${k}`)) checked++;
  }
  for (const i of entry.cells) if (cells[i] === "succeeded" || runCells.has(i)) checked++;
  return { checked, total: entry.steps.length + entry.cells.length };
}

export function progressText(p: Progress): string {
  return p.total === 0 ? "nothing to check" : `${p.checked} of ${p.total} checked`;
}

/** A lesson row's tree item, as plain data (unit-tested without VS Code's classes). */
export function lessonRow(
  entry: LessonEntry,
  progress: Progress,
  last: LessonRunSummary | undefined,
): { label: string; description: string; tooltip: string; icon: string } {
  const run = last
    ? `Last whole-lesson run: ${last.passed ? "every check passed" : "some checks failed"} (${new Date(last.at).toLocaleString()}).`
    : "Not run as a whole yet.";
  return {
    label: entry.title,
    description: progressText(progress),
    tooltip:
      `${entry.title} (about ${entry.minutes} minutes)\n` +
      `${progress.checked} of ${progress.total} steps and cells checked: their check passed, in the lesson or in a whole-lesson run.\n${run}`,
    icon: progress.total > 0 && progress.checked === progress.total ? "pass-filled" : "book",
  };
}
