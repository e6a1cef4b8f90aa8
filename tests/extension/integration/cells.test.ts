// The lesson's cells against the real backend and a real Jupyter kernel in the CPU test venv:
// the host's controller, the backend kernel adapter and the run tracker, as the lesson panel wires
// them, with a fake page and editor UI. Edit Step 2's cell to ones(64), run it (64.0), names carry
// over to the next cell, an endless loop is interrupted, a cell that kills its process reports a
// dead kernel and the next run gets a fresh one, and the notebook export holds the edits.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";
import type { EventNotification } from "../../../extension/backend/protocol";
import { SERVER_ARGS, serverEnv } from "../../../extension/backend/python";
import { CellsController } from "../../../extension/cells/controller";
import { BackendKernel } from "../../../extension/cells/kernel";
import type { CellsToWebview } from "../../../extension/shared/cellMessages";
import type { CellStatus } from "../../../extension/shared/cellModel";
import { CellStore } from "../../../extension/cells/store";
import { parseLesson } from "../../../extension/lesson/frontmatter";
import { renderLesson } from "../../../extension/lesson/render";
import { RunTracker } from "../../../extension/runs";
import { DEFAULTS } from "../defaults";
import { backendPython, REPO, TEST_VENV } from "./paths";

let proc: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
let tracker: RunTracker;
let ctl: CellsController;
const posted: CellsToWebview[] = [];
const errors: string[] = [];
const lesson = parseLesson(readFileSync(join(REPO, "lessons", "tt-xla-jax.md"), "utf8"));
const { cells } = renderLesson(lesson.body);
const step2 = cells.findIndex((c) => c.source.includes("jnp.ones(32)"));
const other = cells.findIndex((c, i) => i !== step2 && c.runnable);
const exportDir = mkdtempSync(join(tmpdir(), "tt-cells-"));
const exported: [string, string | undefined][] = [];

beforeAll(async () => {
  proc = spawn(backendPython(), [...SERVER_ARGS], { env: serverEnv(REPO, [3, 11], process.env), cwd: REPO });
  proc.stderr.on("data", () => undefined);
  conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  tracker = new RunTracker(() => conn);
  conn.onNotification("tenstorrent/event", (note: EventNotification) => tracker.handleNotification(note));
  conn.listen();
  await conn.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification("initialized", {});
  const data = new Map<string, unknown>();
  ctl = new CellsController({
    lessonId: lesson.meta.id,
    cells,
    kernel: new BackendKernel({
      lessonId: lesson.meta.id,
      tracker,
      connection: () => conn,
      settings: () => ({ ...DEFAULTS, venvPath: TEST_VENV }),
    }),
    store: new CellStore(
      { get: (k) => data.get(k), update: (k, v) => Promise.resolve(void data.set(k, v)) },
      lesson.meta.id,
    ),
    ui: {
      copy: () => Promise.resolve(),
      openAsFile: () => Promise.resolve(),
      askSavePath: () => Promise.resolve(join(exportDir, "lesson.ipynb")),
      info: () => undefined,
      exported: (notebook, kernelspec) => void exported.push([notebook, kernelspec]),
      error: (m) => void errors.push(m),
    },
    post: (m) => void posted.push(m),
    canRun: () => ({ ok: true }),
    session: "integration",
  });
});

afterAll(async () => {
  ctl?.dispose();
  await conn
    ?.sendRequest("tenstorrent/restartKernel", { lessonId: lesson.meta.id, venv: TEST_VENV })
    .catch(() => undefined);
  conn?.dispose();
  proc?.kill();
});

/** Statuses posted for `cell` from message `from` on. */
const statuses = (cell: number, from: number): CellStatus[] =>
  posted.slice(from).flatMap((m) => (m.type === "cells/status" && m.cell === cell ? [m.status] : []));
const text = (cell: number, from: number): string =>
  posted
    .slice(from)
    .flatMap((m) => (m.type === "cells/output" ? m.items : []))
    .flatMap((i) => (i.cell === cell && "output" in i ? [JSON.stringify(i.output)] : []))
    .join("\n");

async function run(
  cell: number,
  code: string,
  until: CellStatus[] = ["succeeded", "failed", "interrupted", "died"],
): Promise<{ status: CellStatus; from: number }> {
  const from = posted.length;
  ctl.receive({ type: "cell/run", cell, code });
  const status = await vi.waitFor(
    () => {
      const s = statuses(cell, from).find((x) => until.includes(x));
      if (!s) throw new Error(`cell ${cell}: ${statuses(cell, from).join(",")}\n${text(cell, from)}`);
      return s;
    },
    { timeout: 110_000, interval: 50 },
  );
  return { status, from };
}

describe("Run Python File", () => {
  it("runs a .py in the venv and streams what it prints as log lines (what the output channel shows)", async () => {
    const file = join(exportDir, "hello.py");
    writeFileSync(file, "import jax.numpy as jnp\nprint('sum', float(jnp.ones(64).sum()))\n");
    const run = await tracker.start("tenstorrent.runPythonFile", "tenstorrent/runFile", { path: file, venv: TEST_VENV })
      .done;
    const lines = run.events.flatMap((e) => (e.kind === "log" ? e.lines : []));
    expect(run.status, lines.join("\n")).toBe("succeeded");
    expect(lines).toContain("sum 64.0");
  });
});

describe("lesson cells in a real kernel", () => {
  it("opening the lesson starts its kernel ahead: starting, then idle, with no cell run", async () => {
    ctl.init();
    await vi.waitFor(
      () => expect(posted.flatMap((m) => (m.type === "cells/kernel" ? [m.state] : [])).at(-1)).toBe("idle"),
      { timeout: 60_000, interval: 200 },
    );
    expect(posted.some((m) => m.type === "cells/status")).toBe(false);
  });

  it("Step 2's cell edited to ones(64) prints 64.0; the next cell sees its names", async () => {
    expect(step2).toBeGreaterThanOrEqual(0);
    const code = cells[step2]!.source.replaceAll("jnp.ones(32)", "jnp.ones(64)");
    const first = await run(step2, code);
    // The cell runs; the lesson's check (z == 32.0) then catches the changed value.
    expect(first.status, text(step2, first.from)).toBe("failed");
    expect(text(step2, first.from)).toMatch(/64\.0/);
    expect(text(step2, first.from)).toMatch(/Check failed:.*float\(z\) == 32\.0 is false/);
    // Replacing a cell's code keeps its check: the mesh cell's check (on y) fails, the code ran.
    const next = await run(other, "print(float(z) * 2)");
    expect(text(other, next.from)).toContain("128.0");
    expect(text(other, next.from)).not.toContain("Traceback");
  });

  it("a cell that loops forever is interrupted", async () => {
    const from = posted.length;
    const looping = run(other, "import time\nwhile True:\n    time.sleep(0.05)");
    await vi.waitFor(() => expect(statuses(other, from)).toContain("running"), { timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 500)); // inside the loop, not still starting
    ctl.receive({ type: "cell/interrupt", cell: other, kill: false });
    const { status } = await looping;
    expect(status, text(other, from)).toBe("interrupted");
    expect(text(other, from)).toContain("KeyboardInterrupt");
  });

  it("a cell that kills its process reports a dead kernel; the next run starts a fresh one", async () => {
    const died = await run(other, "import os\nos._exit(3)");
    expect(died.status, text(other, died.from)).toBe("died");
    expect(text(other, died.from)).toMatch(/kernel/i);
    const again = await run(other, "print('fresh', 'z' in dir())");
    expect(again.status, text(other, again.from)).not.toBe("died");
    expect(text(other, again.from)).toContain("fresh False");
  });

  it("exports the lesson as a notebook with the edited code and its output", async () => {
    ctl.receive({
      type: "cell/edit",
      cell: step2,
      code: cells[step2]!.source.replaceAll("jnp.ones(32)", "jnp.ones(64)"),
      at: Date.now(),
    });
    ctl.receive({ type: "notebook/export" });
    const file = join(exportDir, "lesson.ipynb");
    const nb = await vi.waitFor(
      () =>
        JSON.parse(readFileSync(file, "utf8")) as {
          cells: { cell_type: string; source: string | string[]; outputs?: unknown[] }[];
          metadata: { kernelspec?: { display_name?: string } };
        },
      {
        timeout: 30_000,
      },
    );
    const src = (c: { source: string | string[] }): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
    const edited = nb.cells.find((c) => c.cell_type === "code" && src(c).includes("jnp.ones(64)"));
    expect(edited, JSON.stringify(nb.cells.map(src))).toBeDefined();
    expect(JSON.stringify(edited?.outputs)).toMatch(/64\.0/);
    expect(nb.metadata.kernelspec?.display_name).toMatch(/TT-XLA/);
    // The toast names the kernelspec the export registered outside the workspace.
    await vi.waitFor(() => expect(exported).toHaveLength(1));
    expect(exported[0]?.[0]).toBe(file);
    expect(exported[0]?.[1]).toMatch(/[/\\]kernels[/\\]tt-xla-[0-9a-f]{10}$/);
    expect(errors).toEqual([]);
  });
});
