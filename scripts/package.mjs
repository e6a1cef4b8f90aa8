// `npm run package`: production bundle, bundled Python libraries, then `vsce package` into
// tt-lessons-<version>.vsix at the repository root. The .vsix carries platform wheels (uv,
// pydantic-core), so it is marked for this machine's VS Code target (e.g. linux-x64).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** VS Code's name for this platform (`vsce package --target`). */
export function vscodeTarget(platform = process.platform, arch = process.arch) {
  const os = { linux: "linux", darwin: "darwin", win32: "win32" }[platform];
  const cpu = { x64: "x64", arm64: "arm64", arm: "armhf" }[arch];
  return os && cpu ? `${os}-${cpu}` : undefined;
}

function step(cmd, args) {
  console.log(`> ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { cwd: ROOT, stdio: "inherit" });
}

function main() {
  step(process.execPath, ["scripts/build.mjs", "--production"]);
  step(process.execPath, ["scripts/bundle-python.mjs"]);
  const out = `tt-lessons-${pkg.version}.vsix`;
  const target = vscodeTarget();
  const vsce = join(ROOT, "node_modules", "@vscode", "vsce", "vsce");
  step(process.execPath, [
    vsce,
    "package",
    "--no-dependencies",
    "--skip-license",
    "--allow-missing-repository",
    ...(target ? ["--target", target] : []),
    "--out",
    out,
  ]);
  console.log(`packaged ${out}${target ? ` for ${target}` : ""}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
