// BackendStarter: which interpreter starts the backend, what happens when none fits, and that
// starts and the deactivation stop never overlap.
import { describe, expect, it, vi } from "vitest";
import { NO_PYTHON } from "../../../extension/backend/notices";
import type { Interpreter, PythonSources } from "../../../extension/backend/python";
import { BackendStarter, type StartDeps } from "../../../extension/backend/start";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function setup(versions: Record<string, string>, setting = "") {
  const calls: string[] = [];
  const backend = {
    start: vi.fn(async (python: Interpreter) => void calls.push(`start ${python.path}`)),
    stop: vi.fn(async () => void calls.push("stop")),
  };
  const sources: PythonSources = {
    setting,
    pythonExtension: async () => "/ext/python",
    probe: async (path) => {
      const v = versions[path];
      if (!v) throw new Error("ENOENT");
      return `${v}\n`;
    },
  };
  const problems: string[] = [];
  const ui = { showError: vi.fn(async () => undefined), showWarning: vi.fn(), executeCommand: vi.fn() };
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
  const deps: StartDeps = {
    backend,
    sources: () => sources,
    trusted: () => true,
    ui,
    log,
    setProblem: (text) => problems.push(text),
  };
  return { starter: new BackendStarter(deps), deps, backend, calls, problems, ui, log };
}

describe("BackendStarter", () => {
  it("starts the backend with the first interpreter that fits", async () => {
    const { starter, calls } = setup({ "/ext/python": "3.12", python3: "3.11" });
    await starter.start();
    expect(calls).toEqual(["start /ext/python"]);
  });

  it("does not ask the Python extension in an untrusted workspace", async () => {
    const { starter, deps, calls } = setup({ "/ext/python": "3.12", python3: "3.11" });
    deps.trusted = () => false;
    await starter.start();
    expect(calls).toEqual(["start python3"]);
  });

  it("with no interpreter: stops any backend, shows the problem and the notice without waiting for it", async () => {
    const { starter, calls, problems, ui } = setup({});
    ui.showError.mockReturnValue(new Promise(() => undefined)); // nobody answers the notice
    await starter.start();
    expect(calls).toEqual(["stop"]);
    expect(problems).toEqual([NO_PYTHON]);
    expect(ui.showError).toHaveBeenCalledOnce();
    await starter.stop(); // not held up by the unanswered notice
    expect(calls).toEqual(["stop", "stop"]);
  });

  it("a start that fails is logged and shown, and the next start still runs", async () => {
    const { starter, backend, problems, log, calls } = setup({ python3: "3.11" });
    backend.start.mockRejectedValueOnce(new Error("spawn EACCES"));
    await starter.start();
    expect(problems).toEqual(["The backend failed to start: Error: spawn EACCES"]);
    expect(log.error).toHaveBeenCalledWith(expect.stringMatching(/EACCES/));
    await starter.start();
    expect(calls).toEqual(["start python3"]);
  });

  it("stop() waits for a start in progress, then for the backend to stop", async () => {
    const { starter, backend, calls } = setup({ python3: "3.11" });
    const starting = deferred();
    const stopping = deferred();
    backend.start.mockImplementationOnce(async (python) => {
      await starting.promise;
      calls.push(`start ${python.path}`);
    });
    backend.stop.mockImplementationOnce(async () => {
      await stopping.promise;
      calls.push("stop");
    });
    void starter.start();
    let stopped = false;
    const stop = starter.stop().then(() => (stopped = true));
    await new Promise((r) => setImmediate(r));
    expect(backend.stop).not.toHaveBeenCalled(); // the start is still in progress
    starting.resolve();
    await vi.waitFor(() => expect(backend.stop).toHaveBeenCalledOnce());
    expect(stopped).toBe(false); // deactivate() is still waiting for the process to go
    stopping.resolve();
    await stop;
    expect(calls).toEqual(["start python3", "stop"]);
  });
});
