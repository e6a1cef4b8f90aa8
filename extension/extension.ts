// activate(): wires the parts together, nothing else.
import * as vscode from "vscode";
import { Backend } from "./backend/client";
import { probeWithExecFile } from "./backend/python";
import { BackendStarter } from "./backend/start";
import type { SanityResult } from "./backend/protocol";
import type { CommandArgs } from "./commands";
import { durableMemento, makeCells } from "./cells/wire";
import { pythonEnvUi } from "./fixUi";
import { registerCommands, startRunAsked, type HandlerDeps } from "./handlers";
import { doneKey, DoneSteps } from "./lesson/done";
import { PerVenv, venvKey } from "./lesson/perVenv";
import { openOnFirstActivation } from "./lesson/firstRun";
import { LessonPanel } from "./lesson/panel";
import { DEFAULT_LESSON } from "./lessons/catalog";
import { registerLessons } from "./lessons/register";
import { offerAfterInstall } from "./pythonEnv";
import { MAX_FINISHED_RUNS, RunTracker } from "./runs";
import type { StepOrigin } from "./shared/done";
import { paramsFor, SECTION, statusParams } from "./settings";
import { StatusView } from "./status/view";
import { registerTelemetry } from "./telemetry/register";
import { MARK_STEP_COMPLETE, MARK_STEP_INCOMPLETE, registerWalkthrough } from "./walkthrough";
import { currentSettings, noticeUi, pythonExtensionInterpreter } from "./vscodeapi";
import { countsAsDone } from "./shared/verdict";
import { COMMAND, METHOD } from "./backend/routes.generated";
import { request } from "./backend/requests";

/** The last sanity result per venv (the sidebar's "Last sanity check"). */
const LAST_SANITY = "tenstorrent.lastSanityByVenv";
/** The lesson in the tab (one tab), so a restored tab shows that lesson again. */
const OPEN_LESSON_FILE = "tenstorrent.openLessonFile";
const openLessonFile = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Set while active, so deactivate() can wait until the backend process has stopped. */
let starter: BackendStarter | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel("Tenstorrent", { log: true });
  // Ticks, kept results and the last sanity check belong to the venv they were measured on.
  const venvNow = (): string => venvKey(currentSettings());
  const tracker = new RunTracker(() => (backend.available ? backend : undefined), MAX_FINISHED_RUNS, venvNow);
  const backend: Backend = new Backend(
    context.extensionPath,
    log,
    {
      onEvent: (note) => tracker.handleNotification(note),
      onLost: (reason, restarting) => {
        tracker.backendLost(reason, restarting);
        status.setProblem(
          restarting ? "The backend stopped; restarting it…" : "The backend keeps stopping; not restarted.",
        );
      },
      onReady: () => void status.refresh(),
      restart: () => startBackend(),
    },
    noticeUi,
  );
  const done = new DoneSteps(context.globalState, venvNow);
  const lastSanity = new PerVenv<SanityResult>(context.globalState, LAST_SANITY, (v) =>
    v && typeof v === "object" && (v as { kind?: unknown }).kind === "sanity" ? (v as SanityResult) : undefined,
  );
  const status = new StatusView(
    () => backend.status(statusParams(currentSettings())),
    () => lastSanity.get(venvNow()),
    log,
  );
  // Cells and the open lesson: a reload right after a click must find them (globalState may not).
  const kept = durableMemento(context.globalStorageUri, context.globalState);
  const lessonDeps = {
    extensionUri: context.extensionUri,
    tracker,
    log,
    doneSteps: () => done.list(),
    memento: context.globalState,
    venv: venvNow,
    run: (command: string, args: CommandArgs, origin: StepOrigin) => void startRunAsked(deps, command, args, origin),
    cells: makeCells.bind(undefined, {
      tracker,
      connection: () => (backend.available ? backend : undefined),
      memento: kept,
      storageUri: context.globalStorageUri,
      log,
    }),
  };
  const lessons = registerLessons({
    extensionUri: context.extensionUri,
    memento: context.globalState,
    cells: kept,
    tracker,
    doneSteps: () => done.list(),
    log,
  });
  const deps: HandlerDeps = {
    tracker,
    log,
    refreshStatus: () => status.refresh(),
    openLesson: async (lessonId) => {
      const file = `${lessonId ?? DEFAULT_LESSON}.md`;
      await kept.update(OPEN_LESSON_FILE, file);
      await LessonPanel.show(lessonDeps, file);
    },
    lessonVisible: () => LessonPanel.isVisible(),
    restartBackend: () => startBackend(),
    status: () => (backend.available ? backend.status(statusParams(currentSettings())) : Promise.resolve(undefined)),
    pythonEnv: pythonEnvUi(() => deps.status(), context.globalState),
    lessons: () => lessons.list(),
    saveReport: async (lessonId, folder) =>
      backend.available
        ? request(backend, METHOD.saveReport, paramsFor(METHOD.saveReport, currentSettings(), { lessonId, folder }))
        : undefined,
    // Where VS Code writes this extension's log channel ("Tenstorrent" -> Tenstorrent.log).
    logFile: vscode.Uri.joinPath(context.logUri, `${log.name}.log`).fsPath,
  };

  // After every run: remember successes and the last sanity result, then refresh the status.
  tracker.onDidChange((run, event) => {
    if (event?.kind === "result" && event.result.kind === "sanity") {
      void lastSanity.set(venvNow(), event.result);
    }
    if (event?.kind !== "end") return;
    // A doctor that found FAIL findings ran, but the machine is not ready: no tick for it.
    if (countsAsDone(run)) void done.mark(doneKey(run)).then((list) => LessonPanel.notifyDone(list));
    // Once, after the first install that worked: offer the venv to the Python extension.
    if (event.status === "succeeded" && run.command === COMMAND.INSTALL_TT_XLA) void offerAfterInstall(deps.pythonEnv);
    // While the backend restarts a status request would only fail; onReady refreshes instead.
    if (backend.running) void status.refresh();
  });

  const backendStarter = new BackendStarter({
    backend,
    sources: () => ({
      setting: currentSettings().pythonPath,
      pythonExtension: pythonExtensionInterpreter,
      probe: probeWithExecFile,
    }),
    trusted: () => vscode.workspace.isTrusted,
    ui: noticeUi,
    log,
    setProblem: (text) => status.setProblem(text),
  });
  starter = backendStarter;
  const startBackend = (): Promise<void> => backendStarter.start();

  const walkthrough = registerWalkthrough(tracker, () => done.list(), {
    extensionId: context.extension.id,
    setContext: (key, value) => vscode.commands.executeCommand("setContext", key, value),
    markStep: (stepId, isDone) =>
      vscode.commands.executeCommand(isDone ? MARK_STEP_COMPLETE : MARK_STEP_INCOMPLETE, stepId),
  });
  context.subscriptions.push(
    log,
    backend,
    status,
    lessons,
    ...registerCommands(deps),
    registerTelemetry({ showRows: (rows) => status.setExtraRows(rows) }),
    walkthrough,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SECTION}.pythonPath`)) void startBackend();
      else if (e.affectsConfiguration(SECTION)) void status.refresh();
      // Another venv: the lesson, the walkthrough and the Lessons view show that venv's ticks and
      // results (none for a new or missing folder).
      if (e.affectsConfiguration(SECTION)) {
        LessonPanel.redraw();
        walkthrough.sync();
        lessons.refresh();
      }
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void startBackend()),
    // A lesson tab open when VS Code closed comes back with its ticks (kept in globalState).
    vscode.window.registerWebviewPanelSerializer(LessonPanel.viewType, {
      deserializeWebviewPanel: async (panel) =>
        void (await LessonPanel.adopt(
          panel,
          lessonDeps,
          openLessonFile(kept.get(OPEN_LESSON_FILE)) ?? `${DEFAULT_LESSON}.md`,
        )),
    }),
  );
  void startBackend();
  openOnFirstActivation(context.globalState, deps.openLesson).catch((err: unknown) =>
    log.error(`opening the lesson on first start: ${String(err)}`),
  );
}

export async function deactivate(): Promise<void> {
  // VS Code waits for a returned promise, so the backend gets its LSP shutdown/exit and has
  // ended before the extension host goes (disposing `backend` later finds it stopped).
  const active = starter;
  starter = undefined;
  await active?.stop();
}
