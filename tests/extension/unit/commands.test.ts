// The command table, the webview allow-list derived from it, and package.json agreeing with it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MESH_SHAPE_PATTERN, RUN_COMMANDS } from "../../../extension/backend/routes.generated";
import {
  allowFromWebview,
  checkArgs,
  commandSpec,
  COMMANDS,
  invokedArgs,
  matchesSchema,
  parseCommandUri,
  WEBVIEW_ALLOWED,
} from "../../../extension/commands";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  contributes: { commands: { command: string; title: string; category: string; icon: string }[] };
};

describe("commands", () => {
  it("package.json contributes exactly the table's commands, in category Tenstorrent", () => {
    const contributed = pkg.contributes.commands.map((c) => [c.command, c.title, c.category, c.icon]);
    expect(contributed).toEqual(COMMANDS.map((c) => [c.id, c.title, "Tenstorrent", `$(${c.icon})`]));
  });

  it("takes every run command from the backend's routes, in their order", () => {
    const runs = COMMANDS.filter((c) => c.method !== undefined);
    expect(runs.map((c) => [c.id, c.method, c.title, c.icon])).toEqual(
      RUN_COMMANDS.map((c) => [c.id, c.method, c.title, c.icon]),
    );
    for (const c of RUN_COMMANDS) {
      expect(Object.keys(commandSpec(c.id)?.args ?? {})).toEqual(Object.keys(c.args));
    }
  });

  it("checks a mesh shape with the one pattern MeshParams uses", () => {
    expect(MESH_SHAPE_PATTERN).toBe("^[1-9][0-9]*x[1-9][0-9]*$");
    // Four-digit sides: MeshParams takes them, so a link may too (no stricter copy here).
    expect(checkArgs("tenstorrent.runMeshExample", { shape: "1000x1" }).ok).toBe(true);
    expect(checkArgs("tenstorrent.runMeshExample", { shape: "1x2 && reboot" }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runMeshExample", { shape: "x2" }).ok).toBe(false);
  });

  it("checks arguments with the exported JSON Schema keywords", () => {
    expect(matchesSchema({ type: "integer", minimum: 0, maximum: 3 }, 3)).toBe(true);
    expect(matchesSchema({ type: "integer", minimum: 0, maximum: 3 }, 4)).toBe(false);
    expect(matchesSchema({ type: "integer" }, 1.5)).toBe(false);
    expect(matchesSchema({ type: "number" }, 1.5)).toBe(true);
    expect(matchesSchema({ type: "number" }, Number.NaN)).toBe(false);
    expect(matchesSchema({ type: "string", minLength: 1, maxLength: 2 }, "")).toBe(false);
    expect(matchesSchema({ type: "string", minLength: 1, maxLength: 2 }, "abc")).toBe(false);
    expect(matchesSchema({ type: "string", enum: ["a", "b"] }, "b")).toBe(true);
    expect(matchesSchema({ type: "string", enum: ["a", "b"] }, "c")).toBe(false);
    expect(matchesSchema({ type: "boolean" }, "true")).toBe(false);
  });

  it("allows the run steps from the webview and nothing outside the table", () => {
    // Every run route's command, as the backend lists them (no copy of the list here).
    expect(RUN_COMMANDS.length).toBeGreaterThan(5);
    for (const c of RUN_COMMANDS) expect(WEBVIEW_ALLOWED.has(c.id)).toBe(true);
    expect(WEBVIEW_ALLOWED.has("tenstorrent.openLesson")).toBe(false);
    expect(WEBVIEW_ALLOWED.has("tenstorrent.cancelRun")).toBe(false);
    // A lesson must not be able to stop the backend (and every run in flight) with a click.
    expect(commandSpec("tenstorrent.restartBackend")).toMatchObject({
      title: "Restart the Backend",
      fromWebview: false,
    });
    expect(allowFromWebview("tenstorrent.restartBackend", undefined)).toMatchObject({ ok: false });
    expect(allowFromWebview("workbench.action.terminal.sendSequence", undefined)).toMatchObject({ ok: false });
    expect(allowFromWebview("tenstorrent.installTtXlaX", undefined)).toMatchObject({ ok: false });
  });

  it("checks arguments per command", () => {
    expect(checkArgs("tenstorrent.runMeshExample", { shape: "8x4" })).toEqual({ ok: true, args: { shape: "8x4" } });
    expect(checkArgs("tenstorrent.runMeshExample", { shape: "0x4" }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runMeshExample", { shape: 8 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { generate: 12, prompt: "Hi" }).ok).toBe(true);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { generate: 1.5 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { venv: "/tmp" }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { topK: 51 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { prompt: "" }).ok).toBe(false);
    // Sampling from a lesson link: the same bounds as DemoParams.
    expect(checkArgs("tenstorrent.runTtXlaDemo", { temperature: 0.8, seed: 1 }).ok).toBe(true);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { temperature: 6 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { seed: -1 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { weights: "bfloat16" }).ok).toBe(true);
    expect(checkArgs("tenstorrent.runTtXlaDemo", { weights: "float16" }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runCnnExample", { seed: 2 ** 31 }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runCnnExample", { epochs: 3, seed: 7 }).ok).toBe(true);
    // An error's "Install CPU-only" button passes cpuOnly; replacing a foreign folder (force) never.
    expect(checkArgs("tenstorrent.installTtXla", { cpuOnly: true }).ok).toBe(true);
    expect(checkArgs("tenstorrent.installTtXla", { force: true }).ok).toBe(false); // settings only
    expect(checkArgs("tenstorrent.installTtXla", [1]).ok).toBe(false);
    expect(checkArgs("tenstorrent.installTtXla", undefined)).toEqual({ ok: true, args: {} });
    // The doctor's reinstall fix: a boolean for install, and nowhere else.
    expect(checkArgs("tenstorrent.installTtXla", { reinstall: true })).toEqual({ ok: true, args: { reinstall: true } });
    expect(checkArgs("tenstorrent.installTtXla", { reinstall: "yes" }).ok).toBe(false);
    expect(checkArgs("tenstorrent.testTtXlaInstall", { reinstall: true }).ok).toBe(false);
    expect(checkArgs("tenstorrent.runDoctor", { reinstall: true }).ok).toBe(false);
  });

  it("a command run by id takes checked arguments, and a status row from a context menu is not one", () => {
    const install = "tenstorrent.installTtXla";
    expect(invokedArgs(install, { reinstall: true })).toEqual({ ok: true, args: { reinstall: true } });
    expect(invokedArgs(install, undefined)).toEqual({ ok: true, args: {} });
    expect(invokedArgs(install, { label: "Venv", contextValue: "venv" })).toEqual({ ok: true, args: {} });
    expect(invokedArgs(install, { force: true }).ok).toBe(false);
  });

  it("parses command URIs with and without encoded JSON arguments", () => {
    expect(parseCommandUri("command:tenstorrent.runDoctor")).toEqual({ id: "tenstorrent.runDoctor", args: undefined });
    expect(parseCommandUri(`command:tenstorrent.runMeshExample?${encodeURIComponent('[{"shape":"2x4"}]')}`)).toEqual({
      id: "tenstorrent.runMeshExample",
      args: { shape: "2x4" },
    });
    expect(parseCommandUri("command:tenstorrent.runMeshExample?%7Bnot json")?.args).toEqual({
      unparsable: "%7Bnot json",
    });
    expect(parseCommandUri("https://example.com")).toBeUndefined();
  });

  it("the README names commands by their palette titles", () => {
    const readme = readFileSync(join(__dirname, "..", "..", "..", "README.md"), "utf8");
    const named = [...readme.matchAll(/\*\*Tenstorrent: ([^*]+)\*\*/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(0);
    const titles = new Set(COMMANDS.map((c) => c.title));
    for (const title of named) expect(titles.has(title ?? ""), title).toBe(true);
  });
});
