// The window calls behind lessons/save.ts: dialogs, the modal question and the toast.
import { homedir } from "node:os";
import { join } from "node:path";
import * as vscode from "vscode";
import type { SaveUi } from "./save";

const startFolder = (): string => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();

export const saveUi: SaveUi = {
  pickLesson: async (choices) =>
    (
      await vscode.window.showQuickPick(
        choices.map((c) => ({ label: c.title, description: c.lessonId, lessonId: c.lessonId })),
        { placeHolder: "Which lesson?" },
      )
    )?.lessonId,
  // A save dialog names a new folder the report goes in (the backend makes it): an open dialog
  // could only pick one that exists, and a native one cannot return a folder it navigates into.
  askFolder: async (title, defaultName) =>
    (
      await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(join(startFolder(), defaultName)),
        saveLabel: "Save Report Here",
        title,
      })
    )?.fsPath,
  askZip: async (defaultName) =>
    (
      await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(join(startFolder(), defaultName)),
        filters: { "Zip archive": ["zip"] },
        title: "Save a support bundle",
      })
    )?.fsPath,
  confirm: async (message, detail, action) =>
    (await vscode.window.showInformationMessage(message, { modal: true, detail }, action)) === action,
  written: async (message, file, actions) => {
    const pick = await vscode.window.showInformationMessage(message, ...actions);
    // Open: the system's handler (a browser for report.html); Reveal: the file in its folder.
    if (pick === "Open") await vscode.env.openExternal(vscode.Uri.file(file));
    else if (pick === "Reveal") await vscode.commands.executeCommand("revealFileInOS", vscode.Uri.file(file));
  },
  error: (message) => void vscode.window.showErrorMessage(message),
};
