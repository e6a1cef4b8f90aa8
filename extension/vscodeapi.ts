// The few VS Code lookups the pure modules need, in one place: settings (trust-aware), the
// Python extension's interpreter and the notices' window calls. Everything here is a thin wrapper
// with no logic to test.
import * as vscode from "vscode";
import type { NoticeUi } from "./backend/notices";
import { readSettings, SECTION, type TtXlaSettings } from "./settings";

export function currentSettings(): TtXlaSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return readSettings((key) => config.inspect(key), vscode.workspace.isTrusted);
}

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/** The interpreter selected in ms-python.python, if that extension is installed. */
export async function pythonExtensionInterpreter(): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonExtensionApi>("ms-python.python");
  if (!ext) return undefined;
  const api = ext.isActive ? ext.exports : await ext.activate();
  const envs = api?.environments;
  const active = envs?.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
  if (!envs || !active) return undefined;
  const resolved = await envs.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath;
}

/** The real window and command calls behind backend/notices.ts. */
export const noticeUi: NoticeUi = {
  showError: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
  showWarning: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  executeCommand: (command, ...args) => vscode.commands.executeCommand(command, ...args),
};
