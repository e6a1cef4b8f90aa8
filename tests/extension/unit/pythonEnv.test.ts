// "Use the TT-XLA Environment for Python in This Workspace" through the PythonEnvUi seam: the
// Python extension present or not, the venv ready or not, and the once-only offer.
import { describe, expect, it, vi } from "vitest";
import type { StatusResult } from "../../../extension/backend/protocol";
import {
  environmentPython,
  offerAfterInstall,
  OFFERED_KEY,
  usePythonEnvironment,
  type PythonEnvironments,
  type PythonEnvUi,
} from "../../../extension/pythonEnv";

const READY: StatusResult = {
  backendVersion: "0",
  packages: {},
  python: "~/tt-xla-venv/bin/python",
  state: "ready",
  ttDevices: [],
  ttSmi: null,
  venv: "~/tt-xla-venv",
};

function fakeEnvs(active = "/usr/bin/python3"): PythonEnvironments<string> & { set: unknown[][] } {
  const set: unknown[][] = [];
  return {
    set,
    getActiveEnvironmentPath: () => ({ id: active, path: active }),
    updateActiveEnvironmentPath: async (env, resource) => void set.push([env, resource]),
  };
}

function fakeUi(o: { envs?: PythonEnvironments<string>; status?: StatusResult; answer?: string; folder?: boolean }) {
  const said: string[] = [];
  const store = new Map<string, unknown>();
  const ui: PythonEnvUi<string> & { said: string[]; executeCommand: ReturnType<typeof vi.fn> } = {
    said,
    pythonEnvironments: vi.fn(async () => o.envs),
    folder: () => (o.folder === false ? undefined : { resource: "file:///work/demo", name: "demo" }),
    status: async () => o.status,
    info: async (m) => (said.push(m), o.answer),
    warn: async (m) => (said.push(m), o.answer),
    executeCommand: vi.fn(async () => undefined),
    memento: { get: (k) => store.get(k), update: async (k, v) => void store.set(k, v) },
  };
  return ui;
}

describe("the venv's python", () => {
  it("is status's python field as given (no ~ expanded here), only for a ready or external environment", () => {
    expect(environmentPython(READY)).toBe("~/tt-xla-venv/bin/python");
    expect(environmentPython({ ...READY, state: "external", python: "/opt/env/bin/python" })).toBe(
      "/opt/env/bin/python",
    );
    expect(environmentPython({ ...READY, state: "incomplete" })).toBeUndefined();
    expect(environmentPython({ ...READY, python: null })).toBeUndefined();
    expect(environmentPython(undefined)).toBeUndefined();
  });
});

describe("Use the TT-XLA Environment for Python in This Workspace", () => {
  it("sets the workspace folder's interpreter through the Python extension's API", async () => {
    const envs = fakeEnvs();
    const ui = fakeUi({ envs, status: READY });
    expect(await usePythonEnvironment(ui)).toBe("set");
    expect(envs.set).toEqual([["~/tt-xla-venv/bin/python", "file:///work/demo"]]);
    expect(ui.said[0]).toContain("Python in demo now uses the TT-XLA environment");
  });

  it("says so when it is already selected, and changes nothing", async () => {
    const envs = fakeEnvs("~/tt-xla-venv/bin/python");
    const ui = fakeUi({ envs, status: READY, folder: false });
    expect(await usePythonEnvironment(ui)).toBe("already");
    expect(envs.set).toEqual([]);
    expect(ui.said[0]).toContain("in this window already uses");
  });

  it("without the Python extension it says what it would need and offers to install it", async () => {
    const ui = fakeUi({ status: READY, answer: "Install the Python Extension" });
    expect(await usePythonEnvironment(ui)).toBe("no-python-extension");
    expect(ui.said[0]).toMatch(/Python extension \(ms-python\.python\), which is not installed/);
    expect(ui.said[0]).toContain("~/tt-xla-venv/bin/python");
    expect(ui.executeCommand).toHaveBeenCalledWith("workbench.extensions.installExtension", "ms-python.python");
  });

  it("with no environment yet it points to the install", async () => {
    const envs = fakeEnvs();
    const ui = fakeUi({ envs, status: { ...READY, state: "missing", python: null }, answer: "Install TT-XLA" });
    expect(await usePythonEnvironment(ui)).toBe("no-environment");
    expect(envs.set).toEqual([]);
    expect(ui.executeCommand).toHaveBeenCalledWith("tenstorrent.installTtXla");
  });
});

describe("the offer after an install", () => {
  it("comes once, whatever the answer, and runs the command when taken", async () => {
    const envs = fakeEnvs();
    const ui = fakeUi({ envs, status: READY, answer: "Use for Python" });
    expect(await offerAfterInstall(ui)).toBe(true);
    expect(envs.set).toHaveLength(1);
    expect(ui.memento.get(OFFERED_KEY)).toBe(true);
    expect(await offerAfterInstall(ui)).toBe(false);
    expect(envs.set).toHaveLength(1);
  });

  it("is not made (nor remembered) without the Python extension", async () => {
    const ui = fakeUi({ status: READY });
    expect(await offerAfterInstall(ui)).toBe(false);
    expect(ui.memento.get(OFFERED_KEY)).toBeUndefined();
    expect(ui.said).toEqual([]);
  });
});
