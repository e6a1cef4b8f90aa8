// Backend.start with a stand-in languageclient: a deliberate restart ends the runs in flight with
// a reason (through onLost) before the old client is stopped.
import { describe, expect, it, vi } from "vitest";
import { Backend } from "../../../extension/backend/client";

const clients = vi.hoisted(() => [] as { state: number; stop: ReturnType<typeof vi.fn> }[]);

vi.mock("vscode-languageclient/node", () => {
  const State = { Stopped: 1, Starting: 3, Running: 2 } as const;
  class LanguageClient {
    state: number = State.Stopped;
    stop = vi.fn(async () => {
      this.state = State.Stopped;
    });
    constructor() {
      clients.push(this);
    }
    onNotification() {
      return { dispose: () => undefined };
    }
    onDidChangeState() {
      return { dispose: () => undefined };
    }
    async start() {
      this.state = State.Running;
    }
  }
  return { LanguageClient, State, CloseAction: { Restart: 2, DoNotRestart: 1 }, ErrorAction: { Continue: 1 } };
});

function backend() {
  const onLost = vi.fn();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
  const hooks = { onEvent: vi.fn(), onLost, onReady: vi.fn(), restart: vi.fn(async () => undefined) };
  return {
    b: new Backend("/ext", log as never, hooks, { showError: vi.fn(), showWarning: vi.fn(), executeCommand: vi.fn() }),
    onLost,
  };
}
const python = { path: "/usr/bin/python3", version: [3, 11, 7] as const, source: "PATH" };

describe("Backend.start", () => {
  it("says nothing on the first start", async () => {
    const { b, onLost } = backend();
    await b.start(python as never);
    expect(b.running).toBe(true);
    expect(onLost).not.toHaveBeenCalled();
  });

  it("ends runs in flight with a reason before a deliberate restart stops the old client", async () => {
    const { b, onLost } = backend();
    await b.start(python as never);
    const first = clients.at(-1);
    onLost.mockImplementation(() => expect(first?.stop).not.toHaveBeenCalled());
    await b.start(python as never);
    expect(onLost).toHaveBeenCalledWith("the backend was restarted", true);
    expect(first?.stop).toHaveBeenCalled();
    expect(b.running).toBe(true);
  });
});
