#!/usr/bin/env node
// The end-to-end UI suite: real VS Code (code-server) + Debian chromium + the packaged extension.
//
//   bash scripts/setup-e2e.sh && node tests/e2e/run.mjs [--harness-only] [--only=NAME] [--keep]
//
// Prepares what the tests need (cached under .e2e/cache), packages the extension with
// `npm run package`, then runs tests/e2e/*.test.mjs with `node --test`, one file at a time.
// Screenshots and logs land in .e2e/artifacts (TT_E2E_ARTIFACTS to move them).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { ensureTinyGpt2, ensureWheelhouse, packageExtension } from "./lib/fixtures.mjs";
import { ARTIFACTS, E2E_DIR, REPO } from "./lib/paths.mjs";

const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice("--only=".length);
const started = Date.now();
const here = join(REPO, "tests", "e2e");

if (!existsSync(join(E2E_DIR, "node_modules", ".bin", "code-server"))) {
  const setup = spawnSync("bash", [join(REPO, "scripts", "setup-e2e.sh")], { stdio: "inherit" });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}
if (!existsSync(join(REPO, ".venv", "bin", "python"))) {
  // The wheelhouse and the fixture venv are made with the backend's own Python environment.
  const setup = spawnSync("bash", [join(REPO, "scripts", "setup-python.sh")], { stdio: "inherit" });
  if (setup.status !== 0) process.exit(setup.status ?? 1);
}
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(ARTIFACTS, { recursive: true });
if (!args.has("--keep")) rmSync(join(E2E_DIR, "tmp"), { recursive: true, force: true });

const env = { ...process.env, TT_E2E_ARTIFACTS: ARTIFACTS };
let files = [join(here, "harness.test.mjs")];
if (!args.has("--harness-only")) {
  try {
    env.TT_E2E_WHEELHOUSE = ensureWheelhouse();
    env.TT_E2E_TINY_GPT2 = ensureTinyGpt2();
    env.TT_E2E_VSIX = packageExtension();
  } catch (err) {
    process.stderr.write(`e2e: FAILED preparing the fixtures: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`e2e: extension package ${env.TT_E2E_VSIX}\n`);
  files = readdirSync(here)
    .filter((f) => f.endsWith(".test.mjs"))
    // --only=NAME[,NAME...] runs those NAME.test.mjs files alone (no harness), e.g. --only=walkthrough.
    .filter((f) => !only || only.split(",").some((name) => f === `${name}.test.mjs`))
    .sort()
    .map((f) => join(here, f));
}

// One `node --test` per file, each file's scratch folders (venvs of ~1 GB) removed after it: the
// files' venvs together once filled a CI machine's disk mid-run (--keep keeps them).
const failedFiles = [];
for (const file of files) {
  const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", file], {
    stdio: "inherit",
    env,
    cwd: REPO,
  });
  if (result.status !== 0) failedFiles.push(`${basename(file)} (exit ${result.status ?? result.signal})`);
  if (!args.has("--keep")) rmSync(join(E2E_DIR, "tmp"), { recursive: true, force: true });
}
const shots = readdirSync(ARTIFACTS).filter((f) => f.endsWith(".png"));
process.stderr.write(
  `e2e: ${failedFiles.length ? `FAILED (${failedFiles.join(", ")})` : "passed"} in ${Math.round((Date.now() - started) / 1000)} s; ` +
    `screenshots in ${ARTIFACTS}: ${shots.join(", ") || "none"}\n`,
);
process.exit(failedFiles.length ? 1 : 0);
