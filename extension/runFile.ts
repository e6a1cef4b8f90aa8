// "Run Python File in the TT-XLA Environment": runs the active (or clicked) .py in the managed
// venv through the backend's `tenstorrent/runFile`, as a tracked run like the lesson's steps
// (cancellable progress notification, status bar), with its output streamed to an output channel.
// Not a lesson cell: no kernel, nothing of cells/.
import * as vscode from "vscode";
import type { Run, RunTracker } from "./runs";
import { formatDuration } from "./shared/format";

export interface RunFileDeps {
  tracker: RunTracker;
  /** Starts the run (handlers.ts's startRun, with its progress notification). */
  start: (args: { path: string }) => Run | undefined;
  log: vscode.LogOutputChannel;
}

/** Which file to run: the one clicked (editor title passes its URI), else the active editor's. */
export function pickFile(
  given: { scheme: string; fsPath: string } | undefined,
  active: { scheme: string; fsPath: string; languageId: string } | undefined,
): { path: string } | { refuse: string } {
  if (given) {
    return given.scheme === "file" ? { path: given.fsPath } : { refuse: "Only a file saved on disk can be run." };
  }
  if (!active) return { refuse: "Open a Python file first." };
  if (active.scheme !== "file") return { refuse: "Save the file first: only a file on disk can be run." };
  if (active.languageId !== "python" && !active.fsPath.endsWith(".py")) {
    return { refuse: "The active editor is not a Python file." };
  }
  return { path: active.fsPath };
}

let channel: vscode.OutputChannel | undefined;

export async function runPythonFile(deps: RunFileDeps, raw: unknown): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    // A file of this workspace is the workspace's code: the same rule as every other run of it.
    void vscode.window.showWarningMessage(
      "Running a Python file needs a trusted workspace (Workspace Trust); the lesson's own cells still run.",
    );
    return;
  }
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  const pick = pickFile(
    raw instanceof vscode.Uri ? raw : undefined,
    doc && { scheme: doc.uri.scheme, fsPath: doc.uri.fsPath, languageId: doc.languageId },
  );
  if ("refuse" in pick) {
    void vscode.window.showWarningMessage(pick.refuse);
    return;
  }
  // What runs is what is on screen: unsaved changes are saved first.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === "file" && d.uri.fsPath === pick.path);
  if (open?.isDirty && !(await open.save())) return;
  channel ??= vscode.window.createOutputChannel("TT-XLA Python");
  const out = channel;
  out.clear();
  out.appendLine(`$ python ${pick.path}   (in the TT-XLA environment)`);
  out.show(true);
  const run = deps.start(pick);
  if (!run) return;
  const sub = deps.tracker.onDidChange((r, e) => {
    if (r.id !== run.id || !e) return;
    if (e.kind === "log") out.appendLine(e.lines.join("\n"));
    else if (e.kind === "error") out.appendLine(`[error] ${e.error.message}`);
    else if (e.kind === "end") {
      const code = e.exitCode === null ? "" : `, exit code ${e.exitCode}`;
      out.appendLine(`[${e.status}${code}, ${formatDuration(e.durationS)}]`);
    }
  });
  await run.done.finally(() => sub.dispose());
  deps.log.info(`runFile ${pick.path}: ${run.status}`);
}
