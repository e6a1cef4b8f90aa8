// @vitest-environment jsdom
// The page side of the cells, with a textarea standing in for CodeMirror: buttons become the
// right messages, edits are kept and sent, host messages draw status, count, duration, outputs.
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { CellsFromWebview } from "../../../extension/shared/cellMessages";
import { emptySnapshot } from "../../../extension/shared/cellModel";
import { renderLesson } from "../../../extension/lesson/render";
import { CellsView, type CellsViewState, type EditorFactory } from "../../../extension/webview/cells";

const LESSON = "```python\nx = jnp.ones(32)\nprint(x.sum())\n```\n\n```python norun\nwhile True: pass\n```\n";
let posted: CellsFromWebview[];
let saved: CellsViewState | undefined;
let editors: HTMLTextAreaElement[];
let view: CellsView;
const T0 = 1_000_000;

const textareas: EditorFactory = (o) => {
  const ta = document.createElement("textarea");
  ta.value = o.doc;
  ta.addEventListener("input", () => o.onChange(ta.value));
  o.parent.append(ta);
  editors.push(ta);
  return {
    text: () => ta.value,
    setText: (t) => {
      ta.value = t;
      o.onChange(t);
    },
  };
};
const type = (i: number, text: string): void => {
  const ta = editors[i]!;
  ta.value = text;
  ta.dispatchEvent(new Event("input"));
};
const click = (sel: string): void => document.querySelector<HTMLButtonElement>(sel)!.click();
const cell = (i: number): HTMLElement => document.querySelector<HTMLElement>(`.tt-cell[data-cell="${i}"]`)!;

function mount(state?: CellsViewState): void {
  document.body.innerHTML = `<main class="tt-lesson">${renderLesson(LESSON).html}</main>`;
  posted = [];
  editors = [];
  view = new CellsView(
    document,
    (m) => void posted.push(m),
    textareas,
    (s) => (saved = s),
  );
  view.mount(state);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.clearAllTimers(); // an edit pending from the last test's page
  vi.setSystemTime(T0); // the page's clock: edits carry its time
  saved = undefined;
  mount();
});

describe("CellsView", () => {
  it("gives each cell an editor holding the lesson's text, and adds the lesson's kernel bar", () => {
    expect(editors.map((e) => e.value)).toEqual(["x = jnp.ones(32)\nprint(x.sum())", "while True: pass"]);
    expect(document.querySelector(".tt-lesson")?.firstElementChild?.className).toBe("tt-kernel-bar");
    expect(cell(1).querySelector(".tt-cell-run")).toBeNull();
  });

  it("Run sends the edited code; Run all sends every runnable cell in order; nothing runs on load", () => {
    expect(posted).toEqual([]);
    type(0, "x = jnp.ones(64)\nprint(x.sum())");
    click('.tt-cell[data-cell="0"] .tt-cell-run');
    click(".tt-cells-run-all");
    expect(posted).toEqual([
      { type: "cell/run", cell: 0, code: "x = jnp.ones(64)\nprint(x.sum())" },
      { type: "cell/runAll", cells: [{ cell: 0, code: "x = jnp.ones(64)\nprint(x.sum())" }] },
    ]);
  });

  it("an edit is saved in the page state at once and sent to the host after a pause; Reset puts the lesson's text back", () => {
    type(0, "print(1)");
    expect(saved).toEqual({ edits: { 0: "print(1)" }, editedAt: { 0: T0 } });
    expect(cell(0).querySelector<HTMLElement>(".tt-cell-edited")?.hidden).toBe(false);
    expect(posted).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(posted).toEqual([{ type: "cell/edit", cell: 0, code: "print(1)", at: T0 }]);
    click('.tt-cell[data-cell="0"] .tt-cell-reset');
    vi.advanceTimersByTime(400);
    expect(editors[0]?.value).toBe("x = jnp.ones(32)\nprint(x.sum())");
    expect(posted.at(-1)).toEqual({ type: "cell/edit", cell: 0, code: null, at: T0 + 400 });
    expect(saved).toEqual({ edits: {}, editedAt: { 0: T0 + 400 } });
  });

  it("edits kept in the page state come back on a reload before the host answers", () => {
    mount({ edits: { 0: "print('kept')" } });
    expect(editors[0]?.value).toBe("print('kept')");
  });

  it("after a reload the newer of the page's and the host's copies wins (each may lag the last change)", () => {
    const original = "x = jnp.ones(32)\nprint(x.sum())";
    const init = (snap: object): void =>
      view.apply({
        type: "cells/init",
        cells: { 0: { ...emptySnapshot(), ...snap } },
        canRun: true,
        kernel: "none",
        kernelIsNew: false,
      });
    // The page's state missed a Reset the host kept: the lesson's code comes back, not the loop.
    mount({ edits: { 0: "while True: pass" }, editedAt: { 0: T0 - 5_000 } });
    init({ editedAt: T0 - 1_000, stale: true });
    expect(editors[0]?.value).toBe(original);
    expect(saved).toEqual({ edits: {}, editedAt: { 0: T0 - 1_000 } });
    vi.advanceTimersByTime(400);
    expect(posted).toEqual([]); // not an edit of the person's: nothing to tell the host
    // The host missed the last edit: the page's stays, and the host is told it.
    mount({ edits: { 0: "print('mine')" }, editedAt: { 0: T0 - 1_000 } });
    init({ code: "print('older')", editedAt: T0 - 5_000 });
    expect(editors[0]?.value).toBe("print('mine')");
    expect(posted).toEqual([{ type: "cell/edit", cell: 0, code: "print('mine')", at: T0 - 1_000 }]);
    // ... also when the page's newer change was a Reset.
    mount({ edits: {}, editedAt: { 0: T0 - 1_000 } });
    init({ code: "print('older')", editedAt: T0 - 5_000 });
    expect(editors[0]?.value).toBe(original);
    expect(posted).toEqual([{ type: "cell/edit", cell: 0, code: null, at: T0 - 1_000 }]);
    // A page state from before these times: the host's edit wins, and with none the page's stays.
    mount({ edits: { 0: "print('page')" } });
    init({ code: "print('host')" });
    expect(editors[0]?.value).toBe("print('host')");
    mount({ edits: { 0: "print('page')" } });
    init({});
    expect(editors[0]?.value).toBe("print('page')");
  });

  it("Copy and Open as file send the cell's current text", () => {
    click('.tt-cell[data-cell="1"] .tt-cell-copy');
    click('.tt-cell[data-cell="1"] .tt-cell-open');
    expect(posted).toEqual([
      { type: "cell/copy", cell: 1, code: "while True: pass" },
      { type: "cell/open", cell: 1, code: "while True: pass" },
    ]);
  });

  it("shows running ([*], Interrupt enabled), then the count and duration; Interrupt becomes Kill", () => {
    view.apply({
      type: "cells/status",
      cell: 0,
      status: "running",
      executionCount: null,
      durationS: null,
      check: null,
    });
    expect(cell(0).dataset.status).toBe("running");
    expect(cell(0).querySelector(".tt-cell-count")?.textContent).toBe("[*]");
    const interrupt = cell(0).querySelector<HTMLButtonElement>(".tt-cell-interrupt")!;
    expect(interrupt.disabled).toBe(false);
    expect(cell(0).querySelector<HTMLButtonElement>(".tt-cell-run")?.disabled).toBe(true);
    interrupt.click();
    expect(interrupt.textContent).toBe("Kill");
    interrupt.click();
    expect(posted).toEqual([
      { type: "cell/interrupt", cell: 0, kill: false },
      { type: "cell/interrupt", cell: 0, kill: true },
    ]);
    view.apply({
      type: "cells/output",
      items: [{ cell: 0, output: { output_type: "stream", name: "stdout", text: "64.0\n" } }],
    });
    view.apply({ type: "cells/status", cell: 0, status: "succeeded", executionCount: 3, durationS: 0.42, check: null });
    expect(cell(0).querySelector(".tt-cell-count")?.textContent).toBe("[3]");
    expect(cell(0).querySelector(".tt-cell-duration")?.textContent).not.toBe("");
    expect(cell(0).querySelector(".tt-cell-outputs")?.textContent).toBe("64.0\n");
    expect(interrupt.disabled).toBe(true);
    expect(interrupt.textContent).toBe("Interrupt");
    // A new run clears the old outputs.
    view.apply({
      type: "cells/status",
      cell: 0,
      status: "running",
      executionCount: null,
      durationS: null,
      check: null,
    });
    expect(cell(0).querySelector(".tt-cell-outputs")?.textContent).toBe("");
  });

  it("init restores outputs and the host's edits, and disables Run where cells may not run", () => {
    view.apply({
      type: "cells/init",
      cells: {
        0: {
          ...emptySnapshot(),
          code: "print(64.0)",
          status: "succeeded",
          executionCount: 1,
          durationS: 1,
          outputs: [{ output_type: "stream", name: "stdout", text: "64.0\n" }],
        },
      },
      canRun: false,
      why: "untrusted",
      kernel: "idle",
      kernelIsNew: false,
    });
    expect(editors[0]?.value).toBe("print(64.0)");
    expect(cell(0).querySelector(".tt-cell-outputs")?.textContent).toBe("64.0\n");
    expect(cell(0).querySelector<HTMLButtonElement>(".tt-cell-run")?.disabled).toBe(true);
    expect(document.querySelector<HTMLButtonElement>(".tt-cells-run-all")?.disabled).toBe(true);
    expect(document.querySelector(".tt-kernel-state")?.textContent).toBe("Kernel: idle");
  });

  it("a page reloaded while a cell runs shows it running, with what it printed so far", () => {
    view.apply({
      type: "cells/init",
      cells: {
        0: {
          ...emptySnapshot(),
          status: "running",
          outputs: [{ output_type: "stream", name: "stdout", text: "step 1\n" }],
        },
      },
      canRun: true,
      kernel: "busy",
      kernelIsNew: false,
    });
    expect(cell(0).dataset.status).toBe("running");
    expect(cell(0).querySelector(".tt-cell-count")?.textContent).toBe("[*]");
    expect(cell(0).querySelector<HTMLButtonElement>(".tt-cell-interrupt")?.disabled).toBe(false);
    view.apply({
      type: "cells/output",
      items: [{ cell: 0, output: { output_type: "stream", name: "stdout", text: "step 2\n" } }],
    });
    expect(cell(0).querySelector(".tt-cell-outputs")?.textContent).toBe("step 1\nstep 2\n");
  });

  it("clear_output empties a cell; the host's dropped counts show as a note", () => {
    view.apply({
      type: "cells/output",
      items: [{ cell: 0, output: { output_type: "stream", name: "stdout", text: "10%" } }],
    });
    view.apply({
      type: "cells/output",
      items: [
        { cell: 0, clear: true },
        { cell: 0, dropped: { items: 0, lines: 12, chars: 99 } },
      ],
    });
    const out = cell(0).querySelector(".tt-cell-outputs");
    expect(out?.querySelector("pre")).toBeNull();
    expect(out?.textContent).toMatch(/^Output capped: 12 more lines/);
  });

  it("restart and export are lesson-level messages", () => {
    click(".tt-kernel-restart");
    click(".tt-cells-export");
    expect(posted).toEqual([{ type: "kernel/restart" }, { type: "notebook/export" }]);
  });

  it("Reset under an output marks it stale (dimmed, with a note) until the cell runs again", () => {
    const ran = {
      ...emptySnapshot(),
      code: "print(64.0)",
      status: "succeeded" as const,
      executionCount: 1,
      outputs: [{ output_type: "stream" as const, name: "stdout" as const, text: "64.0\n" }],
    };
    view.apply({ type: "cells/init", cells: { 0: ran }, canRun: true, kernel: "idle", kernelIsNew: false });
    const note = (): HTMLElement => cell(0).querySelector<HTMLElement>(".tt-cell-stale-note")!;
    expect(cell(0).classList.contains("tt-cell-stale")).toBe(false);
    expect(note().hidden).toBe(true);
    click('.tt-cell[data-cell="0"] .tt-cell-reset');
    expect(editors[0]?.value).toBe("x = jnp.ones(32)\nprint(x.sum())");
    expect(posted).toContainEqual({ type: "cell/reset", cell: 0, at: T0 });
    expect(cell(0).classList.contains("tt-cell-stale")).toBe(true);
    expect(note().hidden).toBe(false);
    expect(note().textContent).toMatch(/from the edited code, before Reset/);
    // The outputs are still there, under the note.
    expect(note().nextElementSibling?.textContent).toBe("64.0\n");
    view.apply({
      type: "cells/status",
      cell: 0,
      status: "running",
      executionCount: null,
      durationS: null,
      check: null,
    });
    expect(cell(0).classList.contains("tt-cell-stale")).toBe(false);
    expect(note().hidden).toBe(true);
    // Kept by the host: a reloaded page shows it stale again.
    view.apply({
      type: "cells/init",
      cells: { 0: { ...ran, stale: true } },
      canRun: true,
      kernel: "idle",
      kernelIsNew: false,
    });
    expect(note().hidden).toBe(false);
    // Reset on a cell that shows nothing marks nothing.
    click('.tt-cell[data-cell="1"] .tt-cell-reset');
    expect(cell(1).classList.contains("tt-cell-stale")).toBe(false);
  });

  it("after a window reload, says the kernel is new and its variables are gone, until a cell runs", () => {
    const note = (): HTMLElement => document.querySelector<HTMLElement>(".tt-kernel-new")!;
    expect(note().hidden).toBe(true);
    const old = { ...emptySnapshot(), status: "succeeded" as const, executionCount: 4 };
    view.apply({ type: "cells/init", cells: { 0: old }, canRun: true, kernel: "idle", kernelIsNew: true });
    expect(note().hidden).toBe(false);
    expect(note().textContent).toMatch(/New kernel: .*variables are gone/);
    expect(cell(0).querySelector(".tt-cell-count")?.textContent).toBe("[4]");
    view.apply({
      type: "cells/status",
      cell: 0,
      status: "running",
      executionCount: null,
      durationS: null,
      check: null,
    });
    expect(note().hidden).toBe(true);
  });

  it("shows each cell's check: passed, failed or not checked", () => {
    const check = (): HTMLElement => cell(0).querySelector<HTMLElement>(".tt-cell-check")!;
    expect(check().hidden).toBe(true);
    for (const [verdict, words] of [
      ["passed", "check passed"],
      ["failed", "check failed"],
      ["not-checked", "not checked"],
    ] as const) {
      view.apply({
        type: "cells/status",
        cell: 0,
        status: "succeeded",
        executionCount: 1,
        durationS: 0.1,
        check: verdict,
      });
      expect([check().hidden, check().textContent, cell(0).dataset.check]).toEqual([false, words, verdict]);
    }
    view.apply({
      type: "cells/status",
      cell: 0,
      status: "running",
      executionCount: null,
      durationS: null,
      check: null,
    });
    expect(check().hidden).toBe(true);
    view.apply({
      type: "cells/init",
      cells: { 0: { ...emptySnapshot(), status: "failed", executionCount: 2, check: "failed" } },
      canRun: true,
      kernel: "idle",
      kernelIsNew: false,
    });
    expect(check().textContent).toBe("check failed");
  });
});
