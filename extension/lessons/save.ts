// "Save a Report…" and "Save a Support Bundle…": ask where, have the backend write the files,
// then say where they are with Open/Reveal. The window calls are behind `SaveUi` (saveUi.ts), so
// the flows are unit-tested with fakes.
import { join } from "node:path";
import type { Result, SaveReportResult } from "../backend/protocol";
import { isLessonId, type CommandArgs } from "../commands";
import type { Run } from "../runs";

export type WrittenAction = "Open" | "Reveal";

export interface SaveUi {
  pickLesson(choices: readonly LessonChoice[]): Promise<string | undefined>;
  /** The folder the report goes in (made when it does not exist). */
  askFolder(title: string, defaultName: string): Promise<string | undefined>;
  askZip(defaultName: string): Promise<string | undefined>;
  /** A modal question with one action; true when it was chosen. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A toast naming what was written; Open opens `file`, Reveal shows it in its folder. */
  written(message: string, file: string, actions: readonly WrittenAction[]): Promise<void>;
  error(message: string): void;
}

export interface LessonChoice {
  lessonId: string;
  title: string;
}

/** The lesson a command was invoked for: `{lessonId}` from a Lessons view row or a link. */
export function lessonIdOf(raw: unknown): string | undefined {
  const v = raw !== null && typeof raw === "object" ? (raw as { lessonId?: unknown }).lessonId : undefined;
  return isLessonId(v) ? v : undefined;
}

/** The last result a finished run carried (a failed whole-lesson run has one too). */
function lastResult(run: Run | undefined): Result | undefined {
  const events = run?.events ?? [];
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e?.kind === "result") return e.result;
  }
  return undefined;
}

export interface ReportDeps {
  lessons: () => Promise<readonly LessonChoice[]>;
  /** The backend's copy of the lesson's last report; undefined while the backend is not running. */
  save: (lessonId: string, folder: string) => Promise<SaveReportResult | undefined>;
  /** Starts Run the Whole Lesson with these arguments; the caller shows no success toast. */
  runLesson: (args: CommandArgs) => Run | undefined;
}

const verdict = (passed: boolean | null | undefined): string => (passed ? "every check passed" : "some checks failed");

/**
 * A report is of a run. With one on record (this session or an earlier one, the CLI's too) it
 * is that run's report, saved at once: what was seen is what is saved, and no minutes-long run
 * starts by surprise. With none yet, it asks before running the whole lesson into the folder.
 */
export async function saveReport(deps: ReportDeps, ui: SaveUi, raw?: unknown): Promise<void> {
  const lessons = await deps.lessons();
  const lessonId = lessonIdOf(raw) ?? (await ui.pickLesson(lessons));
  if (!lessonId) return;
  const title = lessons.find((l) => l.lessonId === lessonId)?.title ?? lessonId;
  const folder = await ui.askFolder(
    `Save the report of "${title}": report.json, report.html and the notebook go in this folder`,
    `${lessonId}-report`,
  );
  if (!folder) return;
  let saved: SaveReportResult | undefined;
  try {
    saved = await deps.save(lessonId, folder);
  } catch (err) {
    ui.error(`The report was not saved: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  if (!saved) {
    ui.error("The Tenstorrent backend is not running, so the report cannot be saved.");
    return;
  }
  if (saved.folder) {
    const when = saved.writtenAt ? `, ended ${saved.writtenAt}` : "";
    await ui.written(
      `Saved the report of "${title}" (last whole-lesson run: ${verdict(saved.passed)}${when}) in ${saved.folder}.`,
      join(saved.folder, "report.html"),
      ["Open", "Reveal"],
    );
    return;
  }
  const go = await ui.confirm(
    `"${title}" has no whole-lesson run yet.`,
    "Run the Whole Lesson runs every step and cell in order and checks each (a few minutes), " +
      "then writes its report in the folder you chose.",
    "Run the Whole Lesson",
  );
  if (!go) return;
  const run = deps.runLesson({ lessonId, report: folder });
  const result = lastResult(await run?.done);
  if (result?.kind === "lesson" && result.report) {
    await ui.written(
      `Saved the report of "${title}" (${verdict(result.passed)}) in ${result.report}.`,
      join(result.report, "report.html"),
      ["Open", "Reveal"],
    );
  }
}

export interface BundleDeps {
  /** Starts the support-bundle run with these arguments; the caller shows no success toast. */
  start: (args: CommandArgs) => Run | undefined;
  /** The extension's log file, added to the bundle. */
  logFile?: string;
  now?: () => Date;
}

export async function saveSupportBundle(deps: BundleDeps, ui: SaveUi): Promise<void> {
  const stamp = (deps.now?.() ?? new Date()).toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const path = await ui.askZip(`tt-lessons-support-${stamp}.zip`);
  if (!path) return;
  const run = deps.start({ path, ...(deps.logFile ? { log: deps.logFile } : {}) });
  const ended = await run?.done;
  const result = lastResult(ended);
  // A failed run has its own toast (handlers.ts).
  if (ended?.status !== "succeeded" || result?.kind !== "supportBundle") return;
  await ui.written(
    `Saved a support bundle (${result.files.length} files; home folder paths read ~) in ${result.path}. ` +
      "Attach it to your bug report.",
    result.path,
    ["Reveal"],
  );
}
