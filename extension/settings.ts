// Reads the `tenstorrent.ttXla.*` settings into one typed object and maps it to the backend's
// typed params. Which settings exist (defaults, allowed values) and which params field each one
// fills both come from the backend's export (routes.generated.ts), so nothing here is per-method.
// Pure functions over a small reader interface, so no `vscode` import: the mapping is
// unit-tested, and nothing is ever spliced into a shell string (params are JSON). Paths are sent
// as written: the backend expands `~` (and makes a run id when a caller has none).
import type { ParamsOf, RequestMethod } from "./backend/requests";
import { GPT2_MODELS, METHOD } from "./backend/routes.generated";
import { PARAMS_FROM_SETTINGS, SECTION, SETTINGS } from "./backend/settings.generated";
import type { CommandArgs } from "./commandArgs";

export { GPT2_MODELS, SECTION };

export type SettingKey = keyof typeof SETTINGS;
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : never;
export type TtXlaSettings = { -readonly [K in SettingKey]: Widen<(typeof SETTINGS)[K]["default"]> };
type SettingValue = string | number | boolean;

/** What package.json declares for one setting, as the backend exports it. */
interface SettingSchema {
  readonly type: "string" | "number" | "boolean";
  readonly default: SettingValue;
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly minimum?: number;
}

const KEYS = Object.keys(SETTINGS) as SettingKey[];

/** `tenstorrent.ttXla.<key>` -> key, for our own settings only. */
export function settingKeyOf(query: unknown): SettingKey | undefined {
  if (typeof query !== "string" || !query.startsWith(`${SECTION}.`)) return undefined;
  const key = query.slice(SECTION.length + 1);
  return Object.hasOwn(SETTINGS, key) ? (key as SettingKey) : undefined;
}
const schemaOf = (key: SettingKey): SettingSchema => SETTINGS[key];

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

/** A value of the declared type that meets the declared constraints, else the default. */
export function settingValue(schema: SettingSchema, raw: unknown): SettingValue {
  if (typeof raw !== typeof schema.default) return schema.default;
  if (typeof raw === "string") {
    const text = raw.trim();
    const fits =
      text !== "" &&
      (schema.enum === undefined || schema.enum.includes(text)) &&
      (schema.pattern === undefined || new RegExp(schema.pattern, "u").test(text));
    return fits ? text : schema.default;
  }
  if (typeof raw === "number") {
    const fits = Number.isFinite(raw) && (schema.minimum === undefined || raw >= schema.minimum);
    return fits ? raw : schema.default;
  }
  return raw as boolean;
}

/** Builds the typed settings from `inspect(key)` answers; wrong types or shapes fall back to defaults. */
export function readSettings(inspect: (key: SettingKey) => Inspected | undefined, trusted: boolean): TtXlaSettings {
  return Object.fromEntries(
    KEYS.map((key) => [key, settingValue(schemaOf(key), effective(inspect(key), trusted))]),
  ) as TtXlaSettings;
}

/**
 * Params for any request from the settings that fill its fields ("" and 0 mean "not set", so a
 * local model folder wins over the hub name only when given), then the lesson's checked
 * arguments on top. The backend validates the result like any other params.
 */
export function paramsFor<M extends RequestMethod>(method: M, s: TtXlaSettings, args: CommandArgs = {}): ParamsOf<M> {
  const sources: Readonly<Record<string, readonly SettingKey[]>> = PARAMS_FROM_SETTINGS[method];
  const params: Record<string, SettingValue> = {};
  for (const [field, keys] of Object.entries(sources)) {
    const value = keys.map((key) => s[key]).find((v) => v !== "" && v !== 0);
    if (value !== undefined) params[field] = value;
  }
  return { ...params, ...args } as ParamsOf<M>;
}

export function statusParams(s: TtXlaSettings): ParamsOf<typeof METHOD.status> {
  return paramsFor(METHOD.status, s);
}
