// The small typed message protocol between the lesson webview and the extension host. Both
// sides import these types; the host still validates everything it receives (`parseFromWebview`).
import type { Event, RunStatus } from "../backend/protocol";
import type { CellsToWebview } from "./cellMessages";

export interface StepEvent {
  stepId: string;
  runId: string;
  /** undefined: a new run started on this step (clear the panel). */
  event?: Event;
}

/** A step's last finished run, kept across reloads (lesson/kept.ts): what draws its outcome. */
export interface KeptRun {
  stepId: string;
  /** The step's command: a renumbered lesson drops results kept for another button. */
  command: string;
  runId: string;
  status: RunStatus;
  /** Its result, error and end events (never the log). */
  events: Event[];
  /** When the run ended (epoch ms). */
  endedAt: number;
}

export type ToWebview =
  | {
      type: "init";
      done: string[];
      allowed: string[];
      runs: { stepId: string; runId: string; status: RunStatus; events: Event[] }[];
      /** Steps without a run in this window: their last result from before (the reload). */
      kept: KeptRun[];
    }
  | { type: "events"; items: StepEvent[] }
  /** The done keys (lesson/done.ts): per step, and per command for palette runs. */
  | { type: "done"; commands: string[] }
  /** The code cells' messages (shared/cellMessages.ts). */
  | CellsToWebview;

export type FromWebview =
  | { type: "ready" }
  | { type: "run"; stepId: string; command: string; args?: unknown }
  | { type: "command"; command: string; args?: unknown }
  | { type: "cancel"; runId: string };

/** Host-side check of a message from the webview; anything else is dropped. */
export function parseFromWebview(raw: unknown): FromWebview | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  const m = raw as Record<string, unknown>;
  const isId = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200;
  switch (m.type) {
    case "ready":
      return { type: "ready" };
    case "run":
      return isId(m.stepId) && isId(m.command)
        ? { type: "run", stepId: m.stepId, command: m.command, args: m.args }
        : undefined;
    case "command":
      return isId(m.command) ? { type: "command", command: m.command, args: m.args } : undefined;
    case "cancel":
      return isId(m.runId) ? { type: "cancel", runId: m.runId } : undefined;
    default:
      return undefined;
  }
}
