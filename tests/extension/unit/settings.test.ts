// Settings -> typed params, and the untrusted-workspace rule.
import { describe, expect, it } from "vitest";
import {
  DEFAULTS,
  demoParams,
  effective,
  installParams,
  meshParams,
  paramsFor,
  readSettings,
  type Inspected,
  type TtXlaSettings,
} from "../../../extension/settings";

const inspector = (values: Partial<Record<keyof TtXlaSettings, Inspected>>) => (key: keyof TtXlaSettings) =>
  values[key] ?? { defaultValue: DEFAULTS[key] };

describe("settings", () => {
  it("ignores workspace values in an untrusted workspace", () => {
    const info: Inspected = {
      defaultValue: "~/tt-xla-venv",
      globalValue: "/home/me/venv",
      workspaceValue: "/tmp/evil",
    };
    expect(effective(info, true)).toBe("/tmp/evil");
    expect(effective(info, false)).toBe("/home/me/venv");
    expect(effective({ defaultValue: "d", workspaceFolderValue: "w" }, false)).toBe("d");
    const s = readSettings(inspector({ pythonPath: { defaultValue: "", workspaceValue: "/tmp/evil/python" } }), false);
    expect(s.pythonPath).toBe("");
  });

  it("falls back to defaults for values of the wrong type or shape", () => {
    const s = readSettings(
      inspector({
        model: { defaultValue: "gpt2", globalValue: "llama" },
        meshShape: { defaultValue: "1x2", globalValue: "2 by 4" },
        timeoutSeconds: { defaultValue: 0, globalValue: -5 },
        cpuOnly: { defaultValue: false, globalValue: "yes" },
      }),
      true,
    );
    expect(s).toMatchObject({ model: "gpt2", meshShape: "1x2", timeoutSeconds: 0, cpuOnly: false });
  });

  it("maps install settings to InstallParams, expanding ~ and leaving empty ones out", () => {
    const s: TtXlaSettings = { ...DEFAULTS, cpuOnly: true, offline: true, wheelhouse: "~/wheels", timeoutSeconds: 900 };
    expect(installParams(s, "r1", "/home/me")).toEqual({
      venv: "/home/me/tt-xla-venv",
      runId: "r1",
      timeoutS: 900,
      cpuOnly: true,
      indexUrl: DEFAULTS.indexUrl,
      offline: true,
      pre: false,
      wheelhouse: "/home/me/wheels",
    });
    expect(installParams(DEFAULTS, "r1", "/h")).not.toHaveProperty("wheelhouse");
    expect(installParams(DEFAULTS, "r1", "/h")).not.toHaveProperty("timeoutS");
    expect(installParams(DEFAULTS, "r1", "/h")).not.toHaveProperty("reinstall");
  });

  it("passes the doctor fix's reinstall argument on to InstallParams", () => {
    expect(paramsFor("tenstorrent/installTtXla", DEFAULTS, "r", "/h", { reinstall: true })).toMatchObject({
      reinstall: true,
      cpuOnly: false,
    });
    expect(paramsFor("tenstorrent/installTtXla", DEFAULTS, "r", "/h")).not.toHaveProperty("reinstall");
  });

  it("lets a local model folder override the hub model, and link arguments override settings", () => {
    expect(demoParams({ ...DEFAULTS, model: "gpt2-xl" }, "r", "/h").model).toBe("gpt2-xl");
    expect(demoParams({ ...DEFAULTS, model: "gpt2-xl", modelPath: "~/gpt2" }, "r", "/h").model).toBe("/h/gpt2");
    expect(demoParams(DEFAULTS, "r", "/h", { generate: 12 })).toMatchObject({ generate: 12, prompt: DEFAULTS.prompt });
    expect(meshParams({ ...DEFAULTS, meshShape: "8x4" }, "r", "/h").shape).toBe("8x4");
    expect(meshParams({ ...DEFAULTS, meshShape: "8x4" }, "r", "/h", { shape: "2x4" }).shape).toBe("2x4");
  });

  it("routes every run method to its params", () => {
    expect(paramsFor("tenstorrent/runCnnExample", DEFAULTS, "r", "/h", { epochs: 3 })).toMatchObject({
      epochs: 3,
      runId: "r",
    });
    expect(paramsFor("tenstorrent/doctor", DEFAULTS, "r", "/h")).toEqual({ venv: "/h/tt-xla-venv", runId: "r" });
    expect(paramsFor("tenstorrent/testTtXlaInstall", DEFAULTS, "r", "/h")).toEqual({
      venv: "/h/tt-xla-venv",
      runId: "r",
    });
  });
});
