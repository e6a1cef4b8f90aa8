// The host side of one lesson's cells: checks the page's requests, queues runs for the lesson's
// one kernel (a kernel runs one cell at a time; Run all stops at the first failure, as Jupyter
// does), keeps every cell's edits and outputs (saved through `CellStore`) and streams them to the
// page. No `vscode` import: the kernel, the store and the editor UI are passed in, so the whole
// flow is unit-tested.
import type { CellRunStatus } from "../backend/protocol";
import type { LessonCell } from "../lesson/cells";
import {
  isCellsMessage,
  parseCellMessage,
  type CellOutputItem,
  type CellsFromWebview,
  type CellsToWebview,
  type KernelState,
} from "../shared/cellMessages";
import {
  appendOutput,
  clearOutputs,
  emptySnapshot,
  startRun,
  type CellSnapshot,
  type CellStatus,
  type CheckStatus,
  type LessonCells,
  type OutputOrClear,
} from "../shared/cellModel";

export interface CellRunOutcome {
  status: CellRunStatus;
  executionCount: number | null;
  durationS: number;
  /** What the backend itself did not pass on (its own per-cell cap). */
  dropped?: { lines: number; chars: number };
  /** The lesson's check of this run; absent when the run never reached the kernel. */
  check?: CheckStatus;
}

/** One lesson's kernel, as the backend offers it (wired in cells/kernel.ts). */
export interface LessonKernel {
  /** Runs `code` as cell `cell`; outputs arrive through `onOutput` while it runs. */
  run(cell: number, code: string, onOutput: (o: OutputOrClear) => void): Promise<CellRunOutcome>;
  /** Interrupts the running cell; asked again while it still runs, the backend kills the kernel. */
  interrupt(): Promise<void>;
  /** Kills the kernel; the next run starts a fresh one. */
  restart(): Promise<void>;
  /**
   * Starts the kernel ahead of the first run (no code runs) or, when it is there, only reports its
   * state: "none" when none can start yet (no venv).
   */
  start(): Promise<KernelState>;
  /** Writes an .ipynb of the lesson with these cells' code and outputs to `path`. */
  exportNotebook(
    path: string,
    cells: { cell: number; code: string; snapshot: CellSnapshot }[],
  ): Promise<{ path: string; kernelspecFolder?: string | null }>;
}

/** The editor calls the controller needs (cells/host.ts has the real ones). */
export interface CellsUi {
  copy(text: string): Promise<void>;
  /** Writes `code` to a scratch .py the user owns and opens it in an editor. */
  openAsFile(cell: number, code: string): Promise<void>;
  /** Where to save the notebook, or undefined when the person cancelled. */
  askSavePath(defaultName: string): Promise<string | undefined>;
  info(message: string): void;
  /** Says where the notebook went and, when one was registered, the kernelspec outside the workspace. */
  exported(notebook: string, kernelspecFolder: string | undefined): void;
  error(message: string): void;
}

export interface CellStoreLike {
  load(): LessonCells;
  /** Saves soon (writes are batched); `now` forces it. */
  save(cells: LessonCells, now?: boolean): void;
}

export interface CellsDeps {
  lessonId: string;
  cells: LessonCell[];
  kernel: LessonKernel;
  store: CellStoreLike;
  ui: CellsUi;
  post: (msg: CellsToWebview) => void;
  /** May cells run here (workspace trust, bundled lesson)? Asked again on every run. */
  canRun: () => { ok: true } | { ok: false; why: string };
  /**
   * This extension host's id. The backend and its kernels live as long as it does: a saved run of
   * another session ran in a kernel that is gone.
   */
  session: string;
}

/** Output events are posted in batches: a chatty cell must not post one message per line. */
const FLUSH_MS = 50;
/** While a kernel started ahead is starting, its state is asked for again this often, this long. */
const START_POLL_MS = 1_000;
const START_POLL_TIMES = 120;

export class CellsController {
  private readonly state: LessonCells;
  private queue: { cell: number; code: string }[] = [];
  private current: number | undefined;
  private kernelState: KernelState = "none";
  private pending: CellOutputItem[] = [];
  private readonly droppedIn = new Set<number>();
  private readonly clearAtNext = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private startedAhead = false;
  /** Runs begun so far: a poll of a starting kernel stops at the next run (it reports the kernel). */
  private runs = 0;

  /** Saved runs of an earlier session are shown: their kernel, and its variables, are gone. */
  private readonly restored: boolean;

  constructor(private readonly deps: CellsDeps) {
    this.state = deps.store.load();
    this.restored = Object.values(this.state).some((s) => s.executionCount !== null && s.session !== deps.session);
  }

  private snap(cell: number): CellSnapshot {
    let s = this.state[cell];
    if (!s) {
      s = emptySnapshot();
      this.state[cell] = s;
    }
    return s;
  }

  /** Handles a message if it is about cells; returns false for the rest of the page's protocol. */
  receive(raw: unknown): boolean {
    if (!isCellsMessage(raw)) return false;
    const msg = parseCellMessage(raw, this.deps.cells.length);
    if (msg) void this.handle(msg).catch((err: unknown) => this.deps.ui.error(String(err)));
    else this.deps.ui.error("The lesson page sent a malformed cell request; it was ignored.");
    return true;
  }

  /** What the page needs after it (re)loads: every cell's saved state and whether Run works. */
  init(): void {
    const can = this.deps.canRun();
    this.post({
      type: "cells/init",
      cells: this.state,
      canRun: can.ok,
      ...(can.ok ? {} : { why: can.why }),
      kernel: this.kernelState,
      kernelIsNew: this.restored && this.runs === 0,
    });
    if (can.ok && !this.startedAhead) {
      this.startedAhead = true;
      void this.followStart();
    }
  }

  /**
   * Starts the lesson's kernel (when the lesson opens, so the first Run is quick; after a restart)
   * and follows its state until it has started.
   */
  private async followStart(): Promise<void> {
    const since = this.runs;
    const moved = (): boolean => this.disposed || this.runs !== since;
    for (let i = 0; i < START_POLL_TIMES && !moved(); i++) {
      let state: KernelState;
      try {
        state = await this.deps.kernel.start();
      } catch {
        return; // no backend yet: the first run says why
      }
      if (moved()) return;
      this.setKernel(state);
      if (state !== "starting") return;
      await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
  }

  private async handle(msg: CellsFromWebview): Promise<void> {
    switch (msg.type) {
      case "cell/run":
        this.enqueue([{ cell: msg.cell, code: msg.code }]);
        break;
      case "cell/runAll":
        this.enqueue(msg.cells);
        break;
      case "cell/interrupt":
        await this.interrupt(msg.cell, msg.kill);
        break;
      case "cell/edit": {
        const s = this.snap(msg.cell);
        if (msg.code === null || msg.code === this.deps.cells[msg.cell]?.source) delete s.code;
        else s.code = msg.code;
        s.editedAt = msg.at;
        this.deps.store.save(this.state);
        break;
      }
      case "cell/reset": {
        const s = this.snap(msg.cell);
        delete s.code;
        s.editedAt = msg.at;
        if (s.outputs.length || s.executionCount !== null) s.stale = true;
        // At once, not batched: a window reloaded a moment after Reset must still find it stale.
        this.deps.store.save(this.state, true);
        break;
      }
      case "cell/copy":
        await this.deps.ui.copy(msg.code);
        break;
      case "cell/open":
        await this.deps.ui.openAsFile(msg.cell, msg.code);
        break;
      case "kernel/restart":
        await this.restart();
        break;
      case "notebook/export":
        await this.exportNotebook();
        break;
    }
  }

  private enqueue(items: { cell: number; code: string }[]): void {
    const can = this.deps.canRun();
    if (!can.ok) {
      this.deps.ui.error(can.why);
      return;
    }
    for (const item of items) {
      if (!this.deps.cells[item.cell]?.runnable) {
        this.deps.ui.error(`Cell ${item.cell + 1} is marked as not runnable in the lesson.`);
        return;
      }
    }
    for (const item of items) {
      if (item.cell === this.current || this.queue.some((q) => q.cell === item.cell)) continue;
      this.queue.push(item);
      this.setStatus(item.cell, "queued");
    }
    void this.pump();
  }

  /** Runs the queue, one cell at a time. */
  private async pump(): Promise<void> {
    if (this.current !== undefined) return;
    for (let next = this.queue.shift(); next && !this.disposed; next = this.queue.shift()) {
      const { cell, code } = next;
      this.current = cell;
      this.runs += 1;
      const s = this.snap(cell);
      startRun(s);
      this.clearAtNext.delete(cell);
      this.statusMessage(cell);
      this.setKernel("busy");
      let outcome: CellRunOutcome;
      try {
        outcome = await this.deps.kernel.run(cell, code, (o) => this.output(cell, o));
      } catch (err) {
        this.output(cell, { output_type: "error", ename: "KernelError", evalue: String(err), traceback: [] });
        outcome = { status: "failed", executionCount: null, durationS: 0 };
      }
      this.flush();
      if (outcome.dropped?.lines || outcome.dropped?.chars) {
        s.dropped.lines += outcome.dropped.lines;
        s.dropped.chars += outcome.dropped.chars;
        this.droppedIn.add(cell);
        this.flush();
      }
      s.status = outcome.status;
      s.executionCount = outcome.executionCount;
      s.durationS = outcome.durationS;
      s.session = this.deps.session;
      s.endedAt = Date.now();
      if (outcome.check) s.check = outcome.check;
      this.current = undefined;
      this.statusMessage(cell);
      // Failed without a count: it never reached a kernel (none would start, no backend).
      const ran = outcome.status !== "failed" || outcome.executionCount !== null;
      this.setKernel(outcome.status === "died" ? "dead" : ran ? "idle" : "none");
      this.deps.store.save(this.state, true);
      if (outcome.status !== "succeeded") this.dropQueue(); // Run all stops at the first failure
    }
  }

  private dropQueue(): void {
    for (const q of this.queue.splice(0)) this.setStatus(q.cell, "idle");
  }

  private async interrupt(cell: number, kill: boolean): Promise<void> {
    const queued = this.queue.findIndex((q) => q.cell === cell);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.setStatus(cell, "idle");
      return;
    }
    if (this.current !== cell) return;
    // Pressed again (kill): nothing queued may run in the fresh kernel that follows.
    if (kill) this.dropQueue();
    await this.deps.kernel.interrupt();
  }

  private async restart(): Promise<void> {
    this.dropQueue();
    this.setKernel("restarting");
    try {
      await this.deps.kernel.restart();
      void this.followStart(); // a fresh kernel is starting
    } catch (err) {
      this.setKernel("dead", `The kernel did not restart: ${String(err)}`);
    }
  }

  private async exportNotebook(): Promise<void> {
    const path = await this.deps.ui.askSavePath(`${this.deps.lessonId}.ipynb`);
    if (!path) return;
    const cells = this.deps.cells.map((c) => {
      const snapshot = this.state[c.index] ?? emptySnapshot();
      return { cell: c.index, code: snapshot.code ?? c.source, snapshot };
    });
    const done = await this.deps.kernel.exportNotebook(path, cells);
    this.deps.ui.exported(done.path, done.kernelspecFolder ?? undefined);
  }

  private output(cell: number, o: OutputOrClear): void {
    const s = this.snap(cell);
    if (o.output_type === "clear_output" || this.clearAtNext.has(cell)) {
      // clear_output(wait=True) clears when the next output arrives (a progress display).
      const later = o.output_type === "clear_output" && o.wait;
      if (later) {
        this.clearAtNext.add(cell);
        return;
      }
      this.clearAtNext.delete(cell);
      clearOutputs(s);
      this.droppedIn.delete(cell);
      this.pending = this.pending.filter((p) => p.cell !== cell);
      this.pending.push({ cell, clear: true });
      if (o.output_type === "clear_output") return;
    }
    // The capped model lives here; the page is sent only what was kept (it applies the same
    // caps to it and gets the same result) and the counts of the rest.
    for (const c of appendOutput(s, o)) {
      if (c.kind === "merged" && o.output_type === "stream") {
        this.pending.push({ cell, output: { output_type: "stream", name: o.name, text: c.text } });
      } else if (c.kind === "added") {
        this.pending.push({ cell, output: { ...c.output } }); // a copy: later text merges into the kept one
      } else if (c.kind === "dropped") {
        this.droppedIn.add(cell);
      }
    }
    this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
    this.deps.store.save(this.state);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    for (const cell of this.droppedIn) items.push({ cell, dropped: { ...this.snap(cell).dropped } });
    this.droppedIn.clear();
    if (items.length) this.post({ type: "cells/output", items });
  }

  private setStatus(cell: number, status: CellStatus): void {
    this.snap(cell).status = status;
    this.statusMessage(cell);
  }

  private statusMessage(cell: number): void {
    const s = this.snap(cell);
    this.post({
      type: "cells/status",
      cell,
      status: s.status,
      executionCount: s.executionCount,
      durationS: s.durationS,
      check: s.check ?? null,
    });
  }

  private setKernel(state: KernelState, message?: string): void {
    this.kernelState = state;
    this.post({ type: "cells/kernel", state, ...(message === undefined ? {} : { message }) });
  }

  private post(msg: CellsToWebview): void {
    if (msg.type !== "cells/output") this.flush(); // outputs before the status that ends them
    if (!this.disposed) this.deps.post(msg);
  }

  dispose(): void {
    this.flush();
    this.deps.store.save(this.state, true);
    this.disposed = true;
    this.queue = [];
  }
}
