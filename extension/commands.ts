// The one table of commands. package.json's `contributes.commands`, the palette handlers and the
// webview allow-list all come from here, so a command the lesson may run is one we registered.
// The run commands (id, title, icon, method, lesson arguments and their checks) are generated
// from the backend's routes; only the UI commands below are written here. No `vscode` import: the
// table and the argument checks are unit-tested as plain data.
import type { RequestMethod } from "./backend/requests";
import { COMMAND, RUN_COMMANDS } from "./backend/routes.generated";
import type { CommandArgs } from "./commandArgs";
import { settingKeyOf } from "./settings";

export type { CommandArgs };

/** Backend methods that start a run (every request but status), from the generated table. */
export type RunMethod = Extract<RequestMethod, (typeof RUN_COMMANDS)[number]["method"]>;

export interface CommandSpec {
  readonly id: string;
  readonly title: string;
  /** Codicon for menus and buttons. */
  readonly icon: string;
  /** A run command calls this backend method; others only change the UI. */
  readonly method?: RunMethod;
  /** May the lesson webview run it? Only these become buttons. */
  readonly fromWebview: boolean;
  /** Argument name -> check; unknown names are refused. */
  readonly args?: Readonly<Record<string, (value: unknown) => boolean>>;
}

/** The JSON Schema keywords the backend exports for a lesson argument (schema.py's ARG_KEYWORDS). */
export interface ArgSchema {
  readonly type: "string" | "integer" | "number" | "boolean";
  readonly enum?: readonly (string | number)[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
}

/** Does `v` satisfy the params field's own constraints, as pydantic would check them? */
export function matchesSchema(schema: ArgSchema, v: unknown): boolean {
  switch (schema.type) {
    case "boolean":
      return typeof v === "boolean";
    case "string":
      return (
        typeof v === "string" &&
        (schema.minLength === undefined || v.length >= schema.minLength) &&
        (schema.maxLength === undefined || v.length <= schema.maxLength) &&
        (schema.pattern === undefined || new RegExp(schema.pattern, "u").test(v)) &&
        (schema.enum === undefined || schema.enum.includes(v))
      );
    case "integer":
    case "number":
      return (
        typeof v === "number" &&
        (schema.type === "number" ? Number.isFinite(v) : Number.isInteger(v)) &&
        (schema.minimum === undefined || v >= schema.minimum) &&
        (schema.maximum === undefined || v <= schema.maximum) &&
        (schema.enum === undefined || schema.enum.includes(v))
      );
  }
}

function runCommand(c: (typeof RUN_COMMANDS)[number]): CommandSpec {
  const schemas: Readonly<Record<string, ArgSchema>> = c.args;
  const args = Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [name, (v: unknown) => matchesSchema(schema, v)]),
  );
  return { id: c.id, title: c.title, icon: c.icon, method: c.method, fromWebview: true, args };
}

/** A lesson id as the backend checks it (the whole-lesson run's `lessonId` argument). */
export function isLessonId(v: unknown): v is string {
  const runLesson = RUN_COMMANDS.find((c) => c.id === COMMAND.RUN_LESSON);
  const schema = (runLesson?.args as Readonly<Record<string, ArgSchema>> | undefined)?.lessonId;
  return schema !== undefined && matchesSchema(schema, v);
}

export const COMMANDS: readonly CommandSpec[] = [
  // No argument: the TT-XLA lesson; the Lessons view passes `{lessonId}` for the one clicked.
  {
    id: COMMAND.OPEN_LESSON,
    title: "Open the TT-XLA JAX Lesson",
    icon: "book",
    fromWebview: false,
    args: { lessonId: isLessonId },
  },
  ...RUN_COMMANDS.map(runCommand),
  { id: COMMAND.CANCEL_RUN, title: "Cancel the Running Step", icon: "debug-stop", fromWebview: false },
  { id: COMMAND.REFRESH_STATUS, title: "Refresh Status", icon: "refresh", fromWebview: true },
  { id: COMMAND.SHOW_OUTPUT, title: "Show the Backend Log", icon: "output", fromWebview: true },
  // What the gave-up notice's Restart Backend button does. Not from a lesson: a page must not be
  // able to stop the backend (and every run in flight) with a click.
  { id: COMMAND.RESTART_BACKEND, title: "Restart the Backend", icon: "debug-restart", fromWebview: false },
  // `tt-smi -r` after a modal confirmation (telemetry/reset.ts); never from a lesson page.
  { id: COMMAND.RESET_CHIPS, title: "Reset Chips (tt-smi -r)", icon: "sync", fromWebview: false },
  // The install result's and the doctor's SFPI fix: asks, then opens a terminal (sfpi/install.ts).
  {
    id: COMMAND.INSTALL_SFPI,
    title: "Install the SFPI Compiler (tt-forge-install)",
    icon: "terminal",
    fromWebview: true,
  },
  // An error's fix buttons (settingsWrite.ts): each asks first (a picker, an input box) or only
  // opens the Settings editor on one of our keys. The four that ask are in the palette too;
  // Open the TT-XLA Settings needs its key, so package.json hides it there.
  {
    id: COMMAND.CHOOSE_WHEELHOUSE,
    title: "Choose a Wheelhouse Folder…",
    icon: "folder-opened",
    fromWebview: true,
  },
  { id: COMMAND.SET_INDEX_URL, title: "Set the Package Index URL…", icon: "link", fromWebview: true },
  { id: COMMAND.SET_PYTHON_PATH, title: "Set the Python Path…", icon: "file-code", fromWebview: true },
  {
    id: COMMAND.CHOOSE_MODEL_FOLDER,
    title: "Choose a GPT-2 Model Folder…",
    icon: "folder-library",
    fromWebview: true,
  },
  {
    id: COMMAND.OPEN_SETTINGS,
    title: "Open the TT-XLA Settings",
    icon: "settings-gear",
    fromWebview: true,
    args: { query: (v: unknown) => settingKeyOf(v) !== undefined },
  },
  // Points the Python extension at the venv (pythonEnv.ts). Not from a lesson: it changes the
  // person's own workspace setting.
  {
    id: COMMAND.USE_PYTHON_ENVIRONMENT,
    title: "Use the TT-XLA Environment for Python in This Workspace",
    icon: "symbol-namespace",
    fromWebview: false,
  },
  // The last whole-lesson run's report into a folder the person picks (lessons/save.ts).
  { id: COMMAND.SAVE_REPORT, title: "Save a Report…", icon: "save", fromWebview: false },
];

const BY_ID = new Map(COMMANDS.map((c) => [c.id, c]));

export function commandSpec(id: string): CommandSpec | undefined {
  return BY_ID.get(id);
}

/** The webview allow-list, derived from the table (never written out separately). */
export const WEBVIEW_ALLOWED: ReadonlySet<string> = new Set(COMMANDS.filter((c) => c.fromWebview).map((c) => c.id));

export type ArgsCheck = { ok: true; args: CommandArgs } | { ok: false; reason: string };

/**
 * Checks arguments for `id` as the webview or a lesson link gives them: a plain object whose
 * every key the command declares and whose every value passes that key's check.
 */
export function checkArgs(id: string, raw: unknown): ArgsCheck {
  const spec = BY_ID.get(id);
  if (!spec) return { ok: false, reason: `unknown command ${id}` };
  if (raw === undefined || raw === null) return { ok: true, args: {} };
  if (typeof raw !== "object" || Array.isArray(raw)) {
    return { ok: false, reason: "arguments must be a JSON object" };
  }
  const args: CommandArgs = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const check = spec.args?.[key];
    if (!check) return { ok: false, reason: `${id} takes no argument "${key}"` };
    if (!check(value)) return { ok: false, reason: `bad value for "${key}"` };
    args[key] = value as string | number | boolean;
  }
  return { ok: true, args };
}

/**
 * Arguments of a command run by id (palette, menus, a doctor fix with no lesson step). A status
 * row's context menu passes the row itself (it has a `contextValue`), not arguments: none then.
 */
export function invokedArgs(id: string, raw: unknown): ArgsCheck {
  if (raw !== null && typeof raw === "object" && "contextValue" in raw) return { ok: true, args: {} };
  return checkArgs(id, raw);
}

/** May the webview run `id` with `raw` arguments? Used at render time and again on every click. */
export function allowFromWebview(id: string, raw: unknown): ArgsCheck {
  if (!WEBVIEW_ALLOWED.has(id)) return { ok: false, reason: `${id} may not run from a lesson` };
  return checkArgs(id, raw);
}

/**
 * Parses a `command:` link target (`command:ID` or `command:ID?<url-encoded JSON>`, VS Code's own
 * form). VS Code passes an array as positional arguments; we accept `[{...}]` or `{...}`.
 */
export function parseCommandUri(href: string): { id: string; args: unknown } | undefined {
  const m = /^command:([A-Za-z0-9_.-]+)(?:\?(.*))?$/s.exec(href.trim());
  if (!m) return undefined;
  const id = m[1] ?? "";
  if (m[2] === undefined || m[2] === "") return { id, args: undefined };
  try {
    let args: unknown = JSON.parse(decodeURIComponent(m[2]));
    if (Array.isArray(args)) args = args.length === 1 ? args[0] : { bad: args };
    return { id, args };
  } catch {
    return { id, args: { unparsable: m[2] } };
  }
}
