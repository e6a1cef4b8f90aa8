// Installs the backend's Python dependencies (pyproject.toml [project].dependencies: pygls,
// pydantic, rich, uv) into bundled/libs, so the .vsix needs only a Python 3.10+ on the user's
// machine. Binary wheels only, for this platform: uv and pydantic-core are platform wheels, so
// the .vsix is platform-specific (see package.mjs, which names the target).
// pydantic-core, pyzmq and rpds-py are also per-Python-version extension modules, so they are
// fetched once more for every other supported CPython into bundled/abi/cpXY (the client puts
// the right one first on PYTHONPATH). Skips all work when bundled/.stamp says the same inputs
// were already installed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "bundled");
const STAMP = join(OUT, ".stamp");
const PYTHONS = ["3.10", "3.11", "3.12", "3.13", "3.14"];
// Extension modules built per CPython version (dist-info names): pydantic's core, and pyzmq and
// rpds-py under jupyter_client and nbformat. Each is fetched again for every other Python.
const NATIVE = ["pydantic_core", "pyzmq", "rpds_py"];

/** `dependencies = [ ... ]` under [project], read without a TOML library (a plain list of strings). */
export function projectDependencies(pyproject) {
  const project = /^\[project\]\s*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(pyproject)?.[1] ?? "";
  const list = /^dependencies\s*=\s*\[([\s\S]*?)\]/m.exec(project)?.[1];
  if (list === undefined) throw new Error("pyproject.toml has no [project] dependencies list");
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

function python() {
  if (process.env.TT_LESSONS_BUNDLE_PYTHON) return process.env.TT_LESSONS_BUNDLE_PYTHON;
  const venv = join(ROOT, ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

function run(cmd, args) {
  return execFileSync(cmd, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
}

/** Wheel platform tags for fetching the extension modules for other Pythons; undefined: not supported. */
function platformTags(py) {
  const [system, machine] = run(py, ["-c", "import platform; print(platform.system(), platform.machine())"])
    .trim()
    .split(" ");
  const arch = { x86_64: "x86_64", AMD64: "x86_64", aarch64: "aarch64", arm64: "aarch64" }[machine];
  if (system === "Linux" && arch) return [`manylinux_2_17_${arch}`, `manylinux2014_${arch}`];
  if (system === "Windows" && machine === "AMD64") return ["win_amd64"];
  return undefined;
}

/**
 * The platform tags of the wheels pip chose for this Python (the `Tag:` lines of each
 * dist-info/WHEEL in `libs`), e.g. pyzmq 27's manylinux_2_28. The bundle already needs what
 * they need, so the other Pythons' copies may use the same platforms; pure wheels ("any") add none.
 */
export function installedPlatforms(libs) {
  const found = new Set();
  for (const entry of readdirSync(libs)) {
    const wheel = join(libs, entry, "WHEEL");
    if (!entry.endsWith(".dist-info") || !existsSync(wheel)) continue;
    for (const m of readFileSync(wheel, "utf8").matchAll(/^Tag:\s*\S+?-\S+?-(\S+)\s*$/gm)) {
      for (const platform of m[1].split(".")) if (platform !== "any") found.add(platform);
    }
  }
  return [...found].sort();
}

/**
 * Fetches each pinned extension module for one other Python. pydantic-core must match pydantic
 * exactly; pyzmq and rpds-py keep their APIs across versions, so when the pinned version has no
 * wheel for that Python the newest that has one is taken. `install(req)` returns true when pip
 * installed `req`. Returns what to print: which version went in, or why nothing did.
 */
export function fetchForPython(other, pins, install) {
  const notes = [];
  for (const pin of pins) {
    const [name, version] = pin.split("==");
    if (install(pin)) {
      notes.push(`${pin} for Python ${other}`);
    } else if (name !== "pydantic-core" && install(name)) {
      notes.push(`${name} (newest with a wheel) for Python ${other}: ${version} has none`);
    } else {
      const loses = name === "pydantic-core" ? "the backend cannot start on it" : "its lesson cells cannot run there";
      notes.push(`note: no ${name} wheel for Python ${other} on this platform; ${loses}`);
    }
  }
  return notes;
}

// Libraries' own test suites are never imported at run time, and some carry fixtures that
// look like secrets to vsce's scan (tornado/test/test.key is a private key for its TLS tests).
const TEST_SUITES = ["test", "tests"];

function pruneTestSuites(libs) {
  for (const pkg of readdirSync(libs, { withFileTypes: true })) {
    if (!pkg.isDirectory() || pkg.name.endsWith(".dist-info")) continue;
    for (const suite of TEST_SUITES) {
      rmSync(join(libs, pkg.name, suite), { recursive: true, force: true });
    }
  }
}

function main() {
  const py = python();
  const deps = projectDependencies(readFileSync(join(ROOT, "pyproject.toml"), "utf8"));
  const version = run(py, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).trim();
  const tags = platformTags(py);
  const inputs = JSON.stringify({ deps, version, tags, pruned: TEST_SUITES });
  if (existsSync(STAMP) && readFileSync(STAMP, "utf8") === inputs) {
    console.log("bundled/libs is up to date");
    return;
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const pip = [
    "-m",
    "pip",
    "install",
    "--disable-pip-version-check",
    "--no-input",
    "--no-compile",
    "--only-binary=:all:",
  ];
  console.log(`installing ${deps.join(", ")} into bundled/libs with ${py} (Python ${version})`);
  run(py, [...pip, "--target", join(OUT, "libs"), ...deps]);
  pruneTestSuites(join(OUT, "libs"));
  const installed = readdirSync(join(OUT, "libs"));
  const pins = NATIVE.map((dist) => {
    const version = installed.map((d) => new RegExp(`^${dist}-(.+)\\.dist-info$`).exec(d)?.[1]).find(Boolean);
    if (!version) throw new Error(`${dist} was not installed`);
    return `${dist.replace("_", "-")}==${version}`;
  });
  if (!tags) {
    console.warn(`no wheel tags known for this platform: the .vsix runs only with Python ${version}`);
  } else {
    const platforms = [...new Set([...tags, ...installedPlatforms(join(OUT, "libs"))])];
    for (const other of PYTHONS.filter((v) => v !== version)) {
      const abi = `cp${other.replace(".", "")}`;
      // pip's own "Could not find a version" is expected on the way (the fallback follows), so
      // its stderr is kept and shown only when pip fails for another reason.
      const install = (req) => {
        const done = spawnSync(
          py,
          [
            ...pip,
            "--no-deps",
            "--target",
            join(OUT, "abi", abi),
            "--python-version",
            other,
            "--implementation",
            "cp",
            "--abi",
            abi,
            "--abi",
            "abi3", // pyzmq's wheels for 3.12+ are one stable-ABI build
            ...platforms.flatMap((t) => ["--platform", t]),
            req,
          ],
          { cwd: ROOT, encoding: "utf8" },
        );
        if (done.status === 0) return true;
        if (!/No matching distribution found/.test(done.stderr)) process.stderr.write(done.stderr);
        return false;
      };
      for (const note of fetchForPython(other, pins, install)) console.log(note);
    }
  }
  writeFileSync(STAMP, inputs);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
