// No product code that only the tests use (issue 23.6): every top-level export of extension/ is
// referenced somewhere in extension/ besides its own declaration. TypeScript's checker resolves
// each name, so a name that only looks alike elsewhere does not count.
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { isGenerated } from "../generated";

const ROOT = join(__dirname, "..", "..", "..");
/** VS Code calls these by name (package.json "main"); nothing in extension/ does. */
const ENTRY_POINTS = new Set(["extension.ts:activate", "extension.ts:deactivate"]);

function program(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  if (!config) throw new Error("tsconfig.json did not parse");
  // The product alone: what tests import does not count as a use.
  const product = config.fileNames.filter((f) => !relative(join(ROOT, "extension"), f).startsWith(".."));
  return ts.createProgram(product, config.options);
}

const exported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The top-level names a file exports, with their declaration nodes. */
function exportsOf(file: ts.SourceFile): ts.Identifier[] {
  const names: ts.Identifier[] = [];
  for (const node of file.statements) {
    if (!exported(node)) continue;
    if (ts.isVariableStatement(node)) {
      for (const d of node.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name);
    } else if (
      (ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isInterfaceDeclaration(node) ||
        ts.isTypeAliasDeclaration(node) ||
        ts.isEnumDeclaration(node)) &&
      node.name
    ) {
      names.push(node.name);
    }
  }
  return names;
}

const inProduct = (file: ts.SourceFile): boolean =>
  !file.isDeclarationFile && !relative(join(ROOT, "extension"), file.fileName).startsWith("..");

/** The symbols the product's files refer to (imports followed to what they import). */
function usedSymbols(prog: ts.Program): Set<ts.Symbol> {
  const checker = prog.getTypeChecker();
  const used = new Set<ts.Symbol>();
  for (const file of prog.getSourceFiles().filter(inProduct)) {
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        if (symbol) {
          const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
          // Its own declaration does not count as a use.
          if (!target.declarations?.some((d) => (d as ts.NamedDeclaration).name === node)) used.add(target);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return used;
}

/** `file:name` for each export of extension/ that only tests/ refer to (or nothing at all). The
 * generated files are the backend's export, kept whole. */
function unusedByTheProduct(prog: ts.Program): string[] {
  const checker = prog.getTypeChecker();
  const used = usedSymbols(prog);
  const found: string[] = [];
  for (const file of prog.getSourceFiles().filter(inProduct)) {
    const rel = relative(join(ROOT, "extension"), file.fileName).split("\\").join("/");
    if (isGenerated(rel)) continue;
    for (const name of exportsOf(file)) {
      const symbol = checker.getSymbolAtLocation(name);
      const key = `${rel}:${name.text}`;
      if (symbol && !used.has(symbol) && !ENTRY_POINTS.has(key)) found.push(key);
    }
  }
  return found.sort();
}

describe("test-only code", () => {
  it("every export of extension/ is used by extension/ itself", () => {
    expect(unusedByTheProduct(program())).toEqual([]);
  }, 120_000);
});
