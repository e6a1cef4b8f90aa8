// Finds the Python that runs the backend: the `tenstorrent.ttXla.pythonPath` setting, else the
// Python extension's selected interpreter (trusted workspaces only), else `python3` on PATH. The
// backend's own libraries ship inside the extension (bundled/libs), so any CPython 3.10+ will do.
import { execFile } from "node:child_process";
import { join } from "node:path";

export const MIN_PYTHON: readonly [number, number] = [3, 10];

export interface Interpreter {
  path: string;
  version: [number, number];
  source: "setting" | "python-extension" | "path";
}

export interface PythonSources {
  /** The pythonPath setting (already trust-filtered), or "". */
  setting: string;
  /** Asks ms-python.python for its selected interpreter; undefined when it is not installed. */
  pythonExtension: () => Promise<string | undefined>;
  /** Runs `path -c code` with no shell and returns stdout. */
  probe: (path: string, code: string) => Promise<string>;
}

export type Found = { ok: true; interpreter: Interpreter } | { ok: false; tried: string[] };

const VERSION_CODE = "import sys; print('%d.%d' % sys.version_info[:2])";

export function parseVersion(text: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\s*$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function supported(v: [number, number]): boolean {
  return v[0] > MIN_PYTHON[0] || (v[0] === MIN_PYTHON[0] && v[1] >= MIN_PYTHON[1]);
}

/** Tries each source in order; says what it tried (and why each failed) when none fits. */
export async function findPython(sources: PythonSources): Promise<Found> {
  const tried: string[] = [];
  const candidates: [string | undefined, Interpreter["source"]][] = [[sources.setting || undefined, "setting"]];
  const fromExtension = await sources.pythonExtension().catch(() => undefined);
  candidates.push([fromExtension, "python-extension"], ["python3", "path"]);
  for (const [path, source] of candidates) {
    if (!path) continue;
    try {
      const version = parseVersion(await sources.probe(path, VERSION_CODE));
      if (!version) {
        tried.push(`${path} (${source}): could not read its version`);
      } else if (!supported(version)) {
        tried.push(`${path} (${source}): Python ${version.join(".")} is older than ${MIN_PYTHON.join(".")}`);
      } else {
        return { ok: true, interpreter: { path, version, source } };
      }
    } catch (err) {
      tried.push(`${path} (${source}): ${err instanceof Error ? err.message : String(err)}`);
    }
    // A set but broken pythonPath is still reported, then the next source is tried.
  }
  return { ok: false, tried };
}

/**
 * The sources to try in this workspace. The Python extension's selection is often the
 * workspace's own `.venv/bin/python`, which an untrusted folder controls, so it only counts once
 * the workspace is trusted; the (user-level) setting and `python3` on PATH remain.
 */
export function trustedSources(sources: PythonSources, trusted: boolean): PythonSources {
  return trusted ? sources : { ...sources, pythonExtension: () => Promise.resolve(undefined) };
}

export function probeWithExecFile(path: string, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ["-c", code], { timeout: 15_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/**
 * The server's environment: the extension's bundled libraries and backend source first on
 * PYTHONPATH. `bundled/abi/cpXY` holds pydantic-core built for each supported Python, because
 * pip installed the rest for the packaging interpreter only.
 */
export function serverEnv(
  extensionPath: string,
  version: [number, number],
  base: NodeJS.ProcessEnv,
  sep = ":",
): NodeJS.ProcessEnv {
  const paths = [
    join(extensionPath, "bundled", "abi", `cp${version[0]}${version[1]}`),
    join(extensionPath, "bundled", "libs"),
    join(extensionPath, "python_backend"),
  ];
  if (base.PYTHONPATH) paths.push(base.PYTHONPATH);
  return { ...base, PYTHONPATH: paths.join(sep), PYTHONUNBUFFERED: "1", PYTHONNOUSERSITE: "1" };
}

export const SERVER_ARGS: readonly string[] = ["-m", "tt_lessons.cli", "serve"];
