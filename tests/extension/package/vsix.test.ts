// `npm run package` end to end: the .vsix the e2e tests install must carry the bundled
// extension, the webview, the lesson, the backend's Python libraries and its source. Slow (vsce
// compresses ~75 MB), so it runs as its own project, in parallel with the others.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendPython, REPO } from "../integration/paths";

// Async on purpose: a minute of execFileSync would block the worker's RPC with vitest.
const run = promisify(execFile);

describe("the packaged extension", () => {
  it("npm run package writes tt-lessons-<version>.vsix with the bundle, libs, backend and lesson", async () => {
    const version = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }).version;
    const started = Date.now();
    await run("npm", ["run", "package"], { cwd: REPO, timeout: 600_000, maxBuffer: 1 << 26 });
    const vsix = join(REPO, `tt-lessons-${version}.vsix`);
    expect(statSync(vsix).mtimeMs).toBeGreaterThanOrEqual(started - 1000); // written now, not left over
    const { stdout } = await run(
      backendPython(),
      ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", vsix],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    const names = stdout.split("\n");
    const has = (p: string): boolean => names.includes(`extension/${p}`);
    expect(has("dist/extension.js")).toBe(true);
    expect(has("dist/webview/main.js")).toBe(true);
    expect(has("lessons/tt-xla-jax.md")).toBe(true);
    expect(names.some((n) => n.startsWith("extension/bundled/libs/pygls/"))).toBe(true);
    expect(names.some((n) => n.startsWith("extension/bundled/libs/pydantic/"))).toBe(true);
    expect(has("python_backend/tt_lessons/protocol.py") || has("python_backend/tt_lessons/protocol/__init__.py")).toBe(
      true,
    );
    expect(has("python_backend/tt_lessons/cli.py")).toBe(true);
    expect(names.some((n) => n.includes("__pycache__") || n.startsWith("extension/node_modules/"))).toBe(false);
  }, 600_000);
});
