// Untrusted workspaces: no interpreter the workspace picked is started, and package.json tells
// VS Code which settings are restricted (the same keys settings.ts reads user-level only).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { findPython, trustedSources, type PythonSources } from "../../../extension/backend/python";
import { SECTION } from "../../../extension/settings";
import { DEFAULTS } from "../defaults";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] } };
  contributes: { configuration: { properties: Record<string, unknown> } };
};

function sources(): PythonSources & { pythonExtension: ReturnType<typeof vi.fn> } {
  return {
    setting: "",
    pythonExtension: vi.fn(async () => "/work/.venv/bin/python"),
    probe: async (path) => (path === "/work/.venv/bin/python" || path === "python3" ? "3.12\n" : Promise.reject()),
  };
}

describe("interpreter discovery and workspace trust", () => {
  it("never asks the Python extension (the workspace's .venv) in an untrusted workspace", async () => {
    const s = sources();
    const found = await findPython(trustedSources(s, false));
    expect(s.pythonExtension).not.toHaveBeenCalled();
    expect(found).toMatchObject({ ok: true, interpreter: { path: "python3", source: "path" } });
  });

  it("uses the Python extension's interpreter once the workspace is trusted", async () => {
    const s = sources();
    const found = await findPython(trustedSources(s, true));
    expect(s.pythonExtension).toHaveBeenCalledOnce();
    expect(found).toMatchObject({
      ok: true,
      interpreter: { path: "/work/.venv/bin/python", source: "python-extension" },
    });
  });

  it("keeps the (already trust-filtered) setting in an untrusted workspace", async () => {
    const s = { ...sources(), setting: "python3" };
    expect(await findPython(trustedSources(s, false))).toMatchObject({ interpreter: { source: "setting" } });
  });
});

describe("package.json untrusted-workspace capability", () => {
  const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];

  it("is limited, restricting exactly the settings settings.ts reads user-level only", () => {
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe("limited");
    const filtered = Object.keys(DEFAULTS).map((k) => `${SECTION}.${k}`);
    expect([...restricted].sort()).toEqual([...filtered].sort());
  });

  it("restricts every contributed tenstorrent.ttXla.* setting", () => {
    const contributed = Object.keys(pkg.contributes.configuration.properties).filter((k) =>
      k.startsWith(`${SECTION}.`),
    );
    expect([...restricted].sort()).toEqual(contributed.sort());
  });
});
