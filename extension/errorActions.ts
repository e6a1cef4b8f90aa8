// The buttons an error notification offers: the error's own fix actions that name a command of
// our table with arguments that pass its checks (anything else would be refused on click), then
// "Show Output". An error without actions keeps the general ways out. No `vscode` import.
import type { ErrorEvent, Event, FixAction } from "./backend/protocol";
import { checkArgs, commandSpec } from "./commands";

export const GENERAL_BUTTONS = ["Open Lesson", "Run Doctor", "Show Output"] as const;

export function lastError(events: readonly Event[]): ErrorEvent | undefined {
  return [...events].reverse().find((e: Event): e is ErrorEvent => e.kind === "error");
}

/** The actions a click could really run. */
export function runnableActions(actions: readonly FixAction[] | undefined): FixAction[] {
  return (actions ?? []).filter((a) => commandSpec(a.command) !== undefined && checkArgs(a.command, a.args).ok);
}

/** The notification's buttons, in order: the error's actions, else the general ones; the log last. */
export function failureButtons(actions: readonly FixAction[]): string[] {
  return actions.length ? [...actions.map((a) => a.label), "Show Output"] : [...GENERAL_BUTTONS];
}
