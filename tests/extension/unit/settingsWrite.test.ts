// The fix buttons that change settings: where a value is written, what the person is told, and
// which Settings tab opens; through the SettingsUi seam, without an editor.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Inspected, SettingKey } from "../../../extension/settings";
import {
  chooseModelFolder,
  chooseWheelhouse,
  modelFolderProblem,
  describeTarget,
  indexUrlProblem,
  isMachineScoped,
  openSettings,
  setIndexUrl,
  setPythonPath,
  writeTarget,
  type SettingsUi,
  type WriteTarget,
} from "../../../extension/settingsWrite";
import { settingKeyOf } from "../../../extension/settings";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, { scope?: string }> } };
};

interface Fake extends SettingsUi {
  writes: [SettingKey, string, WriteTarget][];
  said: string[];
  commands: unknown[][];
}

function fakeUi(o: {
  inspect?: Partial<Record<SettingKey, Inspected>>;
  trusted?: boolean;
  remote?: string;
  pick?: string;
  typed?: string;
  answer?: string;
  picks?: string[];
  folders?: Record<string, string[]>;
}): Fake {
  const writes: Fake["writes"] = [];
  const said: string[] = [];
  const commands: unknown[][] = [];
  return {
    writes,
    said,
    commands,
    inspect: (key) => o.inspect?.[key],
    update: async (key, value, target) => void writes.push([key, value, target]),
    trusted: () => o.trusted ?? true,
    remoteName: () => o.remote,
    pickFolder: async () => (o.picks ? o.picks.shift() : o.pick),
    pickFile: async () => o.pick,
    input: async ({ validate }) => (o.typed === undefined || validate(o.typed) ? undefined : o.typed),
    executeCommand: vi.fn(async (...args: unknown[]) => void commands.push(args)),
    info: async (message) => (said.push(message), o.answer),
    warn: async (message) => (said.push(message), o.picks?.length ? "Choose Another Folder…" : undefined),
    listFolder: async (path) => o.folders?.[path],
  };
}

describe("where a setting is written", () => {
  it("user (Global) level, unless a trusted workspace's own value would shadow it", () => {
    expect(writeTarget(undefined, true)).toBe("global");
    expect(writeTarget({ globalValue: "/a" }, true)).toBe("global");
    expect(writeTarget({ workspaceValue: "/w" }, true)).toBe("workspace");
    // Untrusted: the workspace's values are ignored (settings.ts effective), so the user's counts.
    expect(writeTarget({ workspaceValue: "/w" }, false)).toBe("global");
  });

  it("machine-overridable settings are the package.json ones with that scope", () => {
    const props = pkg.contributes.configuration.properties;
    for (const [id, schema] of Object.entries(props)) {
      const key = settingKeyOf(id);
      expect(key, id).toBeDefined();
      expect(isMachineScoped(key!), id).toBe(schema.scope === "machine-overridable");
    }
    for (const key of ["venvPath", "pythonPath", "indexUrl", "wheelhouse", "modelPath", "externalEnvironment"]) {
      expect(isMachineScoped(key as SettingKey), key).toBe(true);
    }
  });

  it("names the Settings tab the value landed in: Remote for machine settings in a remote window", () => {
    expect(describeTarget("wheelhouse", "global", "ssh-remote")).toBe("Remote [ssh-remote] settings");
    expect(describeTarget("wheelhouse", "global", undefined)).toBe("User settings");
    expect(describeTarget("cpuOnly", "global", "ssh-remote")).toBe("User settings");
    expect(describeTarget("wheelhouse", "workspace", "ssh-remote")).toBe("Workspace settings");
  });

  it("only our own keys are settings keys", () => {
    expect(settingKeyOf("tenstorrent.ttXla.indexUrl")).toBe("indexUrl");
    expect(settingKeyOf("tenstorrent.ttXla.nope")).toBeUndefined();
    expect(settingKeyOf("python.defaultInterpreterPath")).toBeUndefined();
    expect(settingKeyOf("tenstorrent.ttXla.constructor")).toBeUndefined();
    expect(settingKeyOf(3)).toBeUndefined();
  });
});

describe("fix commands", () => {
  it("Choose a wheelhouse folder… writes the picked folder and offers the install", async () => {
    const ui = fakeUi({ pick: "/data/wheels", remote: "ssh-remote", answer: "Install TT-XLA" });
    expect(await chooseWheelhouse(ui)).toBe(true);
    expect(ui.writes).toEqual([["wheelhouse", "/data/wheels", "global"]]);
    expect(ui.said).toEqual(["Wheelhouse set to /data/wheels (Remote [ssh-remote] settings)."]);
    expect(ui.commands).toEqual([["tenstorrent.installTtXla"]]);
  });

  it("a cancelled picker changes nothing", async () => {
    const ui = fakeUi({});
    expect(await chooseWheelhouse(ui)).toBe(false);
    expect(await setPythonPath(ui)).toBe(false);
    expect(ui.writes).toEqual([]);
  });

  it("Set the index URL… accepts only what the backend accepts, trimmed, and overwrites a workspace value", async () => {
    expect(indexUrlProblem("https://mirror.example/simple/")).toBeUndefined();
    expect(indexUrlProblem("file:///srv/index/")).toBeUndefined();
    expect(indexUrlProblem("ftp://x/")).toMatch(/http, https or file/);
    expect(indexUrlProblem("not a url")).toMatch(/Not a URL/);
    const bad = fakeUi({ typed: "ftp://x/" });
    expect(await setIndexUrl(bad)).toBe(false);
    expect(bad.writes).toEqual([]);
    const ui = fakeUi({ typed: " https://mirror.example/simple/ ", inspect: { indexUrl: { workspaceValue: "x" } } });
    expect(await setIndexUrl(ui)).toBe(true);
    expect(ui.writes).toEqual([["indexUrl", "https://mirror.example/simple/", "workspace"]]);
    expect(ui.commands).toEqual([]); // the offer to install was not taken
  });

  it("Set the Python path… writes the picked interpreter", async () => {
    const ui = fakeUi({ pick: "/usr/bin/python3.12" });
    expect(await setPythonPath(ui)).toBe(true);
    expect(ui.writes).toEqual([["pythonPath", "/usr/bin/python3.12", "global"]]);
    expect(ui.said[0]).toContain("User settings");
  });

  it("Open the settings focuses the key, on the Remote tab for a machine setting in a remote window", async () => {
    const local = fakeUi({});
    expect(await openSettings(local, "tenstorrent.ttXla.indexUrl")).toBe(true);
    expect(local.commands).toEqual([["workbench.action.openSettings", "tenstorrent.ttXla.indexUrl"]]);
    const remote = fakeUi({ remote: "ssh-remote" });
    await openSettings(remote, "tenstorrent.ttXla.indexUrl");
    await openSettings(remote, "tenstorrent.ttXla.cpuOnly");
    expect(remote.commands).toEqual([
      ["workbench.action.openRemoteSettings", { query: "tenstorrent.ttXla.indexUrl" }],
      ["workbench.action.openSettings", "tenstorrent.ttXla.cpuOnly"],
    ]);
    expect(await openSettings(local, "workbench.colorTheme")).toBe(false);
  });
});

describe("Choose a Model Folder… (the GPT-2 hub-unreachable error's button)", () => {
  const gpt2 = ["config.json", "model.safetensors", "vocab.json", "merges.txt", "generation_config.json"];

  it("names what a folder lacks: config, safetensors weights, the tokenizer", () => {
    expect(modelFolderProblem(gpt2)).toBeUndefined();
    expect(modelFolderProblem(["config.json", "model-00001.safetensors", "tokenizer.json"])).toBeUndefined();
    expect(modelFolderProblem(["config.json", "pytorch_model.bin", "vocab.json"])).toBe(
      "it has no model.safetensors, no tokenizer.json (or vocab.json and merges.txt)",
    );
  });

  it("checks the folder, writes modelPath where it takes effect (the Remote tab in code-server) and says so", async () => {
    const ui = fakeUi({ pick: "/models/gpt2", folders: { "/models/gpt2": gpt2 }, remote: "localhost:8080" });
    expect(await chooseModelFolder(ui)).toBe(true);
    expect(ui.writes).toEqual([["modelPath", "/models/gpt2", "global"]]);
    expect(ui.said).toEqual(["Model folder set to /models/gpt2 (Remote [localhost:8080] settings)."]);
  });

  it("refuses a folder that is not a checkpoint and offers another pick", async () => {
    const ui = fakeUi({ picks: ["/tmp/empty", "/models/gpt2"], folders: { "/tmp/empty": [], "/models/gpt2": gpt2 } });
    expect(await chooseModelFolder(ui)).toBe(true);
    expect(ui.said[0]).toBe(
      "/tmp/empty is not a GPT-2 checkpoint: it has no config.json, no model.safetensors, no tokenizer.json (or vocab.json and merges.txt).",
    );
    expect(ui.writes).toEqual([["modelPath", "/models/gpt2", "global"]]);
  });

  it("writes nothing when the folder cannot be read or the picker is closed", async () => {
    const unreadable = fakeUi({ pick: "/root/secret" });
    expect(await chooseModelFolder(unreadable)).toBe(false);
    expect(unreadable.said).toEqual(["/root/secret is not a GPT-2 checkpoint: it cannot be read."]);
    expect(unreadable.writes).toEqual([]);
    const closed = fakeUi({});
    expect(await chooseModelFolder(closed)).toBe(false);
    expect(closed.writes).toEqual([]);
  });

  it("offers to run the demo, which then runs", async () => {
    const ui = fakeUi({ pick: "/m", folders: { "/m": gpt2 }, answer: "Run the GPT-2 Demo" });
    await chooseModelFolder(ui);
    expect(ui.commands).toEqual([["tenstorrent.runTtXlaDemo"]]);
  });
});
