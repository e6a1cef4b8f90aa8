// Which buttons a lesson's stored successes tick: pure, so the host (which stores them) and the
// webview (which draws the ticks) share it.
//
// A tick belongs to one button (its rendered step id), so "Run the doctor again" waits for its
// own click even after "Check this machine" passed. A run from the palette or sidebar has no
// step: it is stored under its command id and ticks only the first button of that command that
// takes no arguments (the same action with the same settings); buttons with arguments (a 2x4
// mesh, 12 more tokens) are different runs and wait for their own success. Ticks stored per
// command by earlier versions read the same way.

/** A rendered button, as far as ticks care. */
export interface StepRef {
  stepId: string;
  command: string;
  hasArgs: boolean;
}

/** The stored key for one button's success; the command is in it so renumbered steps drop it. */
export function stepKey(stepId: string, command: string): string {
  return `${command}@${stepId}`;
}

/** What a succeeded run ticks: its own step, or (palette, sidebar: no step) its command. */
export function doneKey(run: { command: string; origin?: string }): string {
  return run.origin ? stepKey(run.origin, run.command) : run.command;
}

/** The step ids to show ticked, given the stored keys and the page's buttons in page order. */
export function tickedSteps(steps: readonly StepRef[], done: readonly string[]): Set<string> {
  const keys = new Set(done);
  const ticked = new Set<string>();
  const firstPlain = new Map<string, string>();
  for (const s of steps) {
    if (!s.hasArgs && !firstPlain.has(s.command)) firstPlain.set(s.command, s.stepId);
    if (keys.has(stepKey(s.stepId, s.command))) ticked.add(s.stepId);
  }
  for (const [command, stepId] of firstPlain) if (keys.has(command)) ticked.add(stepId);
  return ticked;
}
