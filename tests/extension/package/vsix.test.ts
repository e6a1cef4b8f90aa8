// `npm run package` end to end: the .vsix the e2e tests install must carry the bundled
// extension, the webview, the lesson, the backend's Python libraries and its source. Slow (vsce
// compresses ~75 MB), so it runs as its own project, in parallel with the others.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendPython, REPO } from "../integration/paths";

describe("the packaged extension", () => {
  it("npm run package writes tt-lessons-<version>.vsix with the bundle, libs, backend and lesson", () => {
    const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
    execFileSync("npm", ["run", "package"], { cwd: REPO, stdio: "ignore", timeout: 600_000 });
    const vsix = join(REPO, `tt-lessons-${version}.vsix`);
    const names = execFileSync(
      backendPython(),
      ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", vsix],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    ).split("\n");
    const has = (p: string): boolean => names.includes(`extension/${p}`);
    expect(has("dist/extension.js")).toBe(true);
    expect(has("dist/webview/main.js")).toBe(true);
    expect(has("lessons/tt-xla-jax.md")).toBe(true);
    expect(names.some((n) => n.startsWith("extension/bundled/libs/pygls/"))).toBe(true);
    expect(names.some((n) => n.startsWith("extension/bundled/libs/pydantic/"))).toBe(true);
    expect(has("python_backend/tt_lessons/protocol.py") || has("python_backend/tt_lessons/protocol/__init__.py")).toBe(true);
    expect(has("python_backend/tt_lessons/cli.py")).toBe(true);
    expect(names.some((n) => n.includes("__pycache__") || n.startsWith("extension/node_modules/"))).toBe(false);
  }, 600_000);
});
