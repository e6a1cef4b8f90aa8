// Browser side of the lesson's cells: swaps each cell's highlighted <pre> for an editor, turns
// the cell buttons into messages for the host, and draws what the host sends (status, count,
// duration, outputs). Edits are kept in the webview's own state too, so a reload shows them at
// once, before the host answers. The editor is passed in (CodeMirror in the page, a textarea in
// the jsdom tests).
import type { CellOutputItem, CellsFromWebview, CellsToWebview, KernelState } from "../shared/cellMessages";
import {
  emptySnapshot,
  noneDropped,
  parseSnapshot,
  type CellSnapshot,
  type CellStatus,
  type CheckStatus,
} from "../shared/cellModel";
import { formatDuration } from "../shared/format";
import { OutputArea } from "./cellOutputs";
import type { CellRun } from "./summary";

export interface CellEditor {
  text(): string;
  setText(text: string): void;
}

export type EditorFactory = (o: {
  parent: HTMLElement;
  doc: string;
  onChange: (text: string) => void;
  onRun: () => void;
  label: string;
}) => CellEditor;

/** What the cells keep in the webview's state (the host keeps the rest). */
export interface CellsViewState {
  edits: Record<number, string>;
  /** When each cell's code last changed (edit or Reset), epoch ms: the host's copy may be newer. */
  editedAt?: Record<number, number>;
}

interface Cell {
  index: number;
  root: HTMLElement;
  original: string;
  runnable: boolean;
  editor: CellEditor;
  area: OutputArea;
  /** Interrupt was pressed once for this run: the next press kills the kernel. */
  interrupted: boolean;
  /** "Passed" / "failed" / "not checked": the lesson's check of the last run. */
  check: HTMLElement;
  /** Says the outputs below are from the code before Reset. */
  staleNote: HTMLElement;
}

const EDIT_DEBOUNCE_MS = 300;
const BUSY: readonly CellStatus[] = ["queued", "running"];
const CHECK_WORDS: Record<CheckStatus, string> = {
  passed: "check passed",
  failed: "check failed",
  "not-checked": "not checked",
};

export class CellsView {
  private readonly cells = new Map<number, Cell>();
  private canRun = true;
  private why = "";
  private readonly editTimers = new Map<number, ReturnType<typeof setTimeout>>();
  private kernelBar: HTMLElement | undefined;
  private newKernelNote: HTMLElement | undefined;
  private editedAt: Record<number, number> = {};

  constructor(
    private readonly doc: Document,
    private readonly post: (msg: CellsFromWebview) => void,
    private readonly makeEditor: EditorFactory,
    private readonly saveState: (s: CellsViewState) => void,
    /** Told of each cell's last finished run (on init and as runs end): the summary reads them. */
    private readonly onSettled: (run: CellRun) => void = () => undefined,
  ) {}

  /** Finds the cells of the page and gives each its editor; `saved` edits come back at once. */
  mount(saved: CellsViewState | undefined): void {
    this.editedAt = { ...(saved?.editedAt ?? {}) };
    for (const root of this.doc.querySelectorAll<HTMLElement>(".tt-cell")) {
      const index = Number(root.dataset.cell);
      const source = root.querySelector<HTMLElement>(".tt-cell-source");
      if (!Number.isInteger(index) || !source) continue;
      const original = (source.querySelector("pre")?.textContent ?? "").replace(/\n$/, "");
      const text = saved?.edits[index] ?? original;
      source.replaceChildren();
      const editor = this.makeEditor({
        parent: source,
        doc: text,
        label: `Code cell ${index + 1}`,
        onChange: (t) => this.edited(index, t),
        onRun: () => this.run(index),
      });
      const outputs = root.querySelector<HTMLElement>(".tt-cell-outputs") ?? root;
      const check = this.doc.createElement("span");
      check.className = "tt-cell-check";
      check.hidden = true;
      root.querySelector(".tt-cell-status")?.after(check);
      const staleNote = this.doc.createElement("p");
      staleNote.className = "tt-cell-stale-note";
      staleNote.textContent = "Stale: this output is from the edited code, before Reset. Run the cell to update it.";
      staleNote.hidden = true;
      if (outputs !== root) outputs.before(staleNote);
      const cell: Cell = {
        index,
        root,
        original,
        runnable: root.dataset.runnable === "true",
        editor,
        area: new OutputArea(outputs, emptySnapshot()),
        interrupted: false,
        check,
        staleNote,
      };
      this.cells.set(index, cell);
      this.markEdited(cell, text);
    }
    if (this.cells.size) this.addKernelBar();
    // On the lesson's own element: the page's other buttons are main.ts's business.
    (this.doc.querySelector(".tt-lesson") ?? this.doc.body).addEventListener("click", (ev) => this.click(ev));
  }

  /** The lesson-level bar: kernel state, Run all, Restart kernel, Export as Notebook. */
  private addKernelBar(): void {
    const bar = this.doc.createElement("div");
    bar.className = "tt-kernel-bar";
    const button = (cls: string, label: string, title: string): HTMLButtonElement => {
      const b = this.doc.createElement("button");
      b.type = "button";
      b.className = cls;
      b.textContent = label;
      b.title = title;
      return b;
    };
    const state = this.doc.createElement("span");
    state.className = "tt-kernel-state";
    state.dataset.state = "none";
    state.textContent = "Kernel: not started";
    bar.append(
      state,
      button("tt-cells-run-all", "Run all", "Run every cell of the lesson, top to bottom"),
      button("tt-kernel-restart", "Restart kernel", "Stop the lesson's Python kernel; the next run starts a fresh one"),
      button("tt-cells-export", "Export as Notebook", "Save the lesson with its outputs as an .ipynb"),
    );
    const main = this.doc.querySelector(".tt-lesson") ?? this.doc.body;
    main.prepend(bar);
    this.kernelBar = bar;
    const note = this.doc.createElement("p");
    note.className = "tt-kernel-new";
    note.setAttribute("role", "status");
    note.textContent =
      "New kernel: the outputs and counts below are from an earlier session, and its variables are gone. " +
      "Run the cells again (Run all) to define them in this one.";
    note.hidden = true;
    bar.after(note);
    this.newKernelNote = note;
  }

  private click(ev: Event): void {
    const button = ev.target instanceof Element ? ev.target.closest("button") : null;
    if (!button) return;
    if (button.classList.contains("tt-cells-run-all")) {
      const all = [...this.cells.values()].filter((c) => c.runnable).sort((a, b) => a.index - b.index);
      this.post({ type: "cell/runAll", cells: all.map((c) => ({ cell: c.index, code: c.editor.text() })) });
      return;
    }
    if (button.classList.contains("tt-kernel-restart")) return this.post({ type: "kernel/restart" });
    if (button.classList.contains("tt-cells-export")) return this.post({ type: "notebook/export" });
    const root = button.closest<HTMLElement>(".tt-cell");
    const cell = root ? this.cells.get(Number(root.dataset.cell)) : undefined;
    if (!cell) return;
    const code = cell.editor.text();
    if (button.classList.contains("tt-cell-run")) this.run(cell.index);
    else if (button.classList.contains("tt-cell-interrupt")) {
      this.post({ type: "cell/interrupt", cell: cell.index, kill: cell.interrupted });
      cell.interrupted = true;
      button.textContent = "Kill";
      button.title = "The interrupt did not stop it: kill the kernel (its variables are lost)";
    } else if (button.classList.contains("tt-cell-reset")) {
      const shown = cell.area.snapshot.outputs.length > 0 || cell.area.snapshot.executionCount !== null;
      const edited = code !== cell.original;
      cell.editor.setText(cell.original); // onChange saves and tells the host
      if (shown && edited) {
        // What is shown under it came from the code just dropped.
        this.markStale(cell, true);
        this.post({ type: "cell/reset", cell: cell.index, at: this.editedAt[cell.index] ?? Date.now() });
      }
    } else if (button.classList.contains("tt-cell-copy")) this.post({ type: "cell/copy", cell: cell.index, code });
    else if (button.classList.contains("tt-cell-open")) this.post({ type: "cell/open", cell: cell.index, code });
  }

  private run(index: number): void {
    const cell = this.cells.get(index);
    if (!cell?.runnable || !this.canRun) return;
    this.post({ type: "cell/run", cell: index, code: cell.editor.text() });
  }

  private edited(index: number, text: string): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    const at = Date.now();
    this.editedAt[index] = at;
    this.markEdited(cell, text);
    this.saveState(this.viewState());
    clearTimeout(this.editTimers.get(index));
    this.editTimers.set(
      index,
      setTimeout(() => {
        this.editTimers.delete(index);
        this.post({ type: "cell/edit", cell: index, code: text === cell.original ? null : text, at });
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private markEdited(cell: Cell, text: string): void {
    const flag = cell.root.querySelector<HTMLElement>(".tt-cell-edited");
    if (flag) flag.hidden = text === cell.original;
  }

  viewState(): CellsViewState {
    const edits: Record<number, string> = {};
    for (const c of this.cells.values()) {
      const t = c.editor.text();
      if (t !== c.original) edits[c.index] = t;
    }
    return { edits, editedAt: { ...this.editedAt } };
  }

  apply(msg: CellsToWebview): void {
    switch (msg.type) {
      case "cells/init":
        this.init(msg.cells, msg.canRun, msg.why ?? "", msg.kernel);
        if (this.newKernelNote) this.newKernelNote.hidden = !msg.kernelIsNew;
        break;
      case "cells/status":
        this.status(msg.cell, msg.status, msg.executionCount, msg.durationS, msg.check);
        break;
      case "cells/output":
        this.outputs(msg.items);
        break;
      case "cells/kernel":
        this.kernel(msg.state, msg.message);
        break;
    }
  }

  private init(saved: Record<number, CellSnapshot>, canRun: boolean, why: string, kernel: KernelState): void {
    this.canRun = canRun;
    this.why = why;
    for (const cell of this.cells.values()) {
      const snap = parseSnapshot(saved[cell.index], false) ?? emptySnapshot();
      this.reconcile(cell, snap);
      cell.area = new OutputArea(cell.area.root, snap);
      cell.area.redraw();
      this.show(cell, snap.status, snap.executionCount, snap.durationS, snap.check ?? null);
      this.markStale(cell, snap.stale === true);
      if (!BUSY.includes(snap.status)) this.settled(cell, snap.check ?? null, snap.endedAt ?? 0);
      for (const b of cell.root.querySelectorAll<HTMLButtonElement>(".tt-cell-run")) {
        b.disabled = !canRun;
        b.title = canRun ? "Run this cell in the lesson's kernel" : why;
      }
    }
    for (const b of this.kernelBar?.querySelectorAll<HTMLButtonElement>(".tt-cells-run-all") ?? []) {
      b.disabled = !canRun;
      if (!canRun) b.title = this.why;
    }
    this.kernel(kernel);
  }

  /**
   * After a reload both this page's state and the host's store may lag behind the last edit or
   * Reset (each is written a moment later): the newer copy wins. The host's wins a tie, and an
   * edit not sent yet always stays; an older page state without times keeps what it showed.
   */
  private reconcile(cell: Cell, snap: CellSnapshot): void {
    if (this.editTimers.has(cell.index)) return;
    const mine = this.editedAt[cell.index] ?? 0;
    const host = snap.editedAt ?? 0;
    const shown = cell.editor.text();
    if (mine > host) {
      // The host missed it: send it again, with its own time.
      if ((snap.code ?? cell.original) !== shown) {
        this.post({ type: "cell/edit", cell: cell.index, code: shown === cell.original ? null : shown, at: mine });
      }
      return;
    }
    if (host === 0 && snap.code === undefined) return;
    const want = snap.code ?? cell.original;
    if (want === shown) return;
    cell.editor.setText(want);
    // setText's change is not a new edit: it keeps the host's time.
    clearTimeout(this.editTimers.get(cell.index));
    this.editTimers.delete(cell.index);
    this.editedAt[cell.index] = host;
    this.saveState(this.viewState());
  }

  private status(
    index: number,
    status: CellStatus,
    count: number | null,
    durationS: number | null,
    check: CheckStatus | null,
  ): void {
    const cell = this.cells.get(index);
    if (!cell) return;
    if (status === "running") {
      cell.area = new OutputArea(cell.area.root, emptySnapshot());
      cell.area.redraw();
      cell.interrupted = false;
      this.markStale(cell, false);
      // A cell runs in this session's kernel: its counts are this kernel's from now on.
      if (this.newKernelNote) this.newKernelNote.hidden = true;
    }
    cell.area.snapshot.status = status;
    cell.area.snapshot.executionCount = count;
    this.show(cell, status, count, durationS, check);
    // Its outputs came before this status (the host flushes them first): they are all here.
    if (!BUSY.includes(status)) this.settled(cell, check, Date.now());
  }

  private settled(cell: Cell, check: CheckStatus | null, at: number): void {
    const stdout = cell.area.snapshot.outputs
      .map((o) => (o.output_type === "stream" && o.name === "stdout" ? o.text : ""))
      .join("");
    this.onSettled({ index: cell.index, summary: cell.root.dataset.summary, passed: check === "passed", stdout, at });
  }

  private markStale(cell: Cell, stale: boolean): void {
    cell.root.classList.toggle("tt-cell-stale", stale);
    cell.staleNote.hidden = !stale;
  }

  private show(
    cell: Cell,
    status: CellStatus,
    count: number | null,
    durationS: number | null,
    check: CheckStatus | null,
  ): void {
    const r = cell.root;
    r.dataset.status = status;
    cell.check.hidden = check === null;
    cell.check.textContent = check === null ? "" : CHECK_WORDS[check];
    if (check === null) delete r.dataset.check;
    else r.dataset.check = check;
    const text = (sel: string, t: string): void => {
      const e = r.querySelector(sel);
      if (e) e.textContent = t;
    };
    const busy = BUSY.includes(status);
    text(".tt-cell-status", cell.runnable ? status : "not runnable");
    text(".tt-cell-count", status === "running" ? "[*]" : `[${count ?? " "}]`);
    text(".tt-cell-duration", durationS === null || busy ? "" : formatDuration(durationS));
    const interrupt = r.querySelector<HTMLButtonElement>(".tt-cell-interrupt");
    if (interrupt) {
      interrupt.disabled = !busy;
      if (!busy || status === "queued") {
        interrupt.textContent = "Interrupt";
        interrupt.title = "Interrupt the kernel (press again to kill it)";
      }
    }
    const run = r.querySelector<HTMLButtonElement>(".tt-cell-run");
    if (run) run.disabled = busy || !this.canRun;
  }

  private outputs(items: CellOutputItem[]): void {
    for (const item of items) {
      const cell = this.cells.get(item.cell);
      if (!cell) continue;
      if ("output" in item) cell.area.add(item.output);
      else if ("dropped" in item) cell.area.setDropped(item.dropped);
      else {
        cell.area = new OutputArea(cell.area.root, { ...cell.area.snapshot, outputs: [], dropped: noneDropped() });
        cell.area.redraw();
      }
    }
  }

  private kernel(state: KernelState, message?: string): void {
    const el = this.kernelBar?.querySelector<HTMLElement>(".tt-kernel-state");
    if (!el) return;
    el.dataset.state = state;
    const words: Record<KernelState, string> = {
      none: "not started",
      starting: "starting…",
      idle: "idle",
      busy: "busy",
      restarting: "restarting…",
      dead: "stopped (the next run starts a fresh one)",
    };
    el.textContent = `Kernel: ${words[state]}`;
    el.title = message ?? "";
  }
}
