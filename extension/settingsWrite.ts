// The fix buttons that change a setting: "Choose a wheelhouse folder…", "Set the index URL…",
// "Set the Python path…", "Choose a Model Folder…" and "Open the settings" (focused on one key). Each writes where the value
// takes effect. VS Code itself routes a user-level (Global) write of a machine-overridable setting
// to the remote machine's settings in a remote window or code-server (configurationService.ts,
// toEditableConfigurationTarget: USER -> USER_REMOTE when the setting's scope is MACHINE or
// MACHINE_OVERRIDABLE), so Global is right there; only a trusted workspace's own value would
// shadow it, and then the workspace is where the change must go. No `vscode` import: the window
// and configuration calls come through `SettingsUi`, so the logic is unit-tested.
import { COMMAND } from "./backend/routes.generated";
import { SECTION, SETTINGS } from "./backend/settings.generated";
import { effective, settingKeyOf, type Inspected, type SettingKey } from "./settings";

export type WriteTarget = "global" | "workspace";

/** The window and configuration calls the fix commands need (vscodeapi-style seam). */
export interface SettingsUi {
  inspect(key: SettingKey): Inspected | undefined;
  update(key: SettingKey, value: string, target: WriteTarget): Promise<void>;
  trusted(): boolean;
  /** `vscode.env.remoteName`: set in SSH/WSL/container windows, and in code-server. */
  remoteName(): string | undefined;
  pickFolder(title: string, openLabel: string): Promise<string | undefined>;
  pickFile(title: string, openLabel: string): Promise<string | undefined>;
  input(options: {
    title: string;
    prompt: string;
    value: string;
    validate: (text: string) => string | undefined;
  }): Promise<string | undefined>;
  executeCommand(command: string, ...args: unknown[]): Promise<unknown>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  /** The names in a folder; undefined when it cannot be read. */
  listFolder(path: string): Promise<string[] | undefined>;
}

export function isMachineScoped(key: SettingKey): boolean {
  const schema = SETTINGS[key];
  return "scope" in schema && schema.scope === "machine-overridable";
}

/**
 * Where a value written from a button takes effect. A trusted workspace's own value wins over the
 * user's (settings.ts `effective`), so it is overwritten there; an untrusted workspace's values
 * are ignored, so user (in a remote window: the remote machine's) settings it is.
 */
export function writeTarget(info: Inspected | undefined, trusted: boolean): WriteTarget {
  return trusted && info?.workspaceValue !== undefined ? "workspace" : "global";
}

/** Which Settings tab the value landed in, in the words of the Settings editor. */
export function describeTarget(key: SettingKey, target: WriteTarget, remoteName: string | undefined): string {
  if (target === "workspace") return "Workspace settings";
  return remoteName && isMachineScoped(key) ? `Remote [${remoteName}] settings` : "User settings";
}

/** Writes one setting where it takes effect and says where. */
export async function writeSetting(ui: SettingsUi, key: SettingKey, value: string): Promise<string> {
  const target = writeTarget(ui.inspect(key), ui.trusted());
  await ui.update(key, value, target);
  return describeTarget(key, target, ui.remoteName());
}

/** The same schemes the backend accepts (venv/checks.py validate_index_url). */
export function indexUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return "Not a URL, e.g. https://pypi.example.com/simple/";
  }
  return ["http:", "https:", "file:"].includes(url.protocol) ? undefined : "Use an http, https or file URL.";
}

async function offerInstall(ui: SettingsUi, said: string): Promise<void> {
  if ((await ui.info(said, "Install TT-XLA")) === "Install TT-XLA") await ui.executeCommand(COMMAND.INSTALL_TT_XLA);
}

export async function chooseWheelhouse(ui: SettingsUi): Promise<boolean> {
  const folder = await ui.pickFolder("Folder of wheels for the install (a wheelhouse)", "Use as Wheelhouse");
  if (!folder) return false;
  const where = await writeSetting(ui, "wheelhouse", folder);
  await offerInstall(ui, `Wheelhouse set to ${folder} (${where}).`);
  return true;
}

export async function setIndexUrl(ui: SettingsUi): Promise<boolean> {
  const url = await ui.input({
    title: "Package index that serves pjrt-plugin-tt",
    prompt: "A mirror of Tenstorrent's index, or a local one (http, https or file URL).",
    value: String(effective(ui.inspect("indexUrl"), ui.trusted()) ?? SETTINGS.indexUrl.default),
    validate: indexUrlProblem,
  });
  if (url === undefined || indexUrlProblem(url)) return false;
  const where = await writeSetting(ui, "indexUrl", url.trim());
  await offerInstall(ui, `Index URL set to ${url.trim()} (${where}).`);
  return true;
}

export async function setPythonPath(ui: SettingsUi): Promise<boolean> {
  const file = await ui.pickFile("Python interpreter (e.g. python3.12)", "Use This Python");
  if (!file) return false;
  const where = await writeSetting(ui, "pythonPath", file);
  // A new pythonPath restarts the backend (extension.ts); the install is the person's next step.
  await offerInstall(ui, `Python path set to ${file} (${where}).`);
  return true;
}

/**
 * What a GPT-2 checkpoint folder lacks for the demo (workloads/gpt2_source.py reads config.json
 * and model.safetensors; the tokenizer is tokenizer.json, or vocab.json with merges.txt).
 */
export function modelFolderProblem(names: readonly string[]): string | undefined {
  const has = (n: string) => names.includes(n);
  const missing = [
    ...(has("config.json") ? [] : ["config.json"]),
    ...(names.some((n) => n.endsWith(".safetensors")) ? [] : ["model.safetensors"]),
    ...(has("tokenizer.json") || (has("vocab.json") && has("merges.txt"))
      ? []
      : ["tokenizer.json (or vocab.json and merges.txt)"]),
  ];
  return missing.length ? `it has no ${missing.join(", no ")}` : undefined;
}

const ANOTHER = "Choose Another Folder…";

export async function chooseModelFolder(ui: SettingsUi): Promise<boolean> {
  for (;;) {
    const folder = await ui.pickFolder("GPT-2 checkpoint folder (Hugging Face format)", "Use This Model");
    if (!folder) return false;
    const names = await ui.listFolder(folder);
    const problem = names === undefined ? "it cannot be read" : modelFolderProblem(names);
    if (problem) {
      if ((await ui.warn(`${folder} is not a GPT-2 checkpoint: ${problem}.`, ANOTHER)) !== ANOTHER) return false;
      continue;
    }
    const where = await writeSetting(ui, "modelPath", folder);
    const run = "Run the GPT-2 Demo";
    if ((await ui.info(`Model folder set to ${folder} (${where}).`, run)) === run) {
      await ui.executeCommand(COMMAND.RUN_TT_XLA_DEMO);
    }
    return true;
  }
}

/**
 * Opens the Settings editor on one of our keys. A machine-overridable key in a remote window
 * opens the Remote tab, where its value takes effect (README troubleshooting).
 */
export async function openSettings(ui: SettingsUi, query: unknown): Promise<boolean> {
  const key = settingKeyOf(query);
  if (!key) return false;
  const id = `${SECTION}.${key}`;
  if (ui.remoteName() && isMachineScoped(key)) {
    await ui.executeCommand("workbench.action.openRemoteSettings", { query: id });
  } else {
    await ui.executeCommand("workbench.action.openSettings", id);
  }
  return true;
}
