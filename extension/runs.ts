// The one place that tracks runs: id, status, events, cancel. It talks to any `Connection`
// (vscode-languageclient in the editor, vscode-jsonrpc in the integration tests) through the
// typed `request`, so it has no `vscode` import.
import { CancellationTokenSource } from "vscode-jsonrpc";
import type { EndEvent, ErrorInfo, Event, EventNotification, RunOutcome, RunStatus } from "./backend/protocol";
import { request, type Connection, type ParamsOf } from "./backend/requests";
import { commandSpec, type RunMethod } from "./commands";
import { COMMAND } from "./backend/routes.generated";
import type { StepOrigin } from "./shared/done";

export interface Run {
  readonly id: string;
  readonly command: string;
  readonly method: RunMethod;
  /** Which lesson step started it, if any: the webview streams it under that button. */
  readonly origin?: StepOrigin;
  /** The environment it ran on (lesson/perVenv.ts's venvKey), when the tracker was told. */
  readonly venv?: string;
  status: RunStatus;
  readonly events: Event[];
  outcome?: RunOutcome;
  readonly startedAt: number;
  /** Resolves once the run has its `end` event (real or, if the backend died, made up here). */
  readonly done: Promise<Run>;
}

export type RunListener = (run: Run, event: Event | undefined) => void;

/** JSON-RPC's "request cancelled" code (LSP): the answer to `$/cancelRequest`. */
const REQUEST_CANCELLED = -32800;

interface Entry {
  run: Run;
  nextSeq: number;
  /** Notifications that arrived ahead of a gap in `seq`, held until the gap fills. */
  pending: Map<number, Event>;
  source: CancellationTokenSource;
  finish: (run: Run) => void;
}

/** How the Command Palette lists a command of the table (its category is Tenstorrent). */
function paletteTitle(id: string): string {
  const spec = commandSpec(id);
  if (!spec) throw new Error(`no command ${id} in the table`);
  return `Tenstorrent: ${spec.title}`;
}

/** The command that starts a backend that kept stopping and was not restarted. */
const RESTART_TITLE = paletteTitle(COMMAND.RESTART_BACKEND);

/** Finished runs kept (with their events) for the lesson page to replay; running ones always are. */
export const MAX_FINISHED_RUNS = 20;

let counter = 0;
/** Client-chosen run ids, so events can be matched before the response arrives. */
export function newRunId(command: string): string {
  counter += 1;
  return `${command.replace(/^tenstorrent\./, "")}-${Date.now().toString(36)}-${counter}`;
}

export class RunTracker {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<RunListener>();

  constructor(
    private readonly connection: () => Connection | undefined,
    private readonly maxFinished = MAX_FINISHED_RUNS,
    /** The environment runs use now: each run keeps the one it started on (its results belong to it). */
    private readonly venvNow?: () => string,
  ) {}

  /** Called for every change: a new run (event undefined) and each event in `seq` order. */
  onDidChange(listener: RunListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get runs(): Run[] {
    return [...this.entries.values()].map((e) => e.run);
  }

  running(): Run[] {
    return this.runs.filter((r) => r.status === "running");
  }

  /** Starts a run with `method`'s own params; their `runId` (or a new one) names the run. */
  start<M extends RunMethod>(command: string, method: M, params: ParamsOf<M>, origin?: StepOrigin): Run {
    const id = params.runId ?? newRunId(command);
    let finish: (run: Run) => void = () => undefined;
    const done = new Promise<Run>((resolve) => (finish = resolve));
    const run: Run = {
      id,
      command,
      method,
      status: "running",
      events: [],
      startedAt: Date.now(),
      done,
      ...(origin === undefined ? {} : { origin }),
      ...(this.venvNow ? { venv: this.venvNow() } : {}),
    };
    const entry: Entry = { run, nextSeq: 0, pending: new Map(), source: new CancellationTokenSource(), finish };
    this.entries.set(id, entry);
    this.emit(run, undefined);
    const conn = this.connection();
    if (!conn) {
      this.fail(entry, {
        code: "internal",
        message: "The Tenstorrent backend is not running.",
        fixes: [
          "Open the 'Tenstorrent' output for the reason",
          "Set tenstorrent.ttXla.pythonPath to a Python 3.10+ interpreter",
        ],
      });
      return run;
    }
    request(conn, method, { ...params, runId: id }, entry.source.token)
      .then((outcome) => this.settle(entry, outcome))
      .catch((err: unknown) => this.rejected(entry, err));
    return run;
  }

  /** Feeds one `tenstorrent/event` notification; events of unknown runs are ignored. */
  handleNotification(note: EventNotification): void {
    const entry = this.entries.get(note.runId);
    if (!entry || note.seq < entry.nextSeq) return;
    entry.pending.set(note.seq, note.event);
    let next = entry.pending.get(entry.nextSeq);
    while (next !== undefined) {
      entry.pending.delete(entry.nextSeq);
      entry.nextSeq += 1;
      this.apply(entry, next);
      next = entry.pending.get(entry.nextSeq);
    }
  }

  cancel(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry || entry.run.status !== "running") return false;
    entry.source.cancel();
    return true;
  }

  /**
   * Marks every running run failed: the backend went away and will not answer them. The fixes
   * depend on `restarting`: whether it comes back by itself or stays stopped (restarts spent).
   */
  backendLost(reason: string, restarting: boolean): void {
    const fixes = restarting
      ? ["Run the step again (the backend restarts by itself)", "Open the 'Tenstorrent' output for details"]
      : [
          `It keeps stopping, so it was not restarted: run "${RESTART_TITLE}" from the Command Palette, then run the step again`,
          "Open the 'Tenstorrent' output for why it stopped",
        ];
    for (const entry of this.entries.values()) {
      if (entry.run.status === "running") {
        this.fail(entry, {
          code: "internal",
          message: `The Tenstorrent backend stopped during this run: ${reason}`,
          fixes,
        });
      }
    }
  }

  private apply(entry: Entry, event: Event): void {
    const run = entry.run;
    if (run.status !== "running") return; // already ended (e.g. made-up end after a crash)
    run.events.push(event);
    if (event.kind === "end") this.end(entry, event);
    else this.emit(run, event);
  }

  private end(entry: Entry, event: EndEvent): void {
    entry.run.status = event.status;
    entry.pending.clear();
    this.emit(entry.run, event);
    entry.source.dispose();
    entry.finish(entry.run);
    // Move it to the end: among finished runs, Map order becomes the order they finished in.
    this.entries.delete(entry.run.id);
    this.entries.set(entry.run.id, entry);
    this.forgetOldest();
  }

  /** Drops the earliest-finished runs beyond `maxFinished`, so a long session stays bounded. */
  private forgetOldest(): void {
    let extra = this.runs.filter((r) => r.status !== "running").length - this.maxFinished;
    for (const [id, entry] of this.entries) {
      if (extra <= 0) break;
      if (entry.run.status === "running") continue;
      this.entries.delete(id);
      extra -= 1;
    }
  }

  private settle(entry: Entry, outcome: RunOutcome): void {
    entry.run.outcome = outcome;
    if (entry.run.status !== "running") return;
    // The server sends `end` before answering; if some notification went missing, close the
    // run from the outcome instead of leaving it spinning.
    if (outcome.error) this.push(entry, { kind: "error", error: outcome.error });
    if (outcome.result) this.push(entry, { kind: "result", result: outcome.result });
    this.push(entry, {
      kind: "end",
      status: outcome.status,
      exitCode: outcome.exitCode,
      durationS: outcome.durationS,
    });
  }

  private rejected(entry: Entry, err: unknown): void {
    if (entry.run.status !== "running") return;
    const code = (err as { code?: unknown }).code;
    if (code === REQUEST_CANCELLED || entry.source.token.isCancellationRequested) {
      // The backend's own `end` (status cancelled) normally came first; this covers a lost one.
      this.push(entry, { kind: "end", status: "cancelled", exitCode: null, durationS: this.elapsed(entry) });
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    const problems = (err as { data?: { problems?: { field: string; message: string }[] } }).data?.problems;
    this.fail(entry, {
      code: problems ? "bad-input" : "internal",
      message,
      fixes: problems?.map((p) => `${p.field}: ${p.message}`) ?? ["Open the 'Tenstorrent' output for details"],
    });
  }

  private fail(entry: Entry, error: ErrorInfo): void {
    this.push(entry, { kind: "error", error });
    this.push(entry, { kind: "end", status: "failed", exitCode: null, durationS: this.elapsed(entry) });
  }

  /** Adds a locally made event (not from the server) in order. */
  private push(entry: Entry, event: Event): void {
    this.apply(entry, event);
  }

  private elapsed(entry: Entry): number {
    return (Date.now() - entry.run.startedAt) / 1000;
  }

  private emit(run: Run, event: Event | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(run, event);
      } catch {
        // A broken view must not stop the other listeners or the run itself.
      }
    }
  }
}
