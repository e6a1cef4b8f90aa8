// `request` is typed by the generated `Requests` (the backend's routes/ through the schema):
// each method takes its own params and answers its own result. tsc (`npx tsc --noEmit -p .`)
// checks the expectTypeOf lines and that every ts-expect-error line below really fails to compile.
import { describe, expect, expectTypeOf, it } from "vitest";
import { CancellationToken } from "vscode-jsonrpc";
import type { MeshParams, RunOutcome, StatusParams, StatusResult } from "../../../extension/backend/protocol";
import { request, type Connection, type ParamsOf, type ResultOf } from "../../../extension/backend/requests";
import type { RunMethod } from "../../../extension/commands";
import { RunTracker } from "../../../extension/runs";

class Recorder implements Connection {
  sent: { method: string; params: unknown; token: CancellationToken }[] = [];
  sendRequest<R>(method: string, params: unknown, token: CancellationToken): Promise<R> {
    this.sent.push({ method, params, token });
    return new Promise<R>(() => undefined); // never answers: these tests look at what was sent
  }
}

describe("typed requests", () => {
  it("pairs each method with its params and its result", () => {
    expectTypeOf<ParamsOf<"tenstorrent/status">>().toEqualTypeOf<StatusParams>();
    expectTypeOf<ResultOf<"tenstorrent/status">>().toEqualTypeOf<StatusResult>();
    expectTypeOf<ParamsOf<"tenstorrent/runMeshExample">>().toEqualTypeOf<MeshParams>();
    expectTypeOf<ResultOf<RunMethod>>().toEqualTypeOf<RunOutcome>();
    const conn = new Recorder();
    expectTypeOf(request(conn, "tenstorrent/status", { venv: "/v" })).toEqualTypeOf<Promise<StatusResult>>();
    expectTypeOf(request(conn, "tenstorrent/doctor", {})).toEqualTypeOf<Promise<RunOutcome>>();
  });

  it("sends the method name and params unchanged, with a token even when given none", () => {
    const conn = new Recorder();
    void request(conn, "tenstorrent/runMeshExample", { venv: "/v", shape: "2x4" });
    expect(conn.sent).toEqual([
      { method: "tenstorrent/runMeshExample", params: { venv: "/v", shape: "2x4" }, token: CancellationToken.None },
    ]);
  });

  it("does not compile with another method's params or a wrongly typed field", () => {
    const conn = new Recorder();
    // @ts-expect-error: `shape` is runMeshExample's, not status's
    void request(conn, "tenstorrent/status", { venv: "/v", shape: "2x2" });
    // @ts-expect-error: `epochs` is a number
    void request(conn, "tenstorrent/runCnnExample", { epochs: "8" });
    // @ts-expect-error: a notification, not a request
    void request(conn, "tenstorrent/event", {});
    const tracker = new RunTracker(() => conn);
    // @ts-expect-error: the tracker checks params against the method too
    tracker.start("tenstorrent.runMeshExample", "tenstorrent/runMeshExample", { runId: "m1", epochs: 3 });
    // @ts-expect-error: status is not a run
    tracker.start("tenstorrent.status", "tenstorrent/status", { venv: "/v" });
    expect(conn.sent.map((c) => c.method)).toEqual([
      "tenstorrent/status",
      "tenstorrent/runCnnExample",
      "tenstorrent/event",
      "tenstorrent/runMeshExample",
      "tenstorrent/status",
    ]);
  });
});
