// What the UI tests need besides the editor: a local wheelhouse (so the install runs offline), a
// tiny GPT-2 checkpoint in Hugging Face's format, and the freshly packaged extension (.vsix).
// The first two are cached under .e2e/cache and rebuilt only when their inputs change.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BACKEND_PYTHON, CACHE, REPO } from "./paths.mjs";

// What `tt-lessons install --cpu-only` asks for (python_backend/tt_lessons/venv/install.py).
// The Python a CPU-only install will pick (the plugin's 3.12 when the machine has one), asked of
// the backend's own interpreter discovery so the fixture cannot disagree with the installer.
const TARGET_PYTHON = [
  "import asyncio, sys",
  "from tt_lessons.venv import interpreters, python_spec",
  "found = asyncio.run(interpreters.find_accepted(python_spec.KNOWN, None, interpreters.Search()))",
  "print('%d.%d' % (found.version[:2] if found else sys.version_info[:2]))",
].join("\n");

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...opts });
}

function log(msg) {
  process.stderr.write(`e2e: ${msg}\n`);
}

/** A folder of wheels for the CPU-only install, downloaded once from PyPI (pip download). */
/**
 * The wheels an offline CPU-only install needs (the plugin's jax pin, flax, transformers, ...,
 * ipykernel), downloaded once by the product's own `tt-lessons wheelhouse --cpu-only` for the
 * Python the install will choose. Cached per target Python.
 */
export function ensureWheelhouse() {
  const target = sh(BACKEND_PYTHON, ["-c", TARGET_PYTHON]).trim();
  const dir = join(CACHE, `wheelhouse-cp${target.replace(".", "")}`);
  const stamp = join(dir, ".complete");
  const want = `tt-lessons wheelhouse --cpu-only --python-version ${target}\n`;
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === want) return dir;
  log(`downloading the CPU-only install's wheels for Python ${target} into ${dir}`);
  sh(BACKEND_PYTHON, ["-m", "tt_lessons.cli", "wheelhouse", dir, "--cpu-only", "--python-version", target], {
    stdio: ["ignore", "inherit", "inherit"],
  });
  writeFileSync(stamp, want);
  return dir;
}

/**
 * A tiny random GPT-2 checkpoint written by tests/fixtures/make_tiny_gpt2.py, run in the tests'
 * PyTorch venv (tests/fixtures/torch_venv.py: the CPU torch build this machine's pip finds
 * without a download, shared with pytest). Cached per script hash.
 */
export function ensureTinyGpt2() {
  const script = join(REPO, "tests", "fixtures", "make_tiny_gpt2.py");
  const hash = createHash("sha256").update(readFileSync(script)).digest("hex").slice(0, 12);
  const out = join(CACHE, `tiny-gpt2-${hash}`);
  if (existsSync(join(out, ".complete"))) return out;
  log("making sure the PyTorch venv for the tiny GPT-2 writer is there (tests/fixtures/torch_venv.py)");
  const venv = sh(BACKEND_PYTHON, [join(REPO, "tests", "fixtures", "torch_venv.py")], {
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop();
  const py = join(venv, "bin", "python");
  log(`writing the tiny GPT-2 checkpoint to ${out}`);
  for (const old of readdirSync(CACHE).filter((d) => d.startsWith("tiny-gpt2-"))) {
    rmSync(join(CACHE, old), { recursive: true, force: true }); // from an older writer script
  }
  sh(py, [script, out], { stdio: ["ignore", "inherit", "inherit"] });
  writeFileSync(join(out, ".complete"), hash);
  return out;
}

function vsixFiles() {
  return readdirSync(REPO)
    .filter((f) => f.endsWith(".vsix"))
    .map((f) => join(REPO, f));
}

/** Packages the extension with the project's own `npm run package`; returns the new .vsix. */
export function packageExtension() {
  const pkg = join(REPO, "package.json");
  if (!existsSync(pkg)) throw new Error("no package.json at the repository root: the extension is not there yet");
  const scripts = JSON.parse(readFileSync(pkg, "utf8")).scripts ?? {};
  if (!scripts.package) throw new Error('package.json has no "package" script (npm run package)');
  if (!existsSync(join(REPO, "node_modules"))) {
    log("npm ci (the extension's own dependencies)");
    sh("npm", ["ci", "--no-audit", "--no-fund"], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  }
  const started = Date.now();
  log("npm run package");
  sh("npm", ["run", "package"], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  const fresh = vsixFiles()
    .filter((f) => statSync(f).mtimeMs >= started - 1000)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!fresh.length) throw new Error("`npm run package` wrote no new .vsix at the repository root");
  return fresh[0];
}

/**
 * The manifest of the extension as installed in `extensionsDir` (the one that contributes
 * `commandId`): titles and settings are looked up by id there rather than hard-coded.
 */
export function installedManifest(extensionsDir, commandId = "tenstorrent.openLesson") {
  for (const dir of readdirSync(extensionsDir)) {
    const file = join(extensionsDir, dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if ((pkg.contributes?.commands ?? []).some((c) => c.command === commandId)) return pkg;
  }
  throw new Error(`no extension in ${extensionsDir} contributes ${commandId}`);
}

/** "Category: Title" as the command palette shows a contributed command. */
export function paletteTitle(pkg, commandId) {
  const cmd = (pkg.contributes?.commands ?? []).find((c) => c.command === commandId);
  if (!cmd) throw new Error(`the extension contributes no command ${commandId}`);
  return cmd.category ? `${cmd.category}: ${cmd.title}` : cmd.title;
}
