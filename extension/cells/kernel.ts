// A lesson's kernel through the backend: `tenstorrent/runCell` is a run like the others (the
// tracker follows its `cell-output` events and its end), the kernel requests are plain calls.
// Outputs are the protocol's own nbformat objects, passed on as they come. No `vscode` import.
import type { ErrorInfo, Event, ExportNotebookResult } from "../backend/protocol";
import { request, type Connection } from "../backend/requests";
import { newRunId, type RunTracker } from "../runs";
import { paramsFor, type TtXlaSettings } from "../settings";
import type { CellRunOutcome, LessonKernel } from "./controller";
import type { KernelState } from "../shared/cellMessages";
import type { CellOutput, CellSnapshot, ErrorOutput, OutputOrClear } from "../shared/cellModel";
import { COMMAND, METHOD } from "../backend/routes.generated";

/**
 * A run that could not start (no venv, the kernel would not start), as the cell shows it: the
 * message, its fixes as text, and its actions as buttons (the Test step's same error has them).
 */
export function errorOutput(error: ErrorInfo): ErrorOutput {
  const fixes = error.fixes ?? [];
  const out: ErrorOutput = {
    output_type: "error",
    ename: "Error",
    evalue: error.message,
    traceback: [error.message, ...fixes.map((f) => `  - ${f}`)],
  };
  return error.actions?.length ? { ...out, actions: error.actions } : out;
}

/** An output as the notebook export takes it: nbformat's fields only (an error's buttons stay here). */
export function exported(o: CellOutput): CellOutput {
  if (o.output_type !== "error") return o;
  return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
}

export interface BackendKernelDeps {
  lessonId: string;
  tracker: RunTracker;
  connection: () => Connection | undefined;
  settings: () => TtXlaSettings;
}

/** A failed check, shown in the cell under its outputs: what did not hold, then the hint. */
export function checkFailure(failures: readonly string[], hint?: string | null): OutputOrClear {
  const lines = ["Check failed:", ...failures.map((f) => `  - ${f}`), ...(hint ? [`Hint: ${hint}`] : [])];
  return { output_type: "stream", name: "stderr", text: `${lines.join("\n")}\n` };
}

export class BackendKernel implements LessonKernel {
  constructor(private readonly deps: BackendKernelDeps) {}

  async run(cell: number, code: string, onOutput: (o: OutputOrClear) => void): Promise<CellRunOutcome> {
    const { lessonId, tracker } = this.deps;
    const runId = newRunId(COMMAND.RUN_CELL);
    const params = { ...paramsFor(METHOD.runCell, this.deps.settings(), { lessonId, cell, code }), runId };
    // Subscribed before the run starts: its events are matched by the id chosen here.
    const sub = tracker.onDidChange((r, e) => {
      if (r.id === runId && e) this.event(e, onOutput);
    });
    try {
      const run = await tracker.start(COMMAND.RUN_CELL, METHOD.runCell, params).done;
      // A kernel that died or timed out ends the run failed, its CellResult in a result event.
      const fromEvents = run.events.flatMap((e) => (e.kind === "result" ? [e.result] : []));
      const result = run.outcome?.result ?? fromEvents.at(-1);
      if (result?.kind === "cell") {
        const failedCheck = result.status === "succeeded" && result.check.status === "failed";
        if (failedCheck) onOutput(checkFailure(result.check.failures, result.check.hint));
        return {
          // The tick means the lesson's check passed: a cell that ran but failed it failed.
          status: failedCheck ? "failed" : result.status,
          executionCount: result.executionCount,
          durationS: result.durationS,
          dropped: { lines: result.droppedLines, chars: result.droppedChars },
          check: result.check.status,
        };
      }
      const end = [...run.events].reverse().find((e) => e.kind === "end");
      const durationS = end?.kind === "end" ? end.durationS : 0;
      return { status: run.status === "cancelled" ? "interrupted" : "failed", executionCount: null, durationS };
    } finally {
      sub.dispose();
    }
  }

  private event(e: Event, onOutput: (o: OutputOrClear) => void): void {
    if (e.kind === "cell-output") onOutput(e.output);
    else if (e.kind === "error") onOutput(errorOutput(e.error));
  }

  private conn(): Connection {
    const c = this.deps.connection();
    if (!c) throw new Error("The Tenstorrent backend is not running.");
    return c;
  }

  async interrupt(): Promise<void> {
    // A second interrupt while the cell still runs makes the backend kill the kernel.
    await request(this.conn(), METHOD.interruptKernel, this.kernelParams(METHOD.interruptKernel));
  }

  async restart(): Promise<void> {
    await request(this.conn(), METHOD.restartKernel, this.kernelParams(METHOD.restartKernel));
  }

  async start(): Promise<KernelState> {
    const status = await request(this.conn(), METHOD.startKernel, this.kernelParams(METHOD.startKernel));
    return status.state;
  }

  private kernelParams<
    M extends typeof METHOD.interruptKernel | typeof METHOD.restartKernel | typeof METHOD.startKernel,
  >(method: M): ReturnType<typeof paramsFor<M>> {
    return paramsFor(method, this.deps.settings(), { lessonId: this.deps.lessonId });
  }

  async exportNotebook(
    path: string,
    cells: { cell: number; code: string; snapshot: CellSnapshot }[],
  ): Promise<ExportNotebookResult> {
    const params = {
      ...paramsFor(METHOD.exportNotebook, this.deps.settings(), { lessonId: this.deps.lessonId, path }),
      cells: cells.map((c) => ({
        source: c.code,
        outputs: c.snapshot.outputs.map(exported),
        execution_count: c.snapshot.executionCount,
      })),
    };
    return request(this.conn(), METHOD.exportNotebook, params);
  }
}
