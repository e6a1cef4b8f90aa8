// The palette handlers registered from the command table, with a stand-in for the `vscode` module
// (only `commands.registerCommand` is reached while registering and running a UI command).
import { beforeEach, describe, expect, it, vi } from "vitest";
import { registerCommands, type HandlerDeps } from "../../../extension/handlers";
import type { RunTracker } from "../../../extension/runs";

const registered = vi.hoisted(() => new Map<string, (...args: unknown[]) => unknown>());

vi.mock("vscode", () => ({
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      registered.set(id, handler);
      return { dispose: () => registered.delete(id) };
    },
  },
  window: { withProgress: () => Promise.resolve() },
  // Every setting at its default, in a trusted workspace.
  workspace: { isTrusted: true, getConfiguration: () => ({ inspect: () => undefined }) },
  ProgressLocation: { Notification: 15, Window: 10 },
}));

function deps(): HandlerDeps & { restartBackend: ReturnType<typeof vi.fn> } {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn(), show: vi.fn() };
  return {
    tracker: {} as RunTracker,
    log: log as unknown as HandlerDeps["log"],
    openLesson: vi.fn(async () => undefined),
    refreshStatus: vi.fn(async () => undefined),
    restartBackend: vi.fn(async () => undefined),
    status: vi.fn(async () => undefined),
    pythonEnv: {} as HandlerDeps["pythonEnv"],
  };
}

describe("registered handlers", () => {
  beforeEach(() => registered.clear());

  it("a run command sends the settings' params and the link's checked arguments, paths unexpanded", () => {
    const d = deps();
    const started: unknown[][] = [];
    const done = new Promise<never>(() => undefined);
    d.tracker = {
      start: (...args: unknown[]) => {
        started.push(args);
        return { id: "run-1", done };
      },
    } as unknown as RunTracker;
    registerCommands(d);
    registered.get("tenstorrent.runMeshExample")?.({ shape: "2x4" });
    // The backend expands `~` and the tracker names the run: neither happens here.
    expect(started).toEqual([
      ["tenstorrent.runMeshExample", "tenstorrent/runMeshExample", { venv: "~/tt-xla-venv", shape: "2x4" }, undefined],
    ]);
    registered.get("tenstorrent.runMeshExample")?.({ shape: "2 by 4" });
    expect(started).toHaveLength(1); // refused: not the MeshParams pattern
  });

  it("Restart the Backend calls the same restart hook as the gave-up notice's button", async () => {
    const d = deps();
    registerCommands(d);
    const restart = registered.get("tenstorrent.restartBackend");
    expect(restart).toBeDefined();
    await restart?.();
    expect(d.restartBackend).toHaveBeenCalledOnce();
    // The Backend row's inline button passes the row; it restarts all the same.
    await restart?.({ id: "backend", contextValue: "backendStopped" });
    expect(d.restartBackend).toHaveBeenCalledTimes(2);
    expect(d.refreshStatus).not.toHaveBeenCalled();
    expect(d.openLesson).not.toHaveBeenCalled();
  });
});
