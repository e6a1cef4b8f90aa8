// Interpreter discovery for the backend and the environment the server starts with.
import { describe, expect, it } from "vitest";
import { findPython, serverEnv } from "../../../extension/backend/python";

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
