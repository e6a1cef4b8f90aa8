// The Getting Started walkthrough ticks a step when our command SUCCEEDS, not when its button is
// clicked: each step's `completionEvents` is `onContext:tenstorrent.done.<step>`, and this module
// sets that context key after a run of the step's command ends "succeeded" (from the palette, the
// sidebar, the walkthrough's button or the lesson). Keys for runs that succeeded in earlier
// sessions are set again at start, from the lesson's stored ticks. No `vscode` import.
import type { Run, RunListener } from "./runs";
import { COMMAND } from "./backend/routes.generated";

/** Run command -> the context key its success sets (package.json's steps name these keys). */
export const DONE_CONTEXT: Readonly<Record<string, string>> = {
  [COMMAND.RUN_DOCTOR]: "tenstorrent.done.doctor",
  [COMMAND.INSTALL_TT_XLA]: "tenstorrent.done.install",
  [COMMAND.TEST_TT_XLA_INSTALL]: "tenstorrent.done.test",
  [COMMAND.RUN_TT_XLA_DEMO]: "tenstorrent.done.demo",
  [COMMAND.RUN_MESH_EXAMPLE]: "tenstorrent.done.mesh",
};

/** The context keys to set for the lesson's stored done keys (`command` or `command@step`). */
export function doneContextKeys(done: readonly string[]): string[] {
  const keys = done.flatMap((d) => {
    const key = DONE_CONTEXT[d.split("@")[0] ?? ""];
    return key ? [key] : [];
  });
  return [...new Set(keys)];
}

export interface WalkthroughHost {
  onDidChange(listener: RunListener): { dispose(): void };
}

/** `setContext`: `(key, value) => vscode.commands.executeCommand("setContext", key, value)`. */
export type SetContext = (key: string, value: boolean) => unknown;

export function registerWalkthrough(
  tracker: WalkthroughHost,
  doneBefore: readonly string[],
  setContext: SetContext,
): { dispose(): void } {
  for (const key of doneContextKeys(doneBefore)) setContext(key, true);
  return tracker.onDidChange((run: Run, event) => {
    if (event?.kind !== "end" || event.status !== "succeeded") return;
    const key = DONE_CONTEXT[run.command];
    if (key) setContext(key, true);
  });
}
