// What every e2e file shares: the inputs run.mjs prepares (env), the commands the tests click,
// the interpreter the backend must run on, and the lesson's title as the page shows it.
import { readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { makeProfile } from "./codeserver.mjs";
import { E2E_DIR, REPO } from "./paths.mjs";

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

/**
 * A code-server profile as a person on a CPU machine sets it up: offline, CPU-only, the e2e
 * wheelhouse and tiny GPT-2, the backend on Debian's Python. Machine settings, because code-server
 * drops a User file's machine-scoped values (venvPath, pythonPath, ...) on a window reload.
 * Nothing of this checkout's .venv (pygls, pydantic, uv) may reach the backend.
 */
export function offlineCpuProfile(root, venv) {
  const profile = makeProfile(
    root,
    {},
    {
      "tenstorrent.ttXla.venvPath": venv,
      "tenstorrent.ttXla.cpuOnly": true,
      "tenstorrent.ttXla.offline": true,
      "tenstorrent.ttXla.wheelhouse": WHEELHOUSE,
      "tenstorrent.ttXla.modelPath": TINY_GPT2,
      "tenstorrent.ttXla.timeoutSeconds": 900,
      "tenstorrent.ttXla.pythonPath": SYSTEM_PYTHON,
    },
  );
  profile.env.TT_LESSONS_HOME = join(root, "tt-lessons-home");
  profile.env.UV_CACHE_DIR = join(E2E_DIR, "cache", "uv"); // shared: no 800 MB unpacked per run
  const ownVenv = process.env.VIRTUAL_ENV;
  profile.env.PATH = (profile.env.PATH ?? "")
    .split(delimiter)
    .filter((d) => d && !d.startsWith(join(REPO, ".venv")) && (!ownVenv || !d.startsWith(ownVenv)))
    .join(delimiter);
  for (const k of ["VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE"]) delete profile.env[k];
  return profile;
}
