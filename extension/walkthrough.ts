// The Getting Started walkthrough ticks a step when our command SUCCEEDS, not when its button is
// clicked, whatever the order: step run before the walkthrough opens, after, or in an earlier
// session. Why not just the `onContext:tenstorrent.done.<step>` completion events: VS Code's
// walkthroughs service is created lazily (when the Welcome page first opens), and when it
// registers a step whose context key is ALREADY true it only records the event as seen, without
// ticking, so a key set before the page opens never ticks (gettingStartedService.ts,
// registerDoneListeners, VS Code 1.100). So after each success this module both sets the key (a
// page already open ticks at once) and runs `welcome.markStepComplete` with the step's id, which
// creates the service if needed and stores the tick in VS Code's own walkthrough progress.
// Steps that succeeded in earlier sessions are marked again at start, from the lesson's stored
// ticks. Those ticks belong to the venv they were earned on (lesson/done.ts), so at start and
// whenever the venv setting changes every step is set from the venv in use now: a step that never
// succeeded there has its key cleared and its stored tick taken back (`welcome.markStepIncomplete`),
// and pointed back at the old venv the ticks return. No `vscode` import.
import type { Run, RunListener } from "./runs";
import { COMMAND } from "./backend/routes.generated";
import { parseDoneKey } from "./shared/done";
import { countsAsDone } from "./shared/verdict";

/** Run command -> the context key its success sets (package.json's steps name these keys). */
export const DONE_CONTEXT: Readonly<Record<string, string>> = {
  [COMMAND.RUN_DOCTOR]: "tenstorrent.done.doctor",
  [COMMAND.INSTALL_TT_XLA]: "tenstorrent.done.install",
  [COMMAND.TEST_TT_XLA_INSTALL]: "tenstorrent.done.test",
  [COMMAND.RUN_TT_XLA_DEMO]: "tenstorrent.done.demo",
  [COMMAND.RUN_MESH_EXAMPLE]: "tenstorrent.done.mesh",
};

/** The walkthrough's id in package.json. */
export const WALKTHROUGH_ID = "gettingStarted";

/** VS Code's own command that stores a step as done (it takes the step's full id). */
export const MARK_STEP_COMPLETE = "welcome.markStepComplete";
/** Its opposite: takes a stored tick back. */
export const MARK_STEP_INCOMPLETE = "welcome.markStepIncomplete";

/** The step of the walkthrough a key ticks: `tenstorrent.done.install` -> `install`. */
function stepOf(key: string): string {
  return key.slice(key.lastIndexOf(".") + 1);
}

/** VS Code's id of a walkthrough step: `<publisher.name>#<walkthrough>#<step>`. */
export function walkthroughStepId(extensionId: string, key: string): string {
  return `${extensionId}#${WALKTHROUGH_ID}#${stepOf(key)}`;
}

/** The context keys to set for the lesson's stored done keys (`command` or `command@step`). */
export function doneContextKeys(done: readonly string[]): string[] {
  const keys = done.flatMap((d) => {
    const key = DONE_CONTEXT[parseDoneKey(d).command];
    return key ? [key] : [];
  });
  return [...new Set(keys)];
}

export interface WalkthroughHost {
  onDidChange(listener: RunListener): { dispose(): void };
}

/**
 * How a tick reaches VS Code: `setContext(key, value)` sets the context key, `markStep(stepId,
 * done)` runs `welcome.markStepComplete` (or, not done, `welcome.markStepIncomplete`); both may
 * reject (a workbench without walkthroughs), which is ignored: a tick is a hint, never a reason
 * for the run to fail.
 */
export interface WalkthroughTicks {
  extensionId: string;
  setContext: (key: string, value: boolean) => PromiseLike<unknown> | undefined;
  markStep: (stepId: string, done: boolean) => PromiseLike<unknown> | undefined;
}

function tick(ticks: WalkthroughTicks, key: string, done = true): void {
  const quiet = (p: PromiseLike<unknown> | undefined): void => void p?.then(undefined, () => undefined);
  quiet(ticks.setContext(key, done));
  quiet(ticks.markStep(walkthroughStepId(ticks.extensionId, key), done));
}

/**
 * `doneNow`: the lesson's stored done keys for the venv in use now. `sync()` sets every step from
 * them again: call it when the venv setting changes.
 */
export function registerWalkthrough(
  tracker: WalkthroughHost,
  doneNow: () => readonly string[],
  ticks: WalkthroughTicks,
): { dispose(): void; sync(): void } {
  const sync = (): void => {
    const done = new Set(doneContextKeys(doneNow()));
    for (const key of Object.values(DONE_CONTEXT)) tick(ticks, key, done.has(key));
  };
  sync();
  const sub = tracker.onDidChange((run: Run, event) => {
    // A doctor run that found problems "succeeded" as a process, but ticks nothing.
    if (event?.kind !== "end" || !countsAsDone(run)) return;
    const key = DONE_CONTEXT[run.command];
    if (key) tick(ticks, key);
  });
  return { dispose: () => sub.dispose(), sync };
}
