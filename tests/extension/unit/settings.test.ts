// Settings -> typed params, the untrusted-workspace rule, and package.json agreeing with the
// settings the backend exports.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RUN_COMMANDS } from "../../../extension/backend/routes.generated";
import { PARAMS_FROM_SETTINGS, SETTINGS } from "../../../extension/backend/settings.generated";
import {
  effective,
  paramsFor,
  readSettings,
  SECTION,
  statusParams,
  type Inspected,
  type TtXlaSettings,
} from "../../../extension/settings";
import { DEFAULTS } from "../defaults";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};

const inspector = (values: Partial<Record<keyof TtXlaSettings, Inspected>>) => (key: keyof TtXlaSettings) =>
  values[key] ?? { defaultValue: DEFAULTS[key] };

describe("settings", () => {
  it("package.json contributes exactly the exported settings: types, defaults, checks, text", () => {
    const expected = Object.fromEntries(Object.entries(SETTINGS).map(([key, entry]) => [`${SECTION}.${key}`, entry]));
    expect(pkg.contributes.configuration.properties).toEqual(expected);
    expect(DEFAULTS).toMatchObject({
      venvPath: "~/tt-xla-venv",
      meshShape: "", // empty: the backend picks the shape from the chips it sees
      model: "gpt2",
      prompt: "The capital of France is",
      timeoutSeconds: 0,
    });
  });

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
        meshShape: { defaultValue: "", globalValue: "2 by 4" },
        timeoutSeconds: { defaultValue: 0, globalValue: -5 },
        cpuOnly: { defaultValue: false, globalValue: "yes" },
        venvPath: { defaultValue: "~/tt-xla-venv", globalValue: "   " },
      }),
      true,
    );
    expect(s).toMatchObject({ model: "gpt2", meshShape: "", timeoutSeconds: 0, cpuOnly: false });
    expect(s.venvPath).toBe("~/tt-xla-venv");
    const good = readSettings(
      inspector({
        model: { globalValue: "gpt2-xl" },
        meshShape: { globalValue: " 8x4 " },
        timeoutSeconds: { globalValue: 90 },
      }),
      true,
    );
    expect(good).toMatchObject({ model: "gpt2-xl", meshShape: "8x4", timeoutSeconds: 90 });
  });

  it("maps install settings to InstallParams, paths as written and empty ones left out", () => {
    const s: TtXlaSettings = { ...DEFAULTS, cpuOnly: true, offline: true, wheelhouse: "~/wheels", timeoutSeconds: 900 };
    // `~` goes to the backend unexpanded: it expands paths itself (one place for it).
    expect(paramsFor("tenstorrent/installTtXla", s)).toEqual({
      venv: "~/tt-xla-venv",
      timeoutS: 900,
      cpuOnly: true,
      indexUrl: DEFAULTS.indexUrl,
      offline: true,
      pre: false,
      wheelhouse: "~/wheels",
      pythonDownload: true,
      latestJax: false,
    });
    const plain = paramsFor("tenstorrent/installTtXla", DEFAULTS);
    expect(plain).not.toHaveProperty("wheelhouse");
    expect(plain).not.toHaveProperty("timeoutS");
    expect(plain).not.toHaveProperty("reinstall");
    expect(plain).not.toHaveProperty("runId"); // the run tracker names runs
  });

  it("passes the doctor fix's reinstall argument on to InstallParams", () => {
    expect(paramsFor("tenstorrent/installTtXla", DEFAULTS, { reinstall: true })).toMatchObject({
      reinstall: true,
      cpuOnly: false,
    });
  });

  it("lets a local model folder override the hub model, and link arguments override settings", () => {
    expect(paramsFor("tenstorrent/runTtXlaDemo", { ...DEFAULTS, model: "gpt2-xl" }).model).toBe("gpt2-xl");
    expect(paramsFor("tenstorrent/runTtXlaDemo", { ...DEFAULTS, model: "gpt2-xl", modelPath: "~/gpt2" }).model).toBe(
      "~/gpt2",
    );
    expect(paramsFor("tenstorrent/runTtXlaDemo", DEFAULTS, { generate: 12 })).toMatchObject({
      generate: 12,
      prompt: DEFAULTS.prompt,
    });
    expect(paramsFor("tenstorrent/runMeshExample", { ...DEFAULTS, meshShape: "8x4" }).shape).toBe("8x4");
    // No shape set: none is sent, so the backend takes the usual one for the chips it sees.
    expect(paramsFor("tenstorrent/runMeshExample", DEFAULTS)).not.toHaveProperty("shape");
    expect(paramsFor("tenstorrent/runMeshExample", { ...DEFAULTS, meshShape: "8x4" }, { shape: "2x4" }).shape).toBe(
      "2x4",
    );
  });

  it("routes every request to its params", () => {
    expect(paramsFor("tenstorrent/runCnnExample", DEFAULTS, { epochs: 3 })).toEqual({
      venv: "~/tt-xla-venv",
      epochs: 3,
    });
    expect(paramsFor("tenstorrent/doctor", DEFAULTS)).toEqual({ venv: "~/tt-xla-venv" });
    expect(paramsFor("tenstorrent/testTtXlaInstall", { ...DEFAULTS, venvPath: "/v" })).toEqual({ venv: "/v" });
    expect(statusParams({ ...DEFAULTS, venvPath: "/v", timeoutSeconds: 5 })).toEqual({ venv: "/v" });
    for (const command of RUN_COMMANDS) expect(PARAMS_FROM_SETTINGS[command.method]).toBeDefined();
  });

  it("fills params only from settings that exist", () => {
    for (const sources of Object.values(PARAMS_FROM_SETTINGS)) {
      for (const keys of Object.values(sources) as readonly string[][]) {
        for (const key of keys) expect(Object.keys(SETTINGS)).toContain(key);
      }
    }
  });
});
