// The cells' host pieces: parsing the page's messages, the backend kernel (the protocol's nbformat
// outputs passed on as they are) over a fake connection, scratch file names and trust.
import { describe, expect, it, vi } from "vitest";

vi.mock("vscode", () => ({
  workspace: { isTrusted: true },
  window: {},
  env: {},
}));

import type { CellResult, Event, EventNotification } from "../../../extension/backend/protocol";
import type { Connection } from "../../../extension/backend/requests";
import { cellsMayRun, exportedMessage, saveFolder, scratchName } from "../../../extension/cells/host";
import { BackendKernel } from "../../../extension/cells/kernel";
import { MAX_CODE_CHARS } from "../../../extension/backend/routes.generated";
import { parseCellMessage } from "../../../extension/shared/cellMessages";
import type { CellOutput, OutputOrClear } from "../../../extension/shared/cellModel";
import { RunTracker } from "../../../extension/runs";
import { DEFAULTS } from "../defaults";

describe("parseCellMessage", () => {
  it("accepts well-formed requests for cells of the lesson", () => {
    expect(parseCellMessage({ type: "cell/run", cell: 1, code: "x" }, 2)).toEqual({
      type: "cell/run",
      cell: 1,
      code: "x",
    });
    expect(parseCellMessage({ type: "cell/edit", cell: 0, code: null, at: 5 }, 2)).toEqual({
      type: "cell/edit",
      cell: 0,
      code: null,
      at: 5,
    });
    expect(parseCellMessage({ type: "cell/reset", cell: 1, at: 6 }, 2)).toEqual({ type: "cell/reset", cell: 1, at: 6 });
    expect(parseCellMessage({ type: "kernel/restart", extra: 1 }, 2)).toEqual({ type: "kernel/restart" });
  });

  it("refuses other cells, odd numbers, huge code, bad Run all lists", () => {
    for (const bad of [
      { type: "cell/run", cell: 2, code: "x" },
      { type: "cell/run", cell: -1, code: "x" },
      { type: "cell/run", cell: 0.5, code: "x" },
      { type: "cell/run", cell: "0", code: "x" },
      { type: "cell/run", cell: 0, code: "x".repeat(MAX_CODE_CHARS + 1) },
      { type: "cell/interrupt", cell: 0 },
      { type: "cell/edit", cell: 0, code: "x" }, // no time: which copy is newer cannot be told
      { type: "cell/reset", cell: 0, at: "now" },
      { type: "cell/runAll", cells: [{ cell: 5, code: "x" }] },
      { type: "cell/runAll", cells: "all" },
      { type: "cell/nope" },
    ]) {
      expect(parseCellMessage(bad, 2)).toBeUndefined();
    }
  });
});

/** A fake backend: answers runCell after sending its events as notifications to the tracker. */
function fakeBackend(
  events: Event[],
  result: unknown,
): { conn: Connection; sent: [string, unknown][]; tracker: RunTracker } {
  const sent: [string, unknown][] = [];
  const box: { tracker?: RunTracker } = {};
  const conn: Connection = {
    sendRequest: <R>(method: string, params: unknown): Promise<R> => {
      sent.push([method, params]);
      if (method !== "tenstorrent/runCell")
        return Promise.resolve({ lessonId: "l", state: "idle", action: "interrupted" } as R);
      const runId = (params as { runId: string }).runId;
      events.forEach((event, seq) => box.tracker?.handleNotification({ runId, seq, event } as EventNotification));
      return Promise.resolve({ runId, status: "succeeded", exitCode: 0, durationS: 0.3, result } as R);
    },
  };
  const tracker = new RunTracker(() => conn);
  box.tracker = tracker;
  return { conn, sent, tracker };
}

describe("BackendKernel", () => {
  it("runs a cell as a tracked runCell, streams its outputs and reads the CellResult", async () => {
    const { conn, sent, tracker } = fakeBackend(
      [
        { kind: "cell-output", cell: 1, output: { output_type: "stream", name: "stdout", text: "64.0\n" } },
        {
          kind: "cell-output",
          cell: 1,
          output: {
            output_type: "display_data",
            data: { "image/png": "AAAA" },
            metadata: { "image/png": { width: 4 } },
          },
        },
        { kind: "end", status: "succeeded", exitCode: 0, durationS: 0.3 },
      ],
      {
        kind: "cell",
        lessonId: "tt-xla-jax",
        cell: 1,
        status: "succeeded",
        executionCount: 4,
        durationS: 0.3,
        outputs: 1,
        truncated: true,
        droppedChars: 10,
        droppedLines: 2,
        kernelStarted: false,
        check: { status: "not-checked", failures: [], hint: null },
      },
    );
    const kernel = new BackendKernel({
      lessonId: "tt-xla-jax",
      tracker,
      connection: () => conn,
      settings: () => DEFAULTS,
    });
    const outputs: OutputOrClear[] = [];
    const outcome = await kernel.run(1, "print(jnp.ones(64).sum())", (o) => outputs.push(o));
    expect(outcome).toEqual({
      status: "succeeded",
      executionCount: 4,
      durationS: 0.3,
      dropped: { lines: 2, chars: 10 },
      check: "not-checked",
    });
    // The protocol's nbformat objects, as they came (no mapping between the two).
    expect(outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "64.0\n" },
      { output_type: "display_data", data: { "image/png": "AAAA" }, metadata: { "image/png": { width: 4 } } },
    ]);
    const [method, params] = sent[0]!;
    expect(method).toBe("tenstorrent/runCell");
    expect(params).toMatchObject({
      lessonId: "tt-xla-jax",
      cell: 1,
      code: "print(jnp.ones(64).sum())",
      venv: DEFAULTS.venvPath,
    });
  });

  it("a cell that ran but failed its check ends failed, with what did not hold and the hint", async () => {
    const result = {
      kind: "cell" as const,
      lessonId: "tt-xla-jax",
      cell: 0,
      status: "succeeded" as const,
      executionCount: 1,
      durationS: 0.1,
      outputs: 0,
      truncated: false,
      droppedChars: 0,
      droppedLines: 0,
      kernelStarted: false,
      check: { status: "not-checked", failures: [], hint: null },
    };
    const failed = { status: "failed" as const, failures: ["float(z) == 32.0 is false"], hint: "Run the doctor." };
    const run = async (check?: typeof failed | { status: "passed"; failures: []; hint: null }) => {
      const { conn, tracker } = fakeBackend([{ kind: "end", status: "succeeded", exitCode: 0, durationS: 0.1 }], {
        ...result,
        ...(check ? { check } : {}),
      });
      const kernel = new BackendKernel({
        lessonId: "tt-xla-jax",
        tracker,
        connection: () => conn,
        settings: () => DEFAULTS,
      });
      const outputs: OutputOrClear[] = [];
      return { outcome: await kernel.run(0, "z = 1", (o) => outputs.push(o)), outputs };
    };
    const bad = await run(failed);
    expect(bad.outcome.status).toBe("failed");
    expect(bad.outputs).toEqual([
      {
        output_type: "stream",
        name: "stderr",
        text: "Check failed:\n  - float(z) == 32.0 is false\nHint: Run the doctor.\n",
      },
    ]);
    const good = await run({ status: "passed", failures: [], hint: null });
    expect([good.outcome.status, good.outputs]).toEqual(["succeeded", []]);
    expect((await run()).outcome.status).toBe("succeeded"); // not checked
  });

  it("a run that could not start shows its error in the cell and ends failed", async () => {
    const { conn, tracker } = fakeBackend(
      [
        { kind: "error", error: { code: "venv-not-ready", message: "No venv", fixes: ["Install TT-XLA"] } },
        { kind: "end", status: "failed", exitCode: null, durationS: 0 },
      ],
      undefined,
    );
    const kernel = new BackendKernel({ lessonId: "l", tracker, connection: () => conn, settings: () => DEFAULTS });
    const outputs: OutputOrClear[] = [];
    const outcome = await kernel.run(0, "x", (o) => outputs.push(o));
    expect(outcome.status).toBe("failed");
    expect(outputs).toEqual([
      { output_type: "error", ename: "Error", evalue: "No venv", traceback: ["No venv", "  - Install TT-XLA"] },
    ]);
  });

  it("a kernel that died ends the run failed: its CellResult comes from the result event, its message into the cell", async () => {
    const died: CellResult = {
      kind: "cell",
      lessonId: "l",
      cell: 0,
      status: "died",
      executionCount: null,
      durationS: 1.5,
      outputs: 0,
      truncated: false,
      droppedChars: 0,
      droppedLines: 0,
      kernelStarted: false,
      check: { status: "not-checked", failures: [], hint: null },
    };
    const { conn, tracker } = fakeBackend(
      [
        { kind: "result", result: died },
        { kind: "error", error: { code: "kernel-died", message: "The kernel died: its process ended", fixes: [] } },
        { kind: "end", status: "failed", exitCode: null, durationS: 1.5 },
      ],
      undefined,
    );
    const kernel = new BackendKernel({ lessonId: "l", tracker, connection: () => conn, settings: () => DEFAULTS });
    const outputs: OutputOrClear[] = [];
    const outcome = await kernel.run(0, "import os; os._exit(1)", (o) => outputs.push(o));
    expect(outcome).toMatchObject({ status: "died", durationS: 1.5 });
    expect(outputs).toMatchObject([{ output_type: "error", evalue: "The kernel died: its process ended" }]);
  });

  it("interrupts, restarts and exports through the kernel requests", async () => {
    const { conn, sent, tracker } = fakeBackend([], undefined);
    const kernel = new BackendKernel({ lessonId: "l", tracker, connection: () => conn, settings: () => DEFAULTS });
    await kernel.interrupt();
    await kernel.restart();
    expect(await kernel.start()).toBe("idle");
    const out: CellOutput = {
      output_type: "execute_result",
      execution_count: 1,
      data: { "text/plain": "1" },
      metadata: {},
    };
    await kernel.exportNotebook("/tmp/x.ipynb", [
      {
        cell: 0,
        code: "1",
        snapshot: {
          status: "succeeded",
          executionCount: 1,
          durationS: 0,
          outputs: [out],
          dropped: { items: 0, lines: 0, chars: 0 },
        },
      },
    ]);
    expect(sent.map(([m]) => m)).toEqual([
      "tenstorrent/interruptKernel",
      "tenstorrent/restartKernel",
      "tenstorrent/startKernel",
      "tenstorrent/exportNotebook",
    ]);
    expect(sent[3]?.[1]).toMatchObject({
      lessonId: "l",
      path: "/tmp/x.ipynb",
      cells: [
        // nbformat's code cell, its outputs the very objects the cell keeps.
        { source: "1", execution_count: 1, outputs: [out] },
      ],
    });
    const dead = new BackendKernel({ lessonId: "l", tracker, connection: () => undefined, settings: () => DEFAULTS });
    await expect(dead.interrupt()).rejects.toThrow(/not running/);
  });
});

describe("host helpers", () => {
  it("names a scratch file so a changed one is never overwritten", async () => {
    const files = new Map([
      ["cell-2.py", "mine\n"],
      ["cell-2-2.py", "print(1)\n"],
    ]);
    const read = (n: string): Promise<string | undefined> => Promise.resolve(files.get(n));
    expect(await scratchName(0, "print(1)\n", read)).toBe("cell-1.py");
    expect(await scratchName(1, "print(1)\n", read)).toBe("cell-2-2.py"); // same code: reused
    expect(await scratchName(1, "other\n", read)).toBe("cell-2-3.py");
  });

  it("bundled lessons run anywhere; others only in a trusted workspace", () => {
    expect(cellsMayRun(true, false)).toEqual({ ok: true });
    expect(cellsMayRun(false, true)).toEqual({ ok: true });
    expect(cellsMayRun(false, false)).toMatchObject({ ok: false, why: expect.stringMatching(/not trusted/) });
  });
});

describe("Export as Notebook: where the dialog starts and what the toast says", () => {
  it("starts in the workspace folder, or home when there is none or it holds the lesson's own source", () => {
    const holds = (dir: string) => dir === "/repo/lessons";
    expect(saveFolder("/work/project", "/home/me", holds)).toBe("/work/project");
    expect(saveFolder(undefined, "/home/me", holds)).toBe("/home/me");
    expect(saveFolder("/repo/lessons", "/home/me", holds)).toBe("/home/me");
  });

  it("names the kernelspec registered outside the workspace", () => {
    expect(exportedMessage("/w/tt-xla-jax.ipynb", "/home/me/.local/share/jupyter/kernels/tt-xla-1")).toBe(
      "Saved the lesson as a notebook: /w/tt-xla-jax.ipynb. Its kernel (the TT-XLA venv) is registered for " +
        "Jupyter in /home/me/.local/share/jupyter/kernels/tt-xla-1.",
    );
    expect(exportedMessage("/w/a.ipynb", undefined)).toBe("Saved the lesson as a notebook: /w/a.ipynb.");
  });
});
