// The VS Code side of the cells: clipboard, scratch files, the save dialog, notices, and whether
// cells may run here. Thin wrappers; the naming and the trust rule are pure and unit-tested.
import * as vscode from "vscode";
import { mkdir, readFile, writeFile } from "node:fs/promises";
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

const ensureNewline = (code: string): string => (code.endsWith("\n") ? code : `${code}\n`);

export function cellsUi(scratchDir: vscode.Uri, log: vscode.LogOutputChannel): CellsUi {
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
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.env.HOME ?? "/");
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(folder, defaultName),
        filters: { "Jupyter Notebook": ["ipynb"] },
        title: "Export the lesson as a notebook",
      });
      return uri?.fsPath;
    },
    info: (message) => void vscode.window.showInformationMessage(message),
    error: (message) => {
      log.warn(`cells: ${message}`);
      void vscode.window.showErrorMessage(message);
    },
  };
}
