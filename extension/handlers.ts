// Command handlers: the id -> handler table that commands.ts describes. Run commands all go
// through `startRun`, which builds typed params from settings, tracks the run and shows progress.
import * as vscode from "vscode";
import { COMMANDS, commandSpec, invokedArgs, type CommandArgs } from "./commands";
import type { SaveReportResult, StatusResult } from "./backend/protocol";
import type { Run, RunTracker } from "./runs";
import type { StepOrigin } from "./shared/done";
import { paramsFor } from "./settings";
import { installSfpi, type SfpiUi } from "./sfpi/install";
import { resetChipsCommand } from "./telemetry/register";
import { runPythonFile } from "./runFile";
import { currentSettings } from "./vscodeapi";
import { failureButtons, lastError, runnableActions } from "./errorActions";
import { fixHandlers } from "./fixUi";
import { installArgs, type InstallChoiceUi } from "./installChoice";
import type { PythonEnvUi } from "./pythonEnv";
import { COMMAND } from "./backend/routes.generated";
import { NotificationProgress } from "./runProgress";
import { saveReport, saveSupportBundle, type LessonChoice } from "./lessons/save";
import { saveUi } from "./lessons/saveUi";
import { countsAsDone, problemsText, runProblems } from "./shared/verdict";

export interface HandlerDeps {
  tracker: RunTracker;
  log: vscode.LogOutputChannel;
  /** Opens a lesson by id (the TT-XLA lesson when none is given). */
  openLesson: (lessonId?: string) => Promise<void>;
  refreshStatus: () => Promise<void>;
  /**
   * Stops the backend and starts it again, as the gave-up notice's button does: the interpreter
   * is looked up again and old crashes are forgiven.
   */
  restartBackend: () => Promise<void>;
  /** The backend's status answer, or undefined while it is not running. */
  status: () => Promise<StatusResult | undefined>;
  /** Whether the lesson is on screen: a run's outcome shows there, so no toast repeats it. */
  lessonVisible: () => boolean;
  /** The Python extension and the rest that "Use the TT-XLA Environment for Python" needs. */
  pythonEnv: PythonEnvUi<vscode.WorkspaceFolder>;
  /** The shipped lessons, for Save a Report…'s question. */
  lessons: () => Promise<readonly LessonChoice[]>;
  /** The backend's copy of a lesson's last report into a folder; undefined while it is not running. */
  saveReport: (lessonId: string, folder: string) => Promise<SaveReportResult | undefined>;
  /** The extension's log file, which the support bundle carries. */
  logFile?: string;
}

const sfpiUi: SfpiUi = {
  confirm: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  info: (message) => void vscode.window.showInformationMessage(message),
  terminal: (name, file, args) => vscode.window.createTerminal({ name, shellPath: file, shellArgs: [...args] }).show(),
};

/**
 * Starts a run of `command`. From the palette or sidebar it gets a cancellable notification
 * with the current step and percent; from the lesson (which streams it inline, with its own
 * Cancel button) only a status-bar spinner, so no toast covers the page.
 */
export function startRun(
  deps: HandlerDeps,
  command: string,
  args: CommandArgs = {},
  origin?: StepOrigin,
  /** The caller says how it went (a saved file's toast with its buttons): no success toast here. */
  ownToast = false,
): Run | undefined {
  const spec = commandSpec(command);
  if (!spec?.method) return undefined;
  const params = paramsFor(spec.method, currentSettings(), args);
  // The tracker names the run (its id travels in the params, so events match before the answer).
  const run = deps.tracker.start(command, spec.method, params, origin);
  deps.log.info(`run ${run.id}: ${spec.method} ${JSON.stringify(params)}`);
  const location = origin ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
  void vscode.window.withProgress(
    { location, title: spec.title, cancellable: location === vscode.ProgressLocation.Notification },
    (progress, token) => {
      token.onCancellationRequested(() => deps.tracker.cancel(run.id));
      const shown = new NotificationProgress();
      const sub = deps.tracker.onDidChange((r, e) => {
        if (r.id !== run.id) return;
        const report = shown.next(e);
        if (report) progress.report(report);
      });
      return run.done.finally(() => sub.dispose());
    },
  );
  void run.done.then((r) => {
    deps.log.info(`run ${r.id}: ${r.status}`);
    if (!origin && r.status === "failed") void reportFailure(deps, r);
    // The palette, the sidebar and the walkthrough's buttons: a quick run's progress toast may be
    // gone before it is seen, so the outcome gets a toast of its own.
    if (!origin && !ownToast && r.status === "succeeded") void reportSuccess(deps, r);
  });
  return run;
}

/**
 * Starts `command` after the install's CPU-only question when it applies (installChoice.ts):
 * the palette, the sidebar and the lesson's Install step all come through here.
 */
export async function startRunAsked(
  deps: HandlerDeps,
  command: string,
  args: CommandArgs = {},
  origin?: StepOrigin,
): Promise<Run | undefined> {
  // Only the install may ask; everything else starts at once (no await before it).
  if (command !== COMMAND.INSTALL_TT_XLA) return startRun(deps, command, args, origin);
  const choice: InstallChoiceUi = {
    status: deps.status,
    settings: currentSettings,
    ask: async (message, detail, ...actions) =>
      vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions),
  };
  const asked = await installArgs(choice, command, args);
  return asked ? startRun(deps, command, asked, origin) : undefined;
}

/**
 * "Check this machine: succeeded in 1.2 s." (the run's own duration, from its end event), or
 * "Check this machine: 2 problems found in 1.2 s." for a doctor run with FAIL findings.
 */
export function successMessage(run: Run): string {
  const title = commandSpec(run.command)?.title ?? run.command;
  const end = run.events.find((e) => e.kind === "end");
  const seconds = end?.kind === "end" ? ` in ${end.durationS.toFixed(1)} s` : "";
  const problems = runProblems(run.events);
  return `${title}: ${problems ? problemsText(problems) : "succeeded"}${seconds}.`;
}

async function reportSuccess(deps: HandlerDeps, run: Run): Promise<void> {
  // Shown even with the lesson on screen: the person started this elsewhere and looks there.
  const buttons = deps.lessonVisible() ? [] : ["Open Lesson"];
  const text = successMessage(run);
  const pick = await (countsAsDone(run)
    ? vscode.window.showInformationMessage(text, ...buttons)
    : vscode.window.showWarningMessage(text, ...buttons));
  if (pick === "Open Lesson") await deps.openLesson();
}

async function reportFailure(deps: HandlerDeps, run: Run): Promise<void> {
  const error = lastError(run.events);
  const title = commandSpec(run.command)?.title ?? run.command;
  // The error's fixes as buttons ("Install CPU-only", "Choose a wheelhouse folder…", ...).
  const actions = runnableActions(error?.error.actions);
  const pick = await vscode.window.showErrorMessage(
    `${title} failed: ${error?.error.message ?? "see the log"}`,
    ...failureButtons(actions),
  );
  const action = actions.find((a) => a.label === pick);
  if (action) await vscode.commands.executeCommand(action.command, action.args ?? undefined);
  else if (pick === "Open Lesson") await deps.openLesson();
  else if (pick === "Run Doctor") startRun(deps, COMMAND.RUN_DOCTOR);
  else if (pick === "Show Output") deps.log.show();
}

async function cancelRun(deps: HandlerDeps): Promise<void> {
  const running = deps.tracker.running();
  if (!running.length) {
    void vscode.window.showInformationMessage("No Tenstorrent step is running.");
    return;
  }
  const pick =
    running.length === 1
      ? running[0]
      : (
          await vscode.window.showQuickPick(
            running.map((r) => ({ label: commandSpec(r.command)?.title ?? r.command, description: r.id, run: r })),
            { placeHolder: "Which run should stop?" },
          )
        )?.run;
  if (pick) deps.tracker.cancel(pick.id);
}

/**
 * A run command invoked by id (palette, menus, a doctor fix without a lesson step): arguments,
 * such as a fix's `{reinstall: true}`, pass the table's checks or the run is refused.
 */
function runCommand(deps: HandlerDeps, id: string, raw: unknown): void {
  const check = invokedArgs(id, raw);
  if (!check.ok) {
    deps.log.warn(`${id}: refused arguments: ${check.reason}`);
    return;
  }
  void startRunAsked(deps, id, check.args);
}

/** Registers every command of the table; a table entry without a handler is a bug caught here. */
export function registerCommands(deps: HandlerDeps): vscode.Disposable[] {
  const ui: Record<string, (raw?: unknown) => unknown> = {
    [COMMAND.OPEN_LESSON]: (raw?: unknown) => {
      const check = invokedArgs(COMMAND.OPEN_LESSON, raw);
      if (!check.ok) return deps.log.warn(`open lesson: refused arguments: ${check.reason}`);
      const lessonId = check.args.lessonId;
      return deps.openLesson(typeof lessonId === "string" ? lessonId : undefined);
    },
    [COMMAND.SAVE_REPORT]: (raw?: unknown) =>
      saveReport(
        {
          lessons: deps.lessons,
          save: deps.saveReport,
          runLesson: (args) => startRun(deps, COMMAND.RUN_LESSON, args, undefined, true),
        },
        saveUi,
        raw,
      ),
    [COMMAND.CANCEL_RUN]: () => cancelRun(deps),
    [COMMAND.REFRESH_STATUS]: () => deps.refreshStatus(),
    [COMMAND.SHOW_OUTPUT]: () => deps.log.show(),
    [COMMAND.RESTART_BACKEND]: () => {
      deps.log.info("restarting the backend (asked for by command)");
      return deps.restartBackend();
    },
    [COMMAND.RESET_CHIPS]: () => resetChipsCommand(),
    [COMMAND.INSTALL_SFPI]: () => installSfpi(sfpiUi, deps.status),
  };
  const fixes = fixHandlers(deps.pythonEnv);
  // Routes that need more than a lesson's arguments: the file to run; a cell runs from its lesson.
  const special: Record<string, (raw?: unknown) => unknown> = {
    [COMMAND.RUN_PYTHON_FILE]: (raw?: unknown) =>
      runPythonFile(
        { tracker: deps.tracker, log: deps.log, start: (args) => startRun(deps, COMMAND.RUN_PYTHON_FILE, args) },
        raw,
      ),
    [COMMAND.RUN_CELL]: () => deps.openLesson(),
    [COMMAND.SAVE_SUPPORT_BUNDLE]: () =>
      saveSupportBundle(
        {
          start: (args) => startRun(deps, COMMAND.SAVE_SUPPORT_BUNDLE, args, undefined, true),
          ...(deps.logFile ? { logFile: deps.logFile } : {}),
        },
        saveUi,
      ),
  };
  return COMMANDS.map((spec) => {
    const handler =
      special[spec.id] ??
      fixes[spec.id] ??
      (spec.method ? (raw?: unknown) => runCommand(deps, spec.id, raw) : ui[spec.id]);
    if (!handler) throw new Error(`no handler for ${spec.id}`);
    return vscode.commands.registerCommand(spec.id, handler);
  });
}
