// The extension's run tracking against the real backend: `python -m tt_lessons.cli serve` as a
// subprocess, spoken to with vscode-jsonrpc exactly as vscode-languageclient does (LSP framing,
// initialize first, `$/cancelRequest` on cancel).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from "vscode-jsonrpc/node";
import type { Event, EventNotification, SanityResult } from "../../../extension/backend/protocol";
import { SERVER_ARGS, serverEnv } from "../../../extension/backend/python";
import { request } from "../../../extension/backend/requests";
import { RunTracker, newRunId } from "../../../extension/runs";
import { paramsFor, statusParams } from "../../../extension/settings";
import { DEFAULTS } from "../defaults";
import { backendPython, REPO, TEST_VENV } from "./paths";

let proc: ChildProcessWithoutNullStreams;
let conn: MessageConnection;
let tracker: RunTracker;
const notes: EventNotification[] = [];
const settings = { ...DEFAULTS, venvPath: TEST_VENV };

beforeAll(async () => {
  // The same environment the extension gives the server, with this checkout as "the extension".
  proc = spawn(backendPython(), [...SERVER_ARGS], { env: serverEnv(REPO, [3, 11], process.env), cwd: REPO });
  proc.stderr.on("data", () => undefined);
  conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  tracker = new RunTracker(() => conn);
  conn.onNotification("tenstorrent/event", (note: EventNotification) => {
    notes.push(note);
    tracker.handleNotification(note);
  });
  conn.listen();
  await conn.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification("initialized", {});
});

afterAll(async () => {
  conn?.dispose();
  proc?.kill();
});

const kinds = (events: Event[]): string[] => events.map((e) => e.kind ?? "?");

describe("the real backend", () => {
  it("reports the test venv as ready", async () => {
    const status = await request(conn, "tenstorrent/status", statusParams(settings));
    expect(status.state).toBe("ready");
    expect(status.venv).toBe(TEST_VENV);
    expect(status.packages.jax).toMatch(/^\d+\.\d+/);
  });

  it("streams a sanity run's events in order and ends with its result", async () => {
    const runId = newRunId("tenstorrent.testTtXlaInstall");
    const run = tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", {
      ...paramsFor("tenstorrent/testTtXlaInstall", settings),
      runId,
    });
    const finished = await run.done;
    expect(finished.status).toBe("succeeded");
    const mine = notes.filter((n) => n.runId === runId);
    expect(mine.map((n) => n.seq)).toEqual(mine.map((_, i) => i)); // 0, 1, 2, ... no gaps
    expect(kinds(finished.events).at(-1)).toBe("end");
    expect(kinds(finished.events)).toContain("log");
    expect(kinds(finished.events)).toContain("progress");
    const result = finished.events.find((e) => e.kind === "result");
    const sanity = (result as { result: SanityResult }).result;
    expect(sanity.kind).toBe("sanity");
    expect(sanity.value).toBe(32);
    expect(sanity.ttDevice).toBe(false);
    // `done` resolves on the `end` notification; the response follows it.
    await vi.waitFor(() => expect(finished.outcome?.status).toBe("succeeded"));
  });

  it("answers bad params with InvalidParams naming the field", async () => {
    const err = await request(conn, "tenstorrent/runMeshExample", { venv: TEST_VENV, shape: "two-by-two" }).then(
      () => undefined,
      (e: unknown) => e as { code: number; data?: { problems?: { field: string }[] } },
    );
    expect(err?.code).toBe(-32602);
    expect(err?.data?.problems?.map((p) => p.field)).toContain("shape");
  });

  it("turns an InvalidParams answer into a failed run with the problem listed", async () => {
    const run = tracker.start("tenstorrent.runCnnExample", "tenstorrent/runCnnExample", {
      runId: newRunId("cnn"),
      venv: TEST_VENV,
      epochs: 0,
    });
    const finished = await run.done;
    expect(finished.status).toBe("failed");
    const error = finished.events.find((e) => e.kind === "error") as { error: { code: string; fixes: string[] } };
    expect(error.error.code).toBe("bad-input");
    expect(error.error.fixes.join(" ")).toMatch(/epochs/);
  });

  it("cancels a run: the backend ends it with status cancelled", async () => {
    const runId = newRunId("tenstorrent.testTtXlaInstall");
    const run = tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", {
      ...paramsFor("tenstorrent/testTtXlaInstall", settings),
      runId,
    });
    await new Promise<void>((resolve) => {
      const sub = tracker.onDidChange((r, e) => {
        if (r.id === runId && e) {
          sub.dispose();
          resolve();
        }
      });
    });
    expect(tracker.cancel(runId)).toBe(true);
    const finished = await run.done;
    expect(finished.status).toBe("cancelled");
    // The `end` came from the backend itself (a notification), not made up by the tracker.
    const end = notes.find((n) => n.runId === runId && n.event.kind === "end");
    expect(end?.event).toMatchObject({ kind: "end", status: "cancelled" });
  });

  it("a cancel token from vscode-jsonrpc sends $/cancelRequest and the request rejects", async () => {
    const source = new CancellationTokenSource();
    const runId = newRunId("raw");
    const pending = request(conn, "tenstorrent/testTtXlaInstall", { venv: TEST_VENV, runId }, source.token);
    const rejected = expect(pending).rejects.toMatchObject({ code: -32800 });
    // Cancel once the run has really started (its first event), not after a guessed delay.
    const generous = { timeout: 60_000, interval: 20 };
    await vi.waitFor(() => expect(notes.some((n) => n.runId === runId)).toBe(true), generous);
    source.cancel();
    await rejected;
    // The backend's own `end` may come just before or just after the answer.
    await vi.waitFor(() => {
      const end = notes.find((n) => n.runId === runId && n.event.kind === "end");
      expect(end?.event).toMatchObject({ status: "cancelled" });
    }, generous);
  });
});
