// The generated files (extension/backend/protocol/, routes.generated.ts, settings.generated.ts and
// package.json's contributions) must be what the generator makes from protocol/schema.json now.
import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isGenerated } from "../generated";
import {
  compileProtocol,
  generateManifest,
  generateProtocol,
  generateRoutes,
  MANIFEST,
  PROTOCOL_DIR,
  ROUTES_OUTPUT,
  SETTINGS_OUTPUT,
  // @ts-expect-error: a plain .mjs build script without type declarations
} from "../../../scripts/gen-protocol.mjs";

const ROOT = join(__dirname, "..", "..", "..");
const protocolFiles = async (): Promise<Map<string, string>> => (await generateProtocol()) as Map<string, string>;
const routeFiles = async (): Promise<Map<string, string>> => (await generateRoutes()) as Map<string, string>;

/** The names a TypeScript module exports, as the compiler resolves them (re-exports followed). */
function exportedNames(file: string): string[] {
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source && checker.getSymbolAtLocation(source);
  if (!symbol) throw new Error(`${file} did not parse as a module`);
  return checker
    .getExportsOfModule(symbol)
    .map((s) => s.name)
    .sort();
}

/** `node scripts/gen-protocol.mjs --check` in `root`: its exit status and what it printed. */
function check(root: string): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [join(root, "scripts", "gen-protocol.mjs"), "--check"], { encoding: "utf8" });
  return { status: run.status, output: run.stdout + run.stderr };
}

describe("generated protocol", () => {
  it("is current with protocol/schema.json, one file per module (run `npm run gen` if this fails)", async () => {
    const fresh = await protocolFiles();
    for (const [path, text] of fresh) expect(readFileSync(path, "utf8"), path).toBe(text);
    expect(PROTOCOL_DIR).toBe(join(ROOT, "extension", "backend", "protocol"));
    expect(readdirSync(PROTOCOL_DIR).sort()).toEqual([...fresh.keys()].map((p) => relative(PROTOCOL_DIR, p)).sort());
    // Grouped as python_backend/tt_lessons/protocol/ is: a type is in its module's file.
    expect(fresh.get(join(PROTOCOL_DIR, "events.ts"))).toContain("export interface EventNotification");
    expect(fresh.get(join(PROTOCOL_DIR, "names.ts"))).toContain("export type CommandId");
    expect(fresh.get(join(PROTOCOL_DIR, "cells.ts"))).toContain("export type CellStatus");
    expect(fresh.get(join(PROTOCOL_DIR, "routes.ts"))).toContain("export interface Requests");
  }, 60_000);

  it("the index exports every type a compile of the whole schema declares, each once", async () => {
    const whole = ts.createSourceFile("whole.ts", (await compileProtocol()) as string, ts.ScriptTarget.Latest);
    const declared = whole.statements.flatMap((s) =>
      ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) ? [s.name.text] : [],
    );
    expect(declared.length).toBe(whole.statements.length);
    expect(declared).toContain("EventNotification");
    expect(exportedNames(join(PROTOCOL_DIR, "index.ts"))).toEqual([...new Set(declared)].sort());
  }, 60_000);

  it("every generated file is under 400 lines and is one the tests know as generated", async () => {
    const all = new Map([...(await protocolFiles()), ...(await routeFiles())]);
    expect(all.size).toBeGreaterThan(4);
    for (const [path, text] of all) {
      expect(text.split("\n").length - 1, path).toBeLessThan(400);
      expect(isGenerated(relative(join(ROOT, "extension"), path).split("\\").join("/")), path).toBe(true);
    }
  }, 60_000);

  it("routes.generated.ts and settings.generated.ts are current with the schema's data section", async () => {
    const fresh = await routeFiles();
    expect([...fresh.keys()]).toEqual([ROUTES_OUTPUT, SETTINGS_OUTPUT]);
    for (const [path, text] of fresh) expect(readFileSync(path, "utf8"), path).toBe(text);
    expect(fresh.get(ROUTES_OUTPUT)).toContain("export const RUN_COMMANDS");
    expect(fresh.get(ROUTES_OUTPUT)).toContain('"tenstorrent.installTtXla"');
    expect(fresh.get(SETTINGS_OUTPUT)).toContain("export const SETTINGS");
  }, 60_000);

  it("package.json's commands and settings are the generated ones", async () => {
    const fresh = (await generateManifest()) as string;
    expect(readFileSync(MANIFEST as string, "utf8")).toBe(fresh);
    const pkg = JSON.parse(fresh) as { contributes: { commands: { command: string }[] } };
    expect(pkg.contributes.commands.map((c) => c.command)).toContain("tenstorrent.installTtXla");
  }, 30_000);

  it("--check fails on a stale file and on a file in protocol/ that it would not write", () => {
    // A copy of what the generator reads and writes, so the repository itself is never touched.
    const root = mkdtempSync(join(tmpdir(), "gen-protocol-"));
    try {
      for (const path of ["scripts", "protocol", "extension", "package.json", ".prettierrc.json"]) {
        cpSync(join(ROOT, path), join(root, path), { recursive: true });
      }
      symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
      const dir = join(root, "extension", "backend", "protocol");
      expect(check(root)).toMatchObject({ status: 0 });

      const results = join(dir, "results.ts");
      const current = readFileSync(results, "utf8");
      appendFileSync(results, "export type Stale = 1;\n");
      const stale = check(root);
      expect(stale.status).toBe(1);
      expect(stale.output).toContain(`${results} is stale`);
      writeFileSync(results, current);

      writeFileSync(join(dir, "old.ts"), "export type Old = 1;\n");
      const extra = check(root);
      expect(extra.status).toBe(1);
      expect(extra.output).toContain(`${join(dir, "old.ts")} is not generated any more`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
