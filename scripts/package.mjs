// `npm run package`: production bundle, bundled Python libraries, then `vsce package` into
// tt-lessons-<version>.vsix at the repository root (where scripts/ui.sh and the e2e tests look),
// hard-linked to dist/tt-lessons.vsix: the one fixed path CI keeps, whatever the version. The
// .vsix carries platform wheels (uv, pydantic-core), so it is marked for this machine's VS Code
// target (e.g. linux-x64).
// `npm run package:report` (`--report [--json]`): the .vsix's size and what is in it, by folder,
// read from its zip directory.
import { execFileSync } from "node:child_process";
import { copyFileSync, linkSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

/** Where CI finds the .vsix, whatever the version. */
export const FIXED_VSIX = join("dist", "tt-lessons.vsix");

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

/**
 * Every entry of a zip file (name, compressed and full size), from its central directory: the
 * end-of-central-directory record is the last 22 bytes plus a comment of up to 64 KiB.
 */
export function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("not a zip file (no end of central directory)");
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    entries.push({ name: buf.toString("utf8", at + 46, at + 46 + nameLen), compressed, size });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The folder an entry is counted under: two levels in, three under bundled/ (one per library). */
export function group(name) {
  const parts = name.replace(/^extension\//, "").split("/");
  const depth = parts[0] === "bundled" ? 3 : 2;
  return parts.length > depth ? `${parts.slice(0, depth).join("/")}/` : parts.join("/");
}

/** Size, file count and per-folder totals of a .vsix, largest first. */
export function report(path) {
  const buf = readFileSync(path);
  const entries = zipEntries(buf);
  const groups = new Map();
  for (const e of entries) {
    const g = groups.get(group(e.name)) ?? { path: group(e.name), files: 0, compressed: 0, size: 0 };
    g.files += 1;
    g.compressed += e.compressed;
    g.size += e.size;
    groups.set(g.path, g);
  }
  return {
    vsix: path,
    bytes: buf.length,
    files: entries.length,
    groups: [...groups.values()].sort((a, b) => b.compressed - a.compressed),
  };
}

const mib = (n) => `${(n / 2 ** 20).toFixed(2)} MiB`;

function printReport(r) {
  console.log(`${r.vsix}: ${mib(r.bytes)}, ${r.files} files`);
  console.log(`${"packed".padStart(11)} ${"unpacked".padStart(11)} ${"files".padStart(6)}  folder`);
  for (const g of r.groups) {
    console.log(
      `${mib(g.compressed).padStart(11)} ${mib(g.size).padStart(11)} ${String(g.files).padStart(6)}  ${g.path}`,
    );
  }
}

function main() {
  const args = process.argv.slice(2);
  if (args.includes("--report")) {
    const r = report(join(ROOT, FIXED_VSIX));
    if (args.includes("--json")) console.log(JSON.stringify(r, null, 2));
    else printReport(r);
    return;
  }
  step(process.execPath, ["scripts/build.mjs", "--production"]);
  step(process.execPath, ["scripts/bundle-python.mjs"]);
  const out = `tt-lessons-${pkg.version}.vsix`;
  const target = vscodeTarget();
  const vsce = join(ROOT, "node_modules", "@vscode", "vsce", "vsce");
  // No --skip-license / --allow-missing-repository: LICENSE and package.json's repository exist,
  // and vsce's warnings about them should stay errors.
  step(process.execPath, [vsce, "package", "--no-dependencies", ...(target ? ["--target", target] : []), "--out", out]);
  const fixed = join(ROOT, FIXED_VSIX);
  mkdirSync(dirname(fixed), { recursive: true });
  rmSync(fixed, { force: true });
  try {
    linkSync(join(ROOT, out), fixed); // the same file twice, no second copy on disk
  } catch {
    copyFileSync(join(ROOT, out), fixed);
  }
  console.log(`packaged ${out}${target ? ` for ${target}` : ""} (also ${FIXED_VSIX})`);
  printReport(report(fixed));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
