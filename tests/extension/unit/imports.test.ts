// The extension's imports, read from its import statements (TypeScript's preProcessFile): no
// circle, and the host and the webview bundles meet only in shared/ and the generated protocol.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isGenerated } from "../generated";

const EXTENSION = join(__dirname, "..", "..", "..", "extension");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

const rel = (path: string): string => relative(EXTENSION, path).split("\\").join("/");

/** File (relative to extension/) -> the extension files it imports (type-only imports too). */
export function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(EXTENSION)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    const deps = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolve(dirname(file), spec))
      .flatMap((base) => [`${base}.ts`, join(base, "index.ts")].filter((p) => existsSync(p)).slice(0, 1))
      .map(rel);
    graph.set(rel(file), deps);
  }
  return graph;
}

/** Every strongly connected group of more than one file (Tarjan), each sorted. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(dep) ?? 0));
      } else if (stack.includes(dep)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(dep) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let top: string | undefined;
      do {
        top = stack.pop();
        if (top !== undefined) group.push(top);
      } while (top !== undefined && top !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

const side = (file: string): "webview" | "shared" | "generated" | "host" =>
  isGenerated(file)
    ? "generated"
    : file.startsWith("webview/")
      ? "webview"
      : file.startsWith("shared/")
        ? "shared"
        : "host";

describe("extension imports", () => {
  const graph = importGraph();

  it("the check finds a circle and reads the graph", () => {
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
    ).toEqual([["a", "b", "c"]]);
    expect(graph.get("commands.ts")).toContain("backend/routes.generated.ts");
  });

  it("has no import circle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("host and webview meet only in shared/ and the generated protocol", () => {
    const allowed: Record<ReturnType<typeof side>, ReadonlySet<string>> = {
      host: new Set(["host", "shared", "generated"]),
      webview: new Set(["webview", "shared", "generated"]),
      shared: new Set(["shared", "generated"]),
      generated: new Set(["generated"]),
    };
    const wrong = [...graph].flatMap(([file, deps]) =>
      deps.filter((dep) => !allowed[side(file)].has(side(dep))).map((dep) => `${file} -> ${dep}`),
    );
    expect(wrong).toEqual([]);
  });

  it("cells/ is the lesson's cells: only the lesson page, its registration and activation use it", () => {
    // Running a .py file (runFile.ts) is a command of its own, not a lesson cell.
    const users = new Set(["extension.ts", "lessons/register.ts"]);
    const wrong = [...graph].flatMap(([file, deps]) =>
      file.startsWith("cells/") || file.startsWith("lesson/") || users.has(file)
        ? []
        : deps.filter((dep) => dep.startsWith("cells/")).map((dep) => `${file} -> ${dep}`),
    );
    expect(wrong).toEqual([]);
  });

  it("backend/ takes its notices UI from the caller, not from the settings or the editor", () => {
    const wrong = [...graph].flatMap(([file, deps]) =>
      file.startsWith("backend/")
        ? deps.filter((dep) => !dep.startsWith("backend/") && !dep.startsWith("shared/")).map((d) => `${file} -> ${d}`)
        : [],
    );
    expect(wrong).toEqual([]);
  });
});
