// Puts one lesson's cells together: the backend kernel, the saved state, the editor UI and the
// trust rule. Called by the lesson panel for each lesson it loads.
import * as vscode from "vscode";
import type { Connection } from "../backend/requests";
import type { LessonCell } from "../lesson/cells";
import type { RunTracker } from "../runs";
import { currentSettings } from "../vscodeapi";
import { CellsController } from "./controller";
import { cellsMayRun, cellsUi } from "./host";
import { BackendKernel } from "./kernel";
import type { CellsToWebview } from "../shared/cellMessages";
import { FileMemento } from "./fileMemento";
import { CellStore, type MementoLike } from "./store";

/** This extension host's session: the backend it starts, and its kernels, end with it. */
const SESSION = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export interface CellsEnv {
  tracker: RunTracker;
  connection: () => Connection | undefined;
  /** Where edits and outputs are kept (`durableMemento`). */
  memento: MementoLike;
  /** The extension's own storage folder: scratch files go under it. */
  storageUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

export interface LessonInfo {
  id: string;
  /** Shipped inside the extension (lessons/), not read from the workspace. */
  bundled: boolean;
}

/**
 * Where what a reload right after a click must find is kept (every lesson's cells, the lesson in
 * the tab): files in the extension's storage folder when it is on this extension host's disk
 * (always, for a desktop or remote extension host), else globalState.
 */
export function durableMemento(storageUri: vscode.Uri, globalState: vscode.Memento): MementoLike {
  return storageUri.scheme === "file"
    ? new FileMemento(vscode.Uri.joinPath(storageUri, "kept").fsPath, globalState)
    : globalState;
}

export function makeCells(
  env: CellsEnv,
  lesson: LessonInfo,
  cells: LessonCell[],
  post: (msg: CellsToWebview) => void,
): CellsController {
  const kernel = new BackendKernel({
    lessonId: lesson.id,
    tracker: env.tracker,
    connection: env.connection,
    settings: currentSettings,
  });
  return new CellsController({
    lessonId: lesson.id,
    cells,
    kernel,
    store: new CellStore(
      env.memento,
      lesson.id,
      undefined,
      (err) => env.log.warn(`cells: saving ${lesson.id}: ${String(err)}`),
      (line) => env.log.info(line),
    ),
    // A lesson's source is lessons/<id>.md: a workspace holding it is not where a notebook goes.
    ui: cellsUi(vscode.Uri.joinPath(env.storageUri, "scratch", lesson.id), env.log, `${lesson.id}.md`),
    post,
    canRun: () => cellsMayRun(lesson.bundled, vscode.workspace.isTrusted),
    session: SESSION,
  });
}
