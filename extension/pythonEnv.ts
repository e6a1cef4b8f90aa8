// "Use the TT-XLA Environment for Python in This Workspace": points the Python extension's
// interpreter for this workspace at the venv's python (the backend's status answer names it;
// `~` is never expanded here), so Pylance resolves `jax` in the person's own files. Offered once
// after the first successful install. Without ms-python.python the rest of the product works and
// this command says what it would need. No `vscode` import: everything comes through the seam.
import type { StatusResult } from "./backend/protocol";
import { COMMAND } from "./backend/routes.generated";

export const PYTHON_EXTENSION_ID = "ms-python.python";
/** globalState key: the offer after an install was shown once (whatever the answer). */
export const OFFERED_KEY = "tenstorrent.pythonEnvOffered";

/**
 * The part of ms-python.python's exported `environments` API used here, as @vscode/python-extension
 * declares it: `getActiveEnvironmentPath(resource?)` and `updateActiveEnvironmentPath(env, resource?)`
 * (a path to an environment folder or its python executable; written for the resource's folder).
 */
export interface PythonEnvironments<R> {
  getActiveEnvironmentPath(resource?: R): { id: string; path: string };
  updateActiveEnvironmentPath(environment: string, resource?: R): Promise<void>;
}

export interface PythonEnvUi<R> {
  /** The API, activating the extension if need be; undefined when it is not installed. */
  pythonEnvironments(): Promise<PythonEnvironments<R> | undefined>;
  /** The first workspace folder and its name, if a folder is open. */
  folder(): { resource: R; name: string } | undefined;
  status(): Promise<StatusResult | undefined>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): Promise<unknown>;
  memento: { get(key: string): unknown; update(key: string, value: unknown): PromiseLike<void> };
}

export type UseOutcome = "set" | "already" | "no-environment" | "no-python-extension";

/** The interpreter runs use, from status: a ready venv's or an external environment's. */
export function environmentPython(status: StatusResult | undefined): string | undefined {
  if (!status?.python) return undefined;
  return status.state === "ready" || status.state === "external" ? status.python : undefined;
}

export async function usePythonEnvironment<R>(ui: PythonEnvUi<R>): Promise<UseOutcome> {
  const python = environmentPython(await ui.status());
  if (!python) {
    const pick = await ui.warn(
      "There is no TT-XLA environment to use yet: install it first (Tenstorrent: Install TT-XLA).",
      "Install TT-XLA",
    );
    if (pick === "Install TT-XLA") await ui.executeCommand(COMMAND.INSTALL_TT_XLA);
    return "no-environment";
  }
  const envs = await ui.pythonEnvironments();
  if (!envs) {
    const pick = await ui.warn(
      `This command sets the interpreter through the Python extension (${PYTHON_EXTENSION_ID}), ` +
        `which is not installed. Install it and run the command again, or point your editor's ` +
        `Python at ${python} yourself. Everything else in the lesson works without it.`,
      "Install the Python Extension",
    );
    if (pick === "Install the Python Extension") {
      await ui.executeCommand("workbench.extensions.installExtension", PYTHON_EXTENSION_ID);
    }
    return "no-python-extension";
  }
  const folder = ui.folder();
  const where = folder ? `in ${folder.name}` : "in this window";
  if (envs.getActiveEnvironmentPath(folder?.resource).path === python) {
    await ui.info(`Python ${where} already uses the TT-XLA environment (${python}).`);
    return "already";
  }
  await envs.updateActiveEnvironmentPath(python, folder?.resource);
  await ui.info(`Python ${where} now uses the TT-XLA environment (${python}): imports of jax resolve.`);
  return "set";
}

/**
 * After a successful install: offer the command once (remembered in globalState), and only
 * when the Python extension is there to do it.
 */
export async function offerAfterInstall<R>(ui: PythonEnvUi<R>): Promise<boolean> {
  if (ui.memento.get(OFFERED_KEY)) return false;
  if (!(await ui.pythonEnvironments())) return false;
  await ui.memento.update(OFFERED_KEY, true);
  const pick = await ui.info(
    "TT-XLA is installed. Use its environment for the Python files in this workspace, so jax resolves in your own code?",
    "Use for Python",
  );
  if (pick === "Use for Python") await usePythonEnvironment(ui);
  return true;
}
