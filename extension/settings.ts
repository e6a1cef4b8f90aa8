// Reads the `tenstorrent.ttXla.*` settings into one typed object and maps it to the backend's
// typed params. Pure functions over a small reader interface, so no `vscode` import here: the
// mapping is unit-tested, and nothing is ever spliced into a shell string (params are JSON).
import type {
  CnnParams,
  DemoParams,
  DoctorParams,
  InstallParams,
  MeshParams,
  StatusParams,
  TestParams,
} from "./backend/protocol";
import type { ParamsOf } from "./backend/requests";
import type { CommandArgs, RunMethod } from "./commands";

export const SECTION = "tenstorrent.ttXla";
export const GPT2_MODELS = ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl"] as const;
export type Gpt2Model = (typeof GPT2_MODELS)[number];

export interface TtXlaSettings {
  venvPath: string;
  indexUrl: string;
  pre: boolean;
  wheelhouse: string;
  offline: boolean;
  cpuOnly: boolean;
  model: Gpt2Model;
  modelPath: string;
  prompt: string;
  meshShape: string;
  pythonPath: string;
  timeoutSeconds: number;
}

export const DEFAULTS: TtXlaSettings = {
  venvPath: "~/tt-xla-venv",
  indexUrl: "https://pypi.eng.aws.tenstorrent.com/",
  pre: false,
  wheelhouse: "",
  offline: false,
  cpuOnly: false,
  model: "gpt2",
  modelPath: "",
  prompt: "The capital of France is",
  meshShape: "1x2",
  pythonPath: "",
  timeoutSeconds: 0,
};

/** What VS Code's `WorkspaceConfiguration.inspect` tells about one key (the parts we use). */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * The effective value of one key. In an untrusted workspace a folder could point the venv,
 * interpreter or index at anything, so only user (global) and default values count there.
 */
export function effective(info: Inspected | undefined, trusted: boolean): unknown {
  if (!info) return undefined;
  if (trusted) {
    return info.workspaceFolderValue ?? info.workspaceValue ?? info.globalValue ?? info.defaultValue;
  }
  return info.globalValue ?? info.defaultValue;
}

const str = (v: unknown, d: string): string => (typeof v === "string" ? v.trim() : d);
const bool = (v: unknown, d: boolean): boolean => (typeof v === "boolean" ? v : d);

/** Builds the typed settings from `inspect(key)` answers; wrong types fall back to defaults. */
export function readSettings(
  inspect: (key: keyof TtXlaSettings) => Inspected | undefined,
  trusted: boolean,
): TtXlaSettings {
  const get = (key: keyof TtXlaSettings): unknown => effective(inspect(key), trusted);
  const model = get("model");
  const timeout = get("timeoutSeconds");
  const shape = str(get("meshShape"), DEFAULTS.meshShape);
  return {
    venvPath: str(get("venvPath"), DEFAULTS.venvPath) || DEFAULTS.venvPath,
    indexUrl: str(get("indexUrl"), DEFAULTS.indexUrl) || DEFAULTS.indexUrl,
    pre: bool(get("pre"), DEFAULTS.pre),
    wheelhouse: str(get("wheelhouse"), ""),
    offline: bool(get("offline"), DEFAULTS.offline),
    cpuOnly: bool(get("cpuOnly"), DEFAULTS.cpuOnly),
    model: GPT2_MODELS.includes(model as Gpt2Model) ? (model as Gpt2Model) : DEFAULTS.model,
    modelPath: str(get("modelPath"), ""),
    prompt: str(get("prompt"), DEFAULTS.prompt) || DEFAULTS.prompt,
    meshShape: /^[1-9][0-9]*x[1-9][0-9]*$/.test(shape) ? shape : DEFAULTS.meshShape,
    pythonPath: str(get("pythonPath"), ""),
    timeoutSeconds: typeof timeout === "number" && timeout > 0 ? timeout : 0,
  };
}

/** Expands a leading `~` so the backend and messages show the real folder. */
export function expandHome(path: string, home: string): string {
  return path === "~" ? home : path.startsWith("~/") ? `${home}${path.slice(1)}` : path;
}

interface Common {
  venv: string;
  runId: string;
  timeoutS?: number;
}

function common(s: TtXlaSettings, runId: string, home: string): Common {
  const base: Common = { venv: expandHome(s.venvPath, home), runId };
  if (s.timeoutSeconds > 0) base.timeoutS = s.timeoutSeconds;
  return base;
}

export function installParams(s: TtXlaSettings, runId: string, home: string, args: CommandArgs = {}): InstallParams {
  const p: InstallParams = {
    ...common(s, runId, home),
    cpuOnly: s.cpuOnly,
    indexUrl: s.indexUrl,
    offline: s.offline,
    pre: s.pre,
  };
  if (s.wheelhouse) p.wheelhouse = expandHome(s.wheelhouse, home);
  if (args.reinstall === true) p.reinstall = true; // from the doctor's fix, never a setting
  return p;
}

export function testParams(s: TtXlaSettings, runId: string, home: string): TestParams {
  return common(s, runId, home);
}

export function doctorParams(s: TtXlaSettings, runId: string, home: string): DoctorParams {
  return common(s, runId, home);
}

/** A local checkpoint folder wins over the hub name: it is how offline machines run the demo. */
export function demoParams(s: TtXlaSettings, runId: string, home: string, args: CommandArgs = {}): DemoParams {
  const p: DemoParams = {
    ...common(s, runId, home),
    model: s.modelPath ? expandHome(s.modelPath, home) : s.model,
    prompt: typeof args.prompt === "string" ? args.prompt : s.prompt,
  };
  if (typeof args.generate === "number") p.generate = args.generate;
  if (typeof args.topK === "number") p.topK = args.topK;
  return p;
}

export function meshParams(s: TtXlaSettings, runId: string, home: string, args: CommandArgs = {}): MeshParams {
  return { ...common(s, runId, home), shape: typeof args.shape === "string" ? args.shape : s.meshShape };
}

export function cnnParams(s: TtXlaSettings, runId: string, home: string, args: CommandArgs = {}): CnnParams {
  const p: CnnParams = common(s, runId, home);
  if (typeof args.epochs === "number") p.epochs = args.epochs;
  if (typeof args.seed === "number") p.seed = args.seed;
  return p;
}

export function statusParams(s: TtXlaSettings, home: string): StatusParams {
  return { venv: expandHome(s.venvPath, home) };
}

/** Params for any run method: the single switch the command handlers go through. */
export function paramsFor(
  method: RunMethod,
  s: TtXlaSettings,
  runId: string,
  home: string,
  args: CommandArgs = {},
): ParamsOf<RunMethod> {
  switch (method) {
    case "tenstorrent/installTtXla":
      return installParams(s, runId, home, args);
    case "tenstorrent/testTtXlaInstall":
      return testParams(s, runId, home);
    case "tenstorrent/runTtXlaDemo":
      return demoParams(s, runId, home, args);
    case "tenstorrent/runMeshExample":
      return meshParams(s, runId, home, args);
    case "tenstorrent/runCnnExample":
      return cnnParams(s, runId, home, args);
    case "tenstorrent/doctor":
      return doctorParams(s, runId, home);
  }
}
