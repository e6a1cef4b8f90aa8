// The lesson webview (host side): loads a lesson, renders it, and connects its buttons to runs.
// Every message from the page is checked again here against the steps the page was rendered
// with and the command allow-list: the page is never trusted to say what may run.
import * as vscode from "vscode";
import { readFile } from "node:fs/promises";
import { WEBVIEW_ALLOWED, type CommandArgs } from "../commands";
import type { Run, RunTracker } from "../runs";
import type { Event } from "../backend/protocol";
import type { CellsController } from "../cells/controller";
import type { CellsToWebview } from "../shared/cellMessages";
import type { LessonInfo } from "../cells/wire";
import type { LessonCell } from "./cells";
import type { StepOrigin } from "../shared/done";
import type { StepEvent, ToWebview } from "../shared/messages";
import type { MementoLike } from "../cells/store";
import { KeptResults } from "./kept";
import { parseLesson } from "./frontmatter";
import { gate } from "./gate";
import { lessonPage } from "./html";
import { renderLesson, type RenderedLesson } from "./render";

export interface LessonDeps {
  extensionUri: vscode.Uri;
  tracker: RunTracker;
  /** Starts `command` as a run that streams under its lesson step (and ticks that step only). */
  run: (command: string, args: CommandArgs, origin: StepOrigin) => void;
  doneSteps: () => string[];
  log: vscode.LogOutputChannel;
  /** Where each step's last result is kept across reloads (globalState); without it, nowhere. */
  memento?: MementoLike;
  /** The environment the runs use now (kept.ts's venvKey): results and ticks belong to it. */
  venv: () => string;
  /** The lesson's code cells (cells/wire.ts); without it the cells are shown but do not run. */
  cells?: (lesson: LessonInfo, cells: LessonCell[], post: (msg: CellsToWebview) => void) => CellsController;
}

/** Events are sent in batches: a chatty install must not post one message per line. */
const FLUSH_MS = 50;

export class LessonPanel implements vscode.Disposable {
  private static current: LessonPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly runStep = new Map<string, string>();
  private queue: StepEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private steps: RenderedLesson["steps"] = [];
  private cells: CellsController | undefined;
  private file = "";
  private lessonId = "";
  private kept: KeptResults | undefined;

  static readonly viewType = "tenstorrent.lesson";

  static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false, // buttons go through our message handler, never raw command links
      retainContextWhenHidden: true, // a long install keeps streaming while the tab is hidden
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, "dist", "webview")],
    };
  }

  static async show(deps: LessonDeps, file = "tt-xla-jax.md"): Promise<LessonPanel> {
    const current = LessonPanel.current;
    if (current?.file === file) {
      current.panel.reveal();
      return current;
    }
    // Another lesson replaces the tab: a fresh page, so nothing of the old one's state carries over.
    const column = current?.panel.viewColumn ?? vscode.ViewColumn.Active;
    current?.dispose();
    const panel = vscode.window.createWebviewPanel(
      LessonPanel.viewType,
      "TT-XLA lesson",
      column,
      LessonPanel.options(deps.extensionUri),
    );
    return LessonPanel.adopt(panel, deps, file);
  }

  /** Takes over a panel VS Code restored after a restart (see the serializer in extension.ts). */
  static async adopt(panel: vscode.WebviewPanel, deps: LessonDeps, file = "tt-xla-jax.md"): Promise<LessonPanel> {
    LessonPanel.current?.dispose();
    panel.webview.options = LessonPanel.options(deps.extensionUri);
    const lesson = new LessonPanel(panel, deps);
    LessonPanel.current = lesson;
    await lesson.load(file);
    return lesson;
  }

  /** Whether the lesson is open and on screen (where a run's result already shows). */
  static isVisible(): boolean {
    return LessonPanel.current?.panel.visible ?? false;
  }

  /**
   * The environment changed (`venvPath`, `externalEnvironment`): the open lesson is drawn again as
   * on its first load, with that environment's ticks and kept results, and none of the other's.
   */
  static redraw(): void {
    LessonPanel.current?.post(LessonPanel.current.initMessage());
  }

  /** Marks steps done in an open lesson (after a success started anywhere). */
  static notifyDone(commands: string[]): void {
    LessonPanel.current?.post({ type: "done", commands });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: LessonDeps,
  ) {
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      deps.tracker.onDidChange((run, event) => this.onRun(run, event)),
    );
  }

  private async load(file: string): Promise<void> {
    const uri = vscode.Uri.joinPath(this.deps.extensionUri, "lessons", file);
    const lesson = parseLesson(await readFile(uri.fsPath, "utf8"));
    this.file = file;
    this.lessonId = lesson.meta.id;
    const rendered = renderLesson(lesson.body);
    this.steps = rendered.steps;
    this.cells?.dispose();
    const memento = this.deps.memento;
    this.kept = memento
      ? new KeptResults(memento, lesson.meta.id, (err) => this.deps.log.warn(`keeping a step's result: ${String(err)}`))
      : undefined;
    // Every lesson is read from the extension's own lessons/ folder, so it is a bundled one.
    this.cells = this.deps.cells?.({ id: lesson.meta.id, bundled: true }, rendered.cells, (m) => this.post(m));
    this.panel.title = lesson.meta.title;
    const web = this.panel.webview;
    const asset = (name: string): string =>
      web.asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, "dist", "webview", name)).toString();
    web.html = lessonPage(lesson.meta, rendered.html, {
      cspSource: web.cspSource,
      scriptUri: asset("main.js"),
      styleUri: asset("main.css"),
    });
  }

  private receive(raw: unknown): void {
    if (this.cells?.receive(raw)) return; // checked there against the lesson's cells
    const action = gate(raw, this.steps);
    switch (action.kind) {
      case "ready":
        this.post(this.initMessage());
        this.cells?.init();
        break;
      case "run":
        this.deps.run(action.command, action.args, { lessonId: this.lessonId, stepId: action.stepId });
        break;
      case "command":
        void vscode.commands.executeCommand(action.command, action.args);
        break;
      case "cancel":
        this.deps.tracker.cancel(action.runId);
        break;
      case "refuse":
        this.deps.log.warn(`lesson: refused a message from the webview: ${action.reason}`);
        break;
    }
  }

  private initMessage(): ToWebview {
    const runs: { stepId: string; runId: string; status: Run["status"]; events: Event[] }[] = [];
    const venv = this.deps.venv();
    for (const run of this.deps.tracker.runs) {
      // Runs started before the page (re)loaded still get a step, the latest one winning.
      const stepId = this.runStep.get(run.id) ?? this.stepFor(run);
      if (!stepId) continue;
      this.runStep.set(run.id, stepId);
      // One that ended while the lesson was closed is kept too, for the venv it ran on.
      this.kept?.keep(run.venv ?? venv, stepId, run);
      // A run on another venv (before `venvPath` changed) is not this venv's result.
      if ((run.venv ?? venv) === venv)
        runs.push({ stepId, runId: run.id, status: run.status, events: [...run.events] });
    }
    // Steps with no run in this window show the last result kept for this venv, if any.
    const live = new Set(runs.map((r) => r.stepId));
    const kept = (this.kept?.list(venv) ?? []).filter(
      (k) => !live.has(k.stepId) && this.steps.some((s) => s.stepId === k.stepId && s.command === k.command),
    );
    return { type: "init", done: this.deps.doneSteps(), allowed: [...WEBVIEW_ALLOWED], runs, kept };
  }

  private onRun(run: Run, event: Event | undefined): void {
    if (event === undefined) {
      const stepId = this.stepFor(run);
      if (!stepId) return;
      this.runStep.set(run.id, stepId);
      this.enqueue({ stepId, runId: run.id });
      return;
    }
    const stepId = this.runStep.get(run.id);
    if (stepId) this.enqueue({ stepId, runId: run.id, event });
    if (stepId && event.kind === "end") this.kept?.keep(run.venv ?? this.deps.venv(), stepId, run);
  }

  /**
   * The step a run streams under: its own, or for a palette/sidebar run the first for its
   * command; a run of another lesson's step has none here.
   */
  private stepFor(run: Run): string | undefined {
    const step = run.origin
      ? this.steps.find(
          (s) => run.origin?.lessonId === this.lessonId && s.stepId === run.origin.stepId && s.command === run.command,
        )
      : this.steps.find((s) => s.command === run.command);
    return step?.stepId;
  }

  private enqueue(item: StepEvent): void {
    this.queue.push(item);
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const items = this.queue;
    this.queue = [];
    if (items.length) this.post({ type: "events", items });
  }

  private post(msg: ToWebview): void {
    void this.panel.webview.postMessage(msg);
  }

  dispose(): void {
    if (LessonPanel.current === this) LessonPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.cells?.dispose();
    this.cells = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
