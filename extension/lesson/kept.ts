// The last result of each lesson step, kept in globalState per lesson and per venv, so a window
// reload (or a restart) shows what each step last drew (the device table, the top-k bars, the
// mesh grid, the loss curve), marked with when it ran. Only what draws the outcome is kept (the
// result, the error, the end), never the log, so an entry stays small. A step's result belongs
// to the venv it ran on: after `venvPath` changes, that venv's own results (or none) show.
// The memento is passed in, as for the cells (cells/store.ts), so this is unit-tested without
// VS Code.
import type { Event, RunStatus } from "../backend/protocol";
import type { MementoLike } from "../cells/store";
import type { KeptRun } from "../shared/messages";
import { PerVenv } from "./perVenv";

export type { KeptRun };

/** Entries larger than this (JSON characters) are not kept: a whole-lesson report, say. */
export const MAX_KEPT_CHARS = 200_000;

export const keptKey = (lessonId: string): string => `tenstorrent.steps.${lessonId}`;

/** The events that draw a finished run's outcome. */
const DRAWS = new Set<Event["kind"]>(["result", "error", "end"]);

/** A finished run as it is kept, or undefined while it runs (or when it is too big to keep). */
export function keepable(
  stepId: string,
  run: { id: string; command: string; status: RunStatus; startedAt: number; events: readonly Event[] },
): KeptRun | undefined {
  const end = run.events.find((e) => e.kind === "end");
  if (run.status === "running" || end?.kind !== "end") return undefined;
  const kept: KeptRun = {
    stepId,
    command: run.command,
    runId: run.id,
    status: run.status,
    events: run.events.filter((e) => DRAWS.has(e.kind)),
    endedAt: Math.round(run.startedAt + end.durationS * 1000),
  };
  return JSON.stringify(kept).length <= MAX_KEPT_CHARS ? kept : undefined;
}

function isKept(v: unknown): v is KeptRun {
  if (!v || typeof v !== "object") return false;
  const k = v as Record<string, unknown>;
  return (
    typeof k.stepId === "string" &&
    typeof k.command === "string" &&
    typeof k.runId === "string" &&
    typeof k.status === "string" &&
    typeof k.endedAt === "number" &&
    Array.isArray(k.events)
  );
}

/** A stored step map, with anything that no longer reads left out. */
function readSteps(raw: unknown): Record<string, KeptRun> | undefined {
  if (!raw || typeof raw !== "object") return undefined;
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => isKept(v))) as Record<string, KeptRun>;
}

/** One lesson's kept runs, per venv, one per step. */
export class KeptResults {
  private readonly store: PerVenv<Record<string, KeptRun>>;

  constructor(memento: MementoLike, lessonId: string, onError?: (err: unknown) => void) {
    this.store = new PerVenv(memento, keptKey(lessonId), readSteps, onError);
  }

  list(venv: string): KeptRun[] {
    return Object.values(this.store.get(venv) ?? {});
  }

  /** Keeps `run` as its step's last result on `venv` (a run too big to keep drops the old one). */
  keep(venv: string, stepId: string, run: Parameters<typeof keepable>[1]): void {
    if (run.status === "running") return;
    const others = Object.entries(this.store.get(venv) ?? {}).filter(([id]) => id !== stepId);
    const kept = keepable(stepId, run);
    void this.store.set(venv, Object.fromEntries(kept ? [...others, [stepId, kept]] : others));
  }
}
