// Host-side pieces without VS Code: interpreter discovery, restart budget, the page's CSP,
// webview message checks, the status rows.
import { describe, expect, it } from "vitest";
import { findPython, serverEnv } from "../../../extension/backend/python";
import { RestartBudget } from "../../../extension/backend/restart";
import { gate } from "../../../extension/lesson/gate";
import type { RenderedLesson } from "../../../extension/lesson/render";
import { csp, lessonPage } from "../../../extension/lesson/html";
import { DoneSteps } from "../../../extension/lesson/done";
import { deviceSummary, statusRows } from "../../../extension/status/model";
import { parseFromWebview } from "../../../extension/webview/messages";
import type { StatusResult } from "../../../extension/backend/protocol";

const versions: Record<string, string> = { "/opt/py39": "3.9", "/opt/py312": "3.12", python3: "3.11" };
const probe = async (path: string): Promise<string> => {
  const v = versions[path];
  if (!v) throw new Error("ENOENT");
  return `${v}\n`;
};

describe("findPython", () => {
  it("prefers the setting, then the Python extension, then python3", async () => {
    expect(await findPython({ setting: "/opt/py312", pythonExtension: async () => "/opt/py39", probe })).toMatchObject({
      ok: true,
      interpreter: { path: "/opt/py312", version: [3, 12], source: "setting" },
    });
    expect(await findPython({ setting: "", pythonExtension: async () => "/opt/py312", probe })).toMatchObject({
      interpreter: { source: "python-extension" },
    });
  });

  it("skips too-old or broken interpreters and says what it tried", async () => {
    const found = await findPython({ setting: "/nope", pythonExtension: async () => "/opt/py39", probe });
    expect(found).toMatchObject({ ok: true, interpreter: { path: "python3", source: "path" } });
    const none = await findPython({
      setting: "/nope",
      pythonExtension: async () => "/opt/py39",
      probe: async (p) => (p === "/opt/py39" ? "3.9" : Promise.reject(new Error("ENOENT"))),
    });
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.tried.join("\n")).toMatch(/\/nope.*ENOENT[\s\S]*3\.9 is older than 3\.10[\s\S]*python3/);
  });

  it("puts the version's pydantic-core, bundled libs and backend source first on PYTHONPATH", () => {
    const env = serverEnv("/ext", [3, 12], { PYTHONPATH: "/mine", HOME: "/h" });
    expect(env.PYTHONPATH).toBe("/ext/bundled/abi/cp312:/ext/bundled/libs:/ext/python_backend:/mine");
    expect(env.HOME).toBe("/h");
  });
});

describe("RestartBudget", () => {
  it("allows a few restarts per window, then stops, and forgives after a deliberate start", () => {
    const b = new RestartBudget({ maxRestarts: 2, windowMs: 1000 });
    expect([b.allow(0), b.allow(10), b.allow(20)]).toEqual([true, true, false]);
    expect(b.allow(1500)).toBe(true); // the old crashes left the window
    b.reset();
    expect(b.allow(1501)).toBe(true);
  });
});

describe("lesson page", () => {
  it("has a strict CSP: nothing by default, nonce scripts, local styles and images only", () => {
    const policy = csp("vscode-resource:", "abc123");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'nonce-abc123'");
    expect(policy).toContain("style-src vscode-resource:");
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    const html = lessonPage(
      { id: "l", title: "<T>", hardware: ["n300"], minutes: 5 },
      "<p>x</p>",
      { cspSource: "src:", scriptUri: "s.js", styleUri: "s.css" },
      "N0nce",
    );
    expect(html).toContain('<script nonce="N0nce" src="s.js"></script>');
    expect(html).toContain("<title>&lt;T&gt;</title>");
    expect(html.match(/<script/g)).toHaveLength(1); // no inline scripts
  });
});

describe("parseFromWebview", () => {
  it("accepts the four message kinds and drops anything else", () => {
    expect(
      parseFromWebview({ type: "run", stepId: "step-1", command: "tenstorrent.runDoctor", args: { a: 1 } }),
    ).toEqual({
      type: "run",
      stepId: "step-1",
      command: "tenstorrent.runDoctor",
      args: { a: 1 },
    });
    expect(parseFromWebview({ type: "cancel", runId: "r" })).toEqual({ type: "cancel", runId: "r" });
    expect(parseFromWebview({ type: "run", command: "x" })).toBeUndefined();
    expect(parseFromWebview({ type: "eval", code: "1" })).toBeUndefined();
    expect(parseFromWebview("ready")).toBeUndefined();
  });
});

describe("DoneSteps", () => {
  it("remembers succeeded commands once each", async () => {
    const data = new Map<string, unknown>();
    const done = new DoneSteps({
      get: <T>(k: string) => data.get(k) as T,
      update: async (k, v) => void data.set(k, v),
    });
    await done.mark("tenstorrent.installTtXla");
    await done.mark("tenstorrent.installTtXla");
    expect(done.list()).toEqual(["tenstorrent.installTtXla"]);
  });
});

describe("status rows", () => {
  const status: StatusResult = {
    kind: "status",
    venv: "/v",
    state: "ready",
    pythonVersion: "3.11.7",
    packages: { "pjrt-plugin-tt": null, jax: "0.10.2", flax: "0.12.8", transformers: "5.24.0" },
    ttDevices: [],
    ttSmi: null,
    backendVersion: "0.1.0",
  };

  it("shows venv state, versions, CPU fallback and the last sanity check", () => {
    const rows = statusRows(status, undefined);
    const by = Object.fromEntries(rows.map((r) => [r.id, r.description]));
    expect(by.venv).toBe("ready");
    expect(by["pkg-jax"]).toBe("0.10.2");
    expect(by["pkg-pjrt-plugin-tt"]).toMatch(/not installed/);
    expect(by.devices).toMatch(/CPU fallback/);
    expect(by["tt-smi"]).toBe("not found");
    expect(by.sanity).toBe("not run yet");
    expect(deviceSummary(status)).toBe("TT: CPU fallback");
    expect(deviceSummary({ ...status, ttDevices: ["n300 L", "n300 R"] })).toBe("TT: 2 devices");
  });

  it("explains a missing backend instead of showing stale values", () => {
    expect(statusRows(undefined, undefined, "No Python")).toEqual([
      expect.objectContaining({ id: "lesson", contextValue: "lesson" }),
      expect.objectContaining({ description: "No Python", icon: "error" }),
    ]);
  });
});

describe("gate (what the lesson page may ask for)", () => {
  const steps: RenderedLesson["steps"] = [
    { stepId: "step-0", command: "tenstorrent.installTtXla", args: {} },
    { stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "2x4" } },
  ];

  it("runs a rendered step with checked arguments", () => {
    expect(
      gate({ type: "run", stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "2x4" } }, steps),
    ).toEqual({
      kind: "run",
      command: "tenstorrent.runMeshExample",
      args: { shape: "2x4" },
      stepId: "step-1",
    });
  });

  it("refuses steps the page was not rendered with, swapped commands, bad args and foreign commands", () => {
    const refused = [
      { type: "run", stepId: "step-9", command: "tenstorrent.installTtXla" },
      { type: "run", stepId: "step-0", command: "tenstorrent.runCnnExample" },
      { type: "run", stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "1x2 && reboot" } },
      { type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args: { force: true } },
      { type: "command", command: "workbench.action.terminal.sendSequence" },
      { type: "command", command: "tenstorrent.cancelRun" },
      { type: "eval", code: "x" },
    ];
    for (const m of refused) expect(gate(m, steps).kind, JSON.stringify(m)).toBe("refuse");
    expect(gate({ type: "command", command: "tenstorrent.showOutput" }, steps)).toEqual({
      kind: "command",
      command: "tenstorrent.showOutput",
      args: {},
    });
  });

  it("passes a doctor fix's checked arguments, with or without a lesson step", () => {
    const args = { reinstall: true };
    expect(gate({ type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args }, steps)).toEqual({
      kind: "run",
      command: "tenstorrent.installTtXla",
      args,
      stepId: "step-0",
    });
    expect(gate({ type: "command", command: "tenstorrent.installTtXla", args }, steps)).toEqual({
      kind: "command",
      command: "tenstorrent.installTtXla",
      args,
    });
    expect(gate({ type: "command", command: "tenstorrent.runDoctor", args }, steps).kind).toBe("refuse");
  });
});
