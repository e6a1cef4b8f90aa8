// The real window, configuration and Python-extension calls behind settingsWrite.ts and
// pythonEnv.ts, plus the handlers they register. Thin wrappers, no logic of their own.
import { readdir } from "node:fs/promises";
import * as vscode from "vscode";
import type { StatusResult } from "./backend/protocol";
import {
  chooseModelFolder,
  chooseWheelhouse,
  openSettings,
  setIndexUrl,
  setPythonPath,
  type SettingsUi,
} from "./settingsWrite";
import { PYTHON_EXTENSION_ID, usePythonEnvironment, type PythonEnvironments, type PythonEnvUi } from "./pythonEnv";
import { SECTION } from "./settings";
import { COMMAND } from "./backend/routes.generated";

const settingsUi: SettingsUi = {
  inspect: (key) => vscode.workspace.getConfiguration(SECTION).inspect(key),
  update: async (key, value, target) =>
    vscode.workspace
      .getConfiguration(SECTION)
      .update(
        key,
        value,
        target === "workspace" ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
      ),
  trusted: () => vscode.workspace.isTrusted,
  remoteName: () => vscode.env.remoteName,
  pickFolder: async (title, openLabel) =>
    (await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: true, canSelectFiles: false }))?.[0]
      ?.fsPath,
  pickFile: async (title, openLabel) =>
    (await vscode.window.showOpenDialog({ title, openLabel, canSelectFolders: false, canSelectFiles: true }))?.[0]
      ?.fsPath,
  input: async (o) =>
    vscode.window.showInputBox({
      title: o.title,
      prompt: o.prompt,
      value: o.value,
      ignoreFocusOut: true,
      validateInput: o.validate,
    }),
  executeCommand: async (command, ...args) => vscode.commands.executeCommand(command, ...args),
  info: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: async (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  listFolder: async (path) => readdir(path).catch(() => undefined),
};

interface PythonExtensionExports {
  environments?: PythonEnvironments<vscode.WorkspaceFolder>;
}

export function pythonEnvUi(
  status: () => Promise<StatusResult | undefined>,
  memento: vscode.Memento,
): PythonEnvUi<vscode.WorkspaceFolder> {
  return {
    pythonEnvironments: async () => {
      const ext = vscode.extensions.getExtension<PythonExtensionExports>(PYTHON_EXTENSION_ID);
      if (!ext) return undefined;
      const api = ext.isActive ? ext.exports : await ext.activate();
      return api.environments;
    },
    folder: () => {
      const f = vscode.workspace.workspaceFolders?.[0];
      return f ? { resource: f, name: f.name } : undefined;
    },
    status,
    info: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
    warn: async (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
    executeCommand: async (command, ...args) => vscode.commands.executeCommand(command, ...args),
    memento,
  };
}

/** Handlers for commands.ts's fix and Python-environment entries (handlers.ts registers them). */
export function fixHandlers(env: PythonEnvUi<vscode.WorkspaceFolder>): Record<string, (raw?: unknown) => unknown> {
  return {
    [COMMAND.CHOOSE_WHEELHOUSE]: () => chooseWheelhouse(settingsUi),
    [COMMAND.SET_INDEX_URL]: () => setIndexUrl(settingsUi),
    [COMMAND.SET_PYTHON_PATH]: () => setPythonPath(settingsUi),
    [COMMAND.CHOOSE_MODEL_FOLDER]: () => chooseModelFolder(settingsUi),
    [COMMAND.OPEN_SETTINGS]: (raw?: unknown) =>
      openSettings(settingsUi, raw !== null && typeof raw === "object" && "query" in raw ? raw.query : raw),
    [COMMAND.USE_PYTHON_ENVIRONMENT]: () => usePythonEnvironment(env),
  };
}
