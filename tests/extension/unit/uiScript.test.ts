// scripts/ui.sh on a fresh machine: it makes the repository's .venv before packaging (the bundle
// step needs it), and in the code-server branch installs code-server (and python3-venv) first.
// Run against stubs: setup scripts, npm, `code` and code-server only write what they were asked.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const REPO = join(__dirname, "..", "..", "..");
let root: string | undefined;

function stub(path: string, body: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(path, 0o755);
}

/** Runs a copy of ui.sh in a throw-away tree of stubs; returns the calls in order and stdout. */
function runUi(env: Record<string, string>): { calls: string[]; stdout: string; status: number | null } {
  root = mkdtempSync(join(tmpdir(), "tt-ui-"));
  const log = join(root, "calls.log");
  mkdirSync(join(root, "scripts"));
  mkdirSync(join(root, "node_modules"));
  copyFileSync(join(REPO, "scripts", "ui.sh"), join(root, "scripts", "ui.sh"));
  writeFileSync(join(root, "package.json"), readFileSync(join(REPO, "package.json")));
  const record = (name: string): string => `echo "${name} $*" >> "${log}"`;
  stub(join(root, "scripts", "setup-python.sh"), record("setup-python"));
  stub(join(root, "scripts", "setup-e2e.sh"), record("setup-e2e"));
  stub(join(root, "bin", "npm"), `${record("npm")}\n[ "$1 $2" != "run package" ] || touch tt-lessons-0.1.0.vsix`);
  stub(join(root, "bin", "code"), record("code"));
  stub(join(root, ".e2e", "node_modules", ".bin", "code-server"), record("code-server"));
  const r = spawnSync("bash", [join(root, "scripts", "ui.sh")], {
    encoding: "utf8",
    env: { PATH: `${join(root, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: root, ...env },
  });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => line.replaceAll(root!, "ROOT").trim());
  return { calls, stdout: r.stdout, status: r.status };
}

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe("scripts/ui.sh", () => {
  it("with `code` on PATH: makes .venv, packages, installs into VS Code and opens lessons/", () => {
    const { calls, stdout, status } = runUi({});
    expect(status).toBe(0);
    expect(calls.map((c) => c.split(" ").slice(0, 3).join(" "))).toEqual([
      "setup-python",
      "npm run package",
      "code --install-extension ROOT/tt-lessons-0.1.0.vsix",
      "code ROOT/lessons",
    ]);
    expect(stdout).toMatch(/the lesson opens by itself/);
  });

  it("in the browser: installs code-server and python3-venv first, then .venv, packages, starts code-server", () => {
    const { calls, stdout, status } = runUi({ UI: "browser", PORT: "18080" });
    expect(status).toBe(0);
    const names = calls.map((c) => c.split(" ")[0]);
    expect(names.slice(0, 3)).toEqual(["setup-e2e", "setup-python", "npm"]);
    expect(calls[2]).toBe("npm run package");
    expect(names.slice(3)).toEqual(["code-server", "code-server"]);
    expect(calls[3]).toMatch(/--install-extension ROOT\/tt-lessons-0\.1\.0\.vsix/);
    expect(calls[4]).toMatch(/ROOT\/lessons$/);
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:18080\//);
    expect(stdout).toMatch(/the lesson opens by itself/);
  });
});
