// Where things live. Everything the e2e suite installs or writes is under .e2e/ (git-ignored).
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const E2E_DIR = join(REPO, ".e2e");
export const CACHE = join(E2E_DIR, "cache"); // kept between runs: wheelhouse, tiny model
export const ARTIFACTS = process.env.TT_E2E_ARTIFACTS || join(E2E_DIR, "artifacts"); // screenshots, logs
export const BACKEND_PYTHON = join(REPO, ".venv", "bin", "python");
