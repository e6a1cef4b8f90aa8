// `npm run package` end to end: the .vsix the e2e tests install must carry the bundled
// extension, the webview, the lesson, the backend's Python libraries and its source, plus what a
// marketplace listing needs (license, changelog, icon, walkthrough media), and nothing else
// (bytecode, the icon's source). vsce must package it without a warning, and the .vsix must be
// at the fixed path CI keeps. Slow (vsce compresses ~75 MB), so it runs as its own project, in
// parallel with the others.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backendPython, REPO } from "../integration/paths";

// Async on purpose: a minute of execFileSync would block the worker's RPC with vitest.
const run = promisify(execFile);

interface Report {
  vsix: string;
  bytes: number;
  files: number;
  groups: { path: string; files: number; compressed: number; size: number }[];
}

const pkg = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as {
  version: string;
  icon: string;
  galleryBanner: { color: string; theme: string };
  contributes: { walkthroughs: { steps: { media: { markdown?: string } }[] }[] };
};

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const buf = readFileSync(file);
  expect(buf.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe("the packaged extension", () => {
  it("npm run package writes the .vsix at both paths, without a vsce warning, with what a listing needs", async () => {
    // A stray bytecode file, as running the backend from source leaves behind: it must not ship.
    const pycache = join(REPO, "python_backend", "tt_lessons", "__pycache__");
    const stray = join(pycache, "vsix_test_stray.cpython-311.pyc");
    mkdirSync(pycache, { recursive: true });
    writeFileSync(stray, "not really bytecode");
    const started = Date.now();
    let output: string;
    try {
      const { stdout, stderr } = await run("npm", ["run", "package"], {
        cwd: REPO,
        timeout: 600_000,
        maxBuffer: 1 << 26,
      });
      output = `${stdout}\n${stderr}`;
    } finally {
      rmSync(stray, { force: true });
    }
    // vsce labels its warnings " WARNING  text" (pip's own "WARNING: ..." lines are not vsce's).
    expect(output.split("\n").filter((l) => /^\s*WARNING(?!:)|^::warning::/.test(l))).toEqual([]);

    const vsix = join(REPO, `tt-lessons-${pkg.version}.vsix`);
    const fixed = join(REPO, "dist", "tt-lessons.vsix");
    expect(statSync(vsix).mtimeMs).toBeGreaterThanOrEqual(started - 1000); // written now, not left over
    expect(statSync(fixed).mtimeMs).toBeGreaterThanOrEqual(started - 1000);
    expect(readFileSync(fixed).equals(readFileSync(vsix))).toBe(true);

    const { stdout } = await run(
      backendPython(),
      ["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", vsix],
      { encoding: "utf8", maxBuffer: 1 << 26 },
    );
    const names = stdout.split("\n").filter((n) => n !== "");
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
    expect(has("python_backend/tt_lessons/py.typed")).toBe(true);
    // The listing: license (vsce names it LICENSE.txt), changelog, icon, every walkthrough step's media.
    expect(has("LICENSE.txt")).toBe(true);
    expect(has("changelog.md")).toBe(true);
    expect(has(pkg.icon)).toBe(true);
    for (const step of pkg.contributes.walkthroughs[0]?.steps ?? []) expect(has(step.media.markdown ?? "")).toBe(true);
    // And nothing that is not needed.
    expect(has("media/icon.svg")).toBe(false);
    expect(names.filter((n) => n.includes("__pycache__") || n.endsWith(".pyc"))).toEqual([]);
    expect(names.filter((n) => /^extension\/(node_modules|tests|extension|bench|\.venv)\//.test(n))).toEqual([]);

    // `npm run package:report` reads the same zip directory Python does.
    const json = await run(process.execPath, ["scripts/package.mjs", "--report", "--json"], {
      cwd: REPO,
      encoding: "utf8",
      maxBuffer: 1 << 24,
    });
    const report = JSON.parse(json.stdout) as Report;
    expect(report.bytes).toBe(statSync(fixed).size);
    expect(report.files).toBe(names.length);
    expect(report.groups.reduce((n, g) => n + g.files, 0)).toBe(names.length);
    expect(report.groups.map((g) => g.path)).toContain("bundled/libs/pydantic/");
  }, 600_000);
});

describe("the marketplace listing", () => {
  it("has a 128x128 PNG icon, a gallery banner, and a LICENSE that is package.json's Apache-2.0", () => {
    expect(pngSize(join(REPO, pkg.icon))).toEqual([128, 128]);
    expect(pkg.galleryBanner.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(["dark", "light"]).toContain(pkg.galleryBanner.theme);
    const license = readFileSync(join(REPO, "LICENSE"), "utf8");
    expect(license).toContain("Apache License\n                           Version 2.0, January 2004");
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    expect((JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { license: string }).license).toBe(
      "Apache-2.0",
    );
    expect(readFileSync(join(REPO, "CHANGELOG.md"), "utf8")).toMatch(new RegExp(`^## \\[${pkg.version}\\] - `, "m"));
  });
});
