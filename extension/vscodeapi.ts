// The few VS Code lookups the pure modules need, in one place: settings (trust-aware) and the
// Python extension's interpreter. Everything here is a thin wrapper with no logic to test.
import * as vscode from "vscode";
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
