// The VS Code side of the cells: clipboard, scratch files, the save dialog, notices, and whether
// cells may run here. Thin wrappers; the naming and the trust rule are pure and unit-tested.
import * as vscode from "vscode";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { CellsUi } from "./controller";

/**
 * The scratch file for a cell: `cell-<n>.py`, or the first `cell-<n>-2.py`, `-3`, … that is
 * missing or already holds this code, so a scratch file the person changed is never overwritten.
 */
export async function scratchName(
  cell: number,
  code: string,
  read: (name: string) => Promise<string | undefined>,
): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `cell-${cell + 1}.py` : `cell-${cell + 1}-${n}.py`;
    const existing = await read(name);
    if (existing === undefined || existing === code) return name;
  }
}

/**
 * May a lesson's cells run? The lessons bundled with the extension always may (their code is
 * ours, and the person only runs what they click); any other lesson only in a trusted workspace.
 */
export function cellsMayRun(bundled: boolean, trusted: boolean): { ok: true } | { ok: false; why: string } {
  if (bundled || trusted) return { ok: true };
  return {
    ok: false,
    why: "This workspace is not trusted: only the lessons that come with the extension can run their cells here.",
  };
}

/**
 * The save dialog's first folder: the workspace's, unless that folder holds the lesson's own
 * source (scripts/ui.sh opens the repository's lessons/), where a notebook does not belong; then
 * the home folder.
 */
export function saveFolder(workspace: string | undefined, home: string, holdsLesson: (dir: string) => boolean): string {
  return workspace !== undefined && !holdsLesson(workspace) ? workspace : home;
}

/** The toast after an export: where the notebook went, and the kernelspec written outside the workspace. */
export function exportedMessage(notebook: string, kernelspecFolder: string | undefined): string {
  const saved = `Saved the lesson as a notebook: ${notebook}.`;
  return kernelspecFolder
    ? `${saved} Its kernel (the TT-XLA venv) is registered for Jupyter in ${kernelspecFolder}.`
    : saved;
}

export const OPEN = "Open";
export const REVEAL = "Reveal";

const ensureNewline = (code: string): string => (code.endsWith("\n") ? code : `${code}\n`);

export function cellsUi(scratchDir: vscode.Uri, log: vscode.LogOutputChannel, lessonFile: string): CellsUi {
  return {
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage("Copied the cell's code", 2_000);
    },
    openAsFile: async (cell, code) => {
      // One folder per lesson under the extension's own storage: the person's, never the workspace.
      const dir = scratchDir.fsPath;
      await mkdir(dir, { recursive: true });
      const text = ensureNewline(code);
      const read = (name: string): Promise<string | undefined> =>
        readFile(join(dir, name), "utf8").catch(() => undefined);
      const name = await scratchName(cell, text, read);
      const file = join(dir, name);
      if ((await read(name)) !== text) await writeFile(file, text, "utf8");
      log.info(`cells: opened cell ${cell + 1} as ${file}`);
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    },
    askSavePath: async (defaultName) => {
      const folder = saveFolder(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, homedir(), (dir) =>
        existsSync(join(dir, lessonFile)),
      );
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(join(folder, defaultName)),
        filters: { "Jupyter Notebook": ["ipynb"] },
        title: "Export the lesson as a notebook",
      });
      return uri?.fsPath;
    },
    info: (message) => void vscode.window.showInformationMessage(message),
    exported: (notebook, kernelspecFolder) => {
      log.info(`cells: exported ${notebook}; kernelspec ${kernelspecFolder ?? "not registered"}`);
      const buttons = kernelspecFolder ? [OPEN, REVEAL] : [OPEN];
      void vscode.window.showInformationMessage(exportedMessage(notebook, kernelspecFolder), ...buttons).then((b) => {
        if (b === OPEN) void vscode.commands.executeCommand("vscode.open", vscode.Uri.file(notebook));
        // The kernelspec lives outside the workspace: its kernel.json in an editor works locally
        // and in a remote window alike (revealFileInOS has no OS to reveal in there).
        if (b === REVEAL && kernelspecFolder) {
          void vscode.window.showTextDocument(vscode.Uri.file(join(kernelspecFolder, "kernel.json")));
        }
      });
    },
    error: (message) => {
      log.warn(`cells: ${message}`);
      void vscode.window.showErrorMessage(message);
    },
  };
}
