// Browser side of the lesson: turns clicks into messages for the host and host messages into
// panel updates. Loaded as a real file with a nonce; it never evaluates anything it receives.
import type { Event, RunStatus } from "../backend/protocol";
import { tickedSteps } from "../shared/done";
import type { CellsFromWebview } from "../shared/cellMessages";
import { createCellEditor, setText } from "./cellEditor";
import { CellsView, type CellsViewState } from "./cells";
import type { FromWebview, KeptRun, StepEvent, ToWebview } from "../shared/messages";
import { RunPanel } from "./runPanel";
import { Summary } from "./summary";

interface VsCodeApi {
  postMessage(msg: FromWebview | CellsFromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
/** This script's CSP nonce: CodeMirror puts it on any <style> it has to add. */
const nonce = document.currentScript?.nonce ?? "";
interface PageState {
  done?: string[];
  cells?: CellsViewState;
}
const pageState = (): PageState => (vscode.getState() as PageState | undefined) ?? {};
const summary = new Summary(document);
const cells = new CellsView(
  document,
  (msg) => vscode.postMessage(msg),
  (o) => {
    const view = createCellEditor({ ...o, nonce });
    return { text: () => view.state.doc.toString(), setText: (t) => setText(view, t) };
  },
  (s) => vscode.setState({ ...pageState(), cells: s }),
  (run) => summary.noteCell(run),
);
let allowed: ReadonlySet<string> = new Set();
const panels = new Map<string, RunPanel>();

function panelFor(stepId: string): RunPanel | undefined {
  let p = panels.get(stepId);
  if (!p) {
    const root = document.querySelector<HTMLElement>(`.tt-run-panel[data-step="${CSS.escape(stepId)}"]`);
    if (!root) return undefined;
    p = new RunPanel(root, allowed);
    panels.set(stepId, p);
  }
  return p;
}

function markDone(done: string[]): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>("button.tt-run")];
  const steps = buttons.map((b) => ({
    stepId: b.dataset.step ?? "",
    command: b.dataset.command ?? "",
    hasArgs: b.dataset.args !== undefined,
  }));
  const ticked = tickedSteps(document.body.dataset.lesson ?? "", steps, done);
  for (const b of buttons) b.classList.toggle("tt-done", ticked.has(b.dataset.step ?? ""));
  vscode.setState({ ...pageState(), done });
}

/** `at`: when the event's run ended, for the summary's order (a kept run's own time). */
function applyItem(item: StepEvent, at = Date.now()): void {
  const panel = panelFor(item.stepId);
  if (!panel) return;
  if (item.event === undefined) panel.reset(item.runId);
  else if (panel.runId === item.runId) {
    panel.apply(item.event);
    if (item.event.kind === "result") summary.note(item.stepId, item.event.result, at);
  }
}

function replay(runs: { stepId: string; runId: string; status: RunStatus; events: Event[] }[], at?: number): void {
  for (const r of runs) {
    applyItem({ stepId: r.stepId, runId: r.runId }, at);
    for (const e of r.events) applyItem({ stepId: r.stepId, runId: r.runId, event: e }, at);
  }
}

/** A step's last result from before the reload, drawn as it ended and marked with its time. */
function restore(kept: KeptRun[]): void {
  for (const k of kept) {
    replay([k], k.endedAt);
    panelFor(k.stepId)?.markKept(k.endedAt);
  }
}

window.addEventListener("message", (ev: MessageEvent<ToWebview>) => {
  const msg = ev.data;
  switch (msg.type) {
    case "init":
      allowed = new Set(msg.allowed);
      // Drawn again (another venv): what the old init drew goes, so only this one's results show.
      for (const p of panels.values()) p.clear();
      panels.clear();
      summary.clear();
      markDone(msg.done);
      replay(msg.runs);
      restore(msg.kept);
      break;
    case "events":
      msg.items.forEach((item) => applyItem(item));
      break;
    case "done":
      markDone(msg.commands);
      break;
    default:
      cells.apply(msg);
  }
});

document.addEventListener("click", (ev) => {
  const target = ev.target instanceof Element ? ev.target.closest("button") : null;
  if (!target) return;
  const command = target.dataset.command ?? "";
  if (target.classList.contains("tt-run")) {
    const args = target.dataset.args ? (JSON.parse(target.dataset.args) as unknown) : undefined;
    vscode.postMessage({ type: "run", stepId: target.dataset.step ?? "", command, args });
  } else if (target.classList.contains("tt-command")) {
    vscode.postMessage({ type: "command", command });
  } else if (target.classList.contains("tt-fix")) {
    // A doctor fix streams under the lesson's own button for that command, when there is one,
    // with the fix's own arguments rather than the step's.
    const args = target.dataset.args ? (JSON.parse(target.dataset.args) as unknown) : undefined;
    const step = document.querySelector<HTMLElement>(`button.tt-run[data-command="${CSS.escape(command)}"]`);
    if (step) vscode.postMessage({ type: "run", stepId: step.dataset.step ?? "", command, args });
    else vscode.postMessage({ type: "command", command, args });
  } else if (target.classList.contains("tt-cancel")) {
    const root = target.closest<HTMLElement>(".tt-run-panel");
    const runId = root ? panels.get(root.dataset.step ?? "")?.runId : undefined;
    if (runId) vscode.postMessage({ type: "cancel", runId });
  }
});

const saved = pageState();
if (saved.done) markDone(saved.done);
cells.mount(saved.cells);
summary.draw();
vscode.postMessage({ type: "ready" });
