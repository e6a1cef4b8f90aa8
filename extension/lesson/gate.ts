// Decides what a message from the lesson page may do. The page is never trusted: a run must
// name a step this page was rendered with, for that step's command, with arguments that pass
// the command's checks; a plain command must be on the allow-list, its arguments checked the
// same way (a doctor fix may carry some). Pure, so it is unit-tested.
import { allowFromWebview, type CommandArgs } from "../commands";
import { parseFromWebview } from "../shared/messages";
import type { RenderedLesson } from "./render";

export type Action =
  | { kind: "ready" }
  | { kind: "run"; command: string; args: CommandArgs; stepId: string }
  | { kind: "command"; command: string; args: CommandArgs }
  | { kind: "cancel"; runId: string }
  | { kind: "refuse"; reason: string };

export function gate(raw: unknown, steps: RenderedLesson["steps"]): Action {
  const msg = parseFromWebview(raw);
  if (!msg) return { kind: "refuse", reason: "malformed message" };
  switch (msg.type) {
    case "ready":
      return { kind: "ready" };
    case "cancel":
      return { kind: "cancel", runId: msg.runId };
    case "command": {
      const check = allowFromWebview(msg.command, msg.args);
      return check.ok
        ? { kind: "command", command: msg.command, args: check.args }
        : { kind: "refuse", reason: check.reason };
    }
    case "run": {
      const step = steps.find((s) => s.stepId === msg.stepId && s.command === msg.command);
      if (!step) return { kind: "refuse", reason: `${msg.command} is not a step of this lesson` };
      const check = allowFromWebview(msg.command, msg.args);
      if (!check.ok) return { kind: "refuse", reason: check.reason };
      return { kind: "run", command: msg.command, args: check.args, stepId: step.stepId };
    }
  }
}
