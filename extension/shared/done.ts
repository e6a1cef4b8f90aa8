// Which buttons a lesson's stored successes tick: pure, so the host (which stores them) and the
// webview (which draws the ticks) share it.
//
// A tick belongs to one button of one lesson (its lesson id and rendered step id), so "Run the
// doctor again" waits for its own click even after "Check this machine" passed, and a step done
// in one lesson never ticks the button with the same step id in another. A run from the palette
// or sidebar has no step and no lesson: it is stored under its command id and ticks, in whichever
// lesson is shown, the first button of that command that takes no arguments (the same action with
// the same settings, whatever the lesson); buttons with arguments (a 2x4 mesh, 12 more tokens)
// are different runs and wait for their own success. Ticks stored per command by earlier versions
// read the same way. Per-step keys of earlier versions (`command@step`, no lesson) were written
// when tt-xla-jax was (almost always) the lesson, so they read as its ticks, and tick nothing in
// another lesson.

/** A rendered button, as far as ticks care. */
export interface StepRef {
  stepId: string;
  command: string;
  hasArgs: boolean;
}

/** The lesson button a run was started from. */
export interface StepOrigin {
  lessonId: string;
  stepId: string;
}

/** The lesson that per-step keys without a lesson id (earlier versions) belong to. */
export const LEGACY_STEP_LESSON = "tt-xla-jax";

/**
 * The stored key for one button's success: `lesson:command@step`. The command is in it so
 * renumbered steps drop it; lesson ids are kebab-case (frontmatter.ts), so no `:` in them.
 */
export function stepKey(lessonId: string, stepId: string, command: string): string {
  return `${lessonId}:${command}@${stepId}`;
}

/** What a succeeded run ticks: its own lesson step, or (palette, sidebar: no step) its command. */
export function doneKey(run: { command: string; origin?: StepOrigin }): string {
  return run.origin ? stepKey(run.origin.lessonId, run.origin.stepId, run.command) : run.command;
}

/** A stored key's parts; `step` is absent for a per-command key. */
export function parseDoneKey(key: string): { command: string; step?: StepOrigin } {
  const at = key.lastIndexOf("@");
  if (at < 0) return { command: key };
  const head = key.slice(0, at);
  const colon = head.indexOf(":");
  return colon < 0
    ? { command: head, step: { lessonId: LEGACY_STEP_LESSON, stepId: key.slice(at + 1) } }
    : { command: head.slice(colon + 1), step: { lessonId: head.slice(0, colon), stepId: key.slice(at + 1) } };
}

/** The step ids of lesson `lessonId` to show ticked, given the stored keys and its buttons in page order. */
export function tickedSteps(lessonId: string, steps: readonly StepRef[], done: readonly string[]): Set<string> {
  const own = new Set<string>();
  const commands = new Set<string>();
  for (const key of done) {
    const { command, step } = parseDoneKey(key);
    if (!step) commands.add(command);
    else if (step.lessonId === lessonId) own.add(`${command}@${step.stepId}`);
  }
  const ticked = new Set<string>();
  const firstPlain = new Map<string, string>();
  for (const s of steps) {
    if (!s.hasArgs && !firstPlain.has(s.command)) firstPlain.set(s.command, s.stepId);
    if (own.has(`${s.command}@${s.stepId}`)) ticked.add(s.stepId);
  }
  for (const [command, stepId] of firstPlain) if (commands.has(command)) ticked.add(stepId);
  return ticked;
}
