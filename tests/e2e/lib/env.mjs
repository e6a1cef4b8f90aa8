// What every e2e file shares: the inputs run.mjs prepares (env), the commands the tests click,
// the interpreter the backend must run on, and the lesson's title as the page shows it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./paths.mjs";

export const VSIX = process.env.TT_E2E_VSIX;
export const WHEELHOUSE = process.env.TT_E2E_WHEELHOUSE;
export const TINY_GPT2 = process.env.TT_E2E_TINY_GPT2;
export const MINUTE = 60_000;

export const INSTALL = "tenstorrent.installTtXla";
export const SANITY = "tenstorrent.testTtXlaInstall";
export const DEMO = "tenstorrent.runTtXlaDemo";
export const MESH = "tenstorrent.runMeshExample";
export const CNN = "tenstorrent.runCnnExample";
export const DOCTOR = "tenstorrent.runDoctor";

// Debian's interpreter (scripts/setup-e2e.sh installs python3 + python3-venv with apt): it has none
// of the backend's libraries, so the backend runs only if the .vsix bundles all of them.
export const SYSTEM_PYTHON = "/usr/bin/python3";
export const LESSON_TITLE = /^title:\s*"?(.*?)"?\s*$/m.exec(
  readFileSync(join(REPO, "lessons", "tt-xla-jax.md"), "utf8"),
)[1];
