// RunTracker with a scripted connection: ordering, cancel, lost backend, missing notifications.
import { describe, expect, it } from "vitest";
import type { CancellationToken } from "vscode-jsonrpc";
import type { Event, EventNotification, RunOutcome } from "../../../extension/backend/protocol";
import type { Connection } from "../../../extension/backend/requests";
import { commandSpec } from "../../../extension/commands";
import { MAX_FINISHED_RUNS, RunTracker } from "../../../extension/runs";

class FakeConnection implements Connection {
  calls: {
    method: string;
    params: { runId: string };
    token: CancellationToken;
    resolve: (o: RunOutcome) => void;
    reject: (e: unknown) => void;
  }[] = [];
  sendRequest<R>(method: string, params: unknown, token: CancellationToken): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.calls.push({
        method,
        params: params as { runId: string },
        token,
        resolve: resolve as (o: RunOutcome) => void,
        reject,
      });
    });
  }
}

const note = (runId: string, seq: number, event: Event): EventNotification => ({
  runId,
  seq,
  method: "tenstorrent/testTtXlaInstall",
  event,
});
const log = (line: string): Event => ({ kind: "log", stream: "stdout", lines: [line] });
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function setup() {
  const conn = new FakeConnection();
  const tracker = new RunTracker(() => conn);
  const seen: string[] = [];
  tracker.onDidChange((run, e) => seen.push(e ? (e.kind === "log" ? e.lines[0]! : e.kind!) : `start:${run.id}`));
  const run = tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", { runId: "r1" });
  return { conn, tracker, seen, run };
}

describe("RunTracker", () => {
  it("passes the client-chosen runId and applies events in seq order even if they arrive out of order", async () => {
    const { conn, tracker, seen, run } = setup();
    expect(conn.calls[0]?.params.runId).toBe("r1");
    tracker.handleNotification(note("r1", 1, log("second")));
    expect(seen).toEqual(["start:r1"]); // held until seq 0 arrives
    tracker.handleNotification(note("r1", 0, log("first")));
    tracker.handleNotification(note("r1", 0, log("duplicate")));
    tracker.handleNotification(note("other", 0, log("not mine")));
    tracker.handleNotification(note("r1", 2, { kind: "end", status: "succeeded", exitCode: 0, durationS: 1 }));
    expect(seen).toEqual(["start:r1", "first", "second", "end"]);
    expect((await run.done).status).toBe("succeeded");
    conn.calls[0]?.resolve({ runId: "r1", status: "succeeded", exitCode: 0, durationS: 1 });
    await tick();
    expect(run.outcome?.status).toBe("succeeded");
    expect(run.events).toHaveLength(3); // the response adds nothing after a real end
  });

  it("cancel trips the request's token; a RequestCancelled answer ends the run as cancelled", async () => {
    const { conn, tracker, run } = setup();
    expect(tracker.cancel("r1")).toBe(true);
    expect(conn.calls[0]?.token.isCancellationRequested).toBe(true);
    conn.calls[0]?.reject({ code: -32800, message: "cancelled" });
    expect((await run.done).status).toBe("cancelled");
    expect(tracker.cancel("r1")).toBe(false);
  });

  it("a lost backend fails running runs with a reason, and later events are ignored", async () => {
    const { tracker, run } = setup();
    tracker.backendLost("the backend process exited", true);
    const done = await run.done;
    expect(done.status).toBe("failed");
    const error = done.events.find((e) => e.kind === "error");
    expect(error && "error" in error ? error.error.message : "").toMatch(/backend stopped/);
    tracker.handleNotification(note("r1", 0, log("late")));
    expect(done.events.map((e) => e.kind)).toEqual(["error", "end"]);
  });

  it("a lost run's fixes say whether the backend comes back by itself or must be restarted by command", async () => {
    const fixesAfterLoss = async (restarting: boolean): Promise<string[]> => {
      const { tracker, run } = setup();
      tracker.backendLost("the backend process exited", restarting);
      const error = (await run.done).events.find((e) => e.kind === "error");
      return error && "error" in error ? (error.error.fixes ?? []) : [];
    };
    const restarting = await fixesAfterLoss(true);
    expect(restarting[0]).toBe("Run the step again (the backend restarts by itself)");

    const stopped = await fixesAfterLoss(false);
    const palette = `Tenstorrent: ${commandSpec("tenstorrent.restartBackend")?.title}`;
    expect(palette).toBe("Tenstorrent: Restart the Backend");
    expect(stopped.join("\n")).not.toMatch(/restarts by itself/);
    expect(stopped[0]).toContain(`"${palette}"`);
    expect(stopped[0]).toMatch(/not restarted/);
    expect(stopped.some((f) => f.includes("'Tenstorrent' output"))).toBe(true);
  });

  it("closes a run from the response when its notifications never came", async () => {
    const { conn, run } = setup();
    conn.calls[0]?.resolve({
      runId: "r1",
      status: "failed",
      exitCode: 3,
      durationS: 2,
      error: { code: "workload-failed", message: "boom", fixes: [] },
    });
    const done = await run.done;
    expect(done.status).toBe("failed");
    expect(done.events.map((e) => e.kind)).toEqual(["error", "end"]);
  });

  it("reports InvalidParams problems as a bad-input error listing the fields", async () => {
    const { conn, run } = setup();
    conn.calls[0]?.reject({
      code: -32602,
      message: "Invalid params",
      data: { problems: [{ field: "shape", message: "bad" }] },
    });
    const done = await run.done;
    const error = done.events[0];
    expect(error).toMatchObject({ kind: "error", error: { code: "bad-input", fixes: ["shape: bad"] } });
  });

  it("keeps a bounded history: the oldest finished runs go, running ones stay", async () => {
    const conn = new FakeConnection();
    const tracker = new RunTracker(() => conn, 2);
    const start = (id: string) =>
      tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", { runId: id });
    const end = (id: string) =>
      tracker.handleNotification(note(id, 0, { kind: "end", status: "succeeded", exitCode: 0, durationS: 1 }));
    start("old-running");
    for (const id of ["a", "b", "c", "d"]) {
      start(id);
      end(id);
    }
    expect(tracker.runs.map((r) => r.id)).toEqual(["old-running", "c", "d"]);
    end("old-running");
    expect(tracker.runs.map((r) => r.id)).toEqual(["d", "old-running"]); // c finished first
  });

  it("keeps twenty finished runs by default", () => {
    const conn = new FakeConnection();
    const tracker = new RunTracker(() => conn);
    for (let i = 0; i < 30; i += 1) {
      tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", { runId: `r${i}` });
      tracker.handleNotification(note(`r${i}`, 0, { kind: "end", status: "failed", exitCode: 1, durationS: 0 }));
    }
    expect(tracker.runs).toHaveLength(MAX_FINISHED_RUNS);
    expect(MAX_FINISHED_RUNS).toBe(20);
    expect(tracker.runs[0]?.id).toBe("r10");
  });

  it("fails at once, saying why, when there is no backend", async () => {
    const tracker = new RunTracker(() => undefined);
    const run = tracker.start("tenstorrent.installTtXla", "tenstorrent/installTtXla", { runId: "x" });
    const done = await run.done;
    expect(done.status).toBe("failed");
    expect(JSON.stringify(done.events)).toMatch(/not running/);
  });

  it("stamps each run with the venv in use when it started, and its lesson step when it has one", () => {
    let venv = "/home/me/tt-xla-venv";
    const tracker = new RunTracker(
      () => undefined,
      MAX_FINISHED_RUNS,
      () => venv,
    );
    const origin = { lessonId: "tt-xla-jax", stepId: "step-3" };
    const first = tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", {}, origin);
    venv = "/home/me/other";
    const second = tracker.start("tenstorrent.testTtXlaInstall", "tenstorrent/testTtXlaInstall", {});
    expect([first.venv, first.origin]).toEqual(["/home/me/tt-xla-venv", origin]);
    expect([second.venv, second.origin]).toEqual(["/home/me/other", undefined]);
  });
});
