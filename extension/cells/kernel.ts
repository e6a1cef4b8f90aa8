// A lesson's kernel through the backend: `tenstorrent/runCell` is a run like the others (the
// tracker follows its `cell-output` events and its end), the kernel requests are plain calls.
// Also maps the protocol's camelCase outputs to nbformat's shapes (shared/cellModel.ts) and back for
// the notebook export. No `vscode` import.
import type { CellResult, ErrorInfo, Event, ExportNotebookResult, Output } from "../backend/protocol";
import { request, type Connection } from "../backend/requests";
import { newRunId, type RunTracker } from "../runs";
import { paramsFor, type TtXlaSettings } from "../settings";
import type { CellRunOutcome, LessonKernel } from "./controller";
import type { KernelState } from "../shared/cellMessages";
import type { CellOutput, CellSnapshot, ErrorOutput, OutputOrClear } from "../shared/cellModel";
import { COMMAND, METHOD } from "../backend/routes.generated";

/** A protocol output as nbformat has it; `outputType` may be left out on the wire (its default). */
export function fromProtocol(o: Output): OutputOrClear {
  if ("ename" in o) return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
  if ("text" in o) return { output_type: "stream", name: o.name, text: o.text };
  if ("data" in o) {
    // execute_result always carries its count (possibly null); display_data never has one.
    return "executionCount" in o
      ? { output_type: "execute_result", data: o.data, execution_count: o.executionCount }
      : { output_type: "display_data", data: o.data };
  }
  return { output_type: "clear_output", wait: o.wait ?? false };
}

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

type StoredOutput = Exclude<Output, { wait?: boolean; outputType?: "clear_output" }>;

export function toProtocol(o: CellOutput): StoredOutput {
  switch (o.output_type) {
    case "stream":
      return { outputType: "stream", name: o.name, text: o.text };
    case "display_data":
      return { outputType: "display_data", data: o.data };
    case "execute_result":
      return { outputType: "execute_result", data: o.data, executionCount: o.execution_count };
    case "error":
      return { outputType: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
  }
}

const STATUS: Record<CellResult["status"], CellRunOutcome["status"]> = {
  ok: "succeeded",
  error: "failed",
  interrupted: "interrupted",
  died: "died",
  timeout: "interrupted",
};

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
        const failedCheck = result.status === "ok" && result.check?.status === "failed";
        if (failedCheck) onOutput(checkFailure(result.check?.failures ?? [], result.check?.hint));
        return {
          // The tick means the lesson's check passed: a cell that ran but failed it failed.
          status: failedCheck ? "failed" : STATUS[result.status],
          executionCount: result.executionCount,
          durationS: result.durationS,
          dropped: { lines: result.droppedLines ?? 0, chars: result.droppedBytes ?? 0 },
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
    if (e.kind === "cell-output") onOutput(fromProtocol(e.output));
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
        outputs: c.snapshot.outputs.map(toProtocol),
        executionCount: c.snapshot.executionCount,
      })),
    };
    return request(this.conn(), METHOD.exportNotebook, params);
  }
}
