// No command id or method name is written out in hand-written TypeScript: each comes from
// routes.generated.ts (COMMAND, METHOD), generated from the backend's protocol/names.py and routes/.
// The TypeScript parser finds string literals (also in types); a comment may still name one.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isGenerated } from "../generated";
import { COMMAND, METHOD } from "../../../extension/backend/routes.generated";

const EXTENSION = join(__dirname, "..", "..", "..", "extension");
const NAMES: ReadonlySet<string> = new Set([...Object.values(COMMAND), ...Object.values(METHOD)]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Every string literal (plain or template without substitutions) in `text`, types included. */
export function stringLiterals(text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, true));
  return found;
}

describe("one vocabulary", () => {
  it("the scanner finds literals in code and types, not in comments", () => {
    const text = `// "tenstorrent/runCell"\nconst a: ParamsOf<"tenstorrent/status"> = f('tenstorrent.runDoctor', \`x\`);`;
    expect(stringLiterals(text)).toEqual(["tenstorrent/status", "tenstorrent.runDoctor", "x"]);
  });

  it("the generated tables hold every command and method", () => {
    expect(COMMAND.INSTALL_TT_XLA).toBe("tenstorrent.installTtXla");
    expect(METHOD.event).toBe("tenstorrent/event");
    expect(METHOD.status).toBe("tenstorrent/status");
  });

  it("hand-written TypeScript names no command id or method by a string literal", () => {
    const hits = sources(EXTENSION)
      .filter((path) => !isGenerated(relative(EXTENSION, path).split("\\").join("/")))
      .flatMap((path) =>
        stringLiterals(readFileSync(path, "utf8"))
          .filter((s) => NAMES.has(s))
          .map((s) => `${relative(EXTENSION, path)}: "${s}"`),
      );
    expect(hits).toEqual([]);
  });
});
