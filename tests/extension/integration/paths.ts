// Where the integration tests find the backend's Python and the CPU-only test venv.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..", "..");
export const TEST_VENV = join(REPO, ".cache", "test-venv");

/** The repository's backend interpreter (`bash scripts/setup-python.sh` makes it). */
export function backendPython(): string {
  const py = join(REPO, ".venv", "bin", "python");
  if (!existsSync(py)) {
    throw new Error(`${py} is missing: run \`bash scripts/setup-python.sh\` to create the backend venv`);
  }
  return py;
}

export function ttLessons(): string {
  return join(REPO, ".venv", "bin", "tt-lessons");
}
