// Splits the protocol's TypeScript, compiled once from the whole schema (so every name is the one a
// single file would have), into one file per Python module: each definition's `x-tt-module` (put
// there by python_backend/tt_lessons/schema.py) says where it goes. A titled field's type (e.g.
// `Runid1`) goes with the definition that uses it; a module longer than MAX_LINES continues in
// numbered parts (results.ts, results2.ts). Files import each other's types with `import type`, only
// ever from modules and parts placed before them, so no two files import each other.
import ts from "typescript";

/** The schema keyword naming the Python module that declares a definition or a titled field. */
export const MODULE_KEY = "x-tt-module";
/** Generated files stay under the project's 400-line limit for source files. */
export const MAX_LINES = 399;
/** json-schema-to-typescript's note on each definition's declaration: the definition's key. */
const DEFINITION = /via the `definition` "([^"]+)"/;

/** Lines of a file's text (its last line ends with a newline). */
export const lineCount = (text) => text.split("\n").length - (text.endsWith("\n") ? 1 : 0);

/** The compiled declarations in order, each with its doc comment and the names its type uses. */
function declarations(text) {
  const file = ts.createSourceFile("protocol.ts", text, ts.ScriptTarget.Latest, true);
  const decls = file.statements.map((node) => {
    if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node)) {
      throw new Error(`unexpected ${ts.SyntaxKind[node.kind]} in the compiled protocol`);
    }
    const refs = new Set();
    const visit = (n) => {
      if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) refs.add(n.typeName.text);
      if (ts.isExpressionWithTypeArguments(n) && ts.isIdentifier(n.expression)) refs.add(n.expression.text);
      ts.forEachChild(n, visit);
    };
    visit(node);
    refs.delete(node.name.text);
    return { name: node.name.text, node, text: text.slice(node.getFullStart(), node.end).trim(), refs };
  });
  // Only the names declared here matter (not, say, a built-in generic).
  const names = new Set(decls.map((d) => d.name));
  for (const decl of decls) decl.refs = new Set([...decl.refs].filter((r) => names.has(r)));
  return decls;
}

const propertyName = (member) =>
  ts.isIdentifier(member.name) || ts.isStringLiteral(member.name) ? member.name.text : undefined;

/** Declaration name -> module for each definition, the root and each field tagged by hand. */
function anchorModules(decls, schema, rootName) {
  const modules = new Map();
  const schemas = new Map([[rootName, schema]]);
  const tag = (name, node, what) => {
    if (typeof node[MODULE_KEY] !== "string") throw new Error(`${what} has no ${MODULE_KEY}`);
    modules.set(name, node[MODULE_KEY]);
  };
  tag(rootName, schema, "the schema's root");
  for (const decl of decls) {
    const key = DEFINITION.exec(decl.text)?.[1];
    if (key === undefined) continue;
    schemas.set(decl.name, schema.$defs[key]);
    tag(decl.name, schema.$defs[key], `definition ${key}`);
  }
  const defs = Object.keys(schema.$defs ?? {}).length;
  if (schemas.size - 1 !== defs) throw new Error(`found ${schemas.size - 1} of the ${defs} definitions`);
  // A field whose schema carries the tag (a titled type no definition names): its type goes there.
  for (const decl of decls) {
    const properties = schemas.get(decl.name)?.properties;
    if (!properties || !ts.isInterfaceDeclaration(decl.node)) continue;
    for (const member of decl.node.members) {
      const property = properties[propertyName(member) ?? ""];
      if (!property?.[MODULE_KEY]) continue;
      if (!member.type || !ts.isTypeReferenceNode(member.type) || !ts.isIdentifier(member.type.typeName)) {
        throw new Error(`${decl.name}.${propertyName(member)}: a tagged field needs a named type`);
      }
      tag(member.type.typeName.text, property, `${decl.name}.${propertyName(member)}`);
    }
  }
  return modules;
}

/** `keys` reordered so each comes after the keys it depends on, else in the given order. */
function dependencyOrder(keys, dependsOn) {
  const order = [];
  const left = [...keys];
  while (left.length > 0) {
    const next = left.findIndex((key) => [...dependsOn(key)].every((dep) => dep === key || !left.includes(dep)));
    if (next < 0) throw new Error(`types depend on each other in a circle: ${left.join(", ")}`);
    order.push(...left.splice(next, 1));
  }
  return order;
}

/** Each definition (an anchor) with the titled field types only it reaches, and what it uses. */
function units(decls, modules) {
  const byName = new Map(decls.map((d) => [d.name, d]));
  const owner = new Map([...modules.keys()].map((name) => [name, name]));
  const found = [];
  for (const decl of decls.filter((d) => modules.has(d.name))) {
    const members = [decl];
    for (let i = 0; i < members.length; i++) {
      for (const ref of members[i].refs) {
        if (!byName.has(ref) || owner.has(ref)) continue;
        owner.set(ref, decl.name);
        members.push(byName.get(ref));
      }
    }
    found.push({ name: decl.name, module: modules.get(decl.name), members });
  }
  const lost = decls.filter((d) => !owner.has(d.name)).map((d) => d.name);
  if (lost.length > 0) throw new Error(`no definition uses ${lost.join(", ")}`);
  const order = new Map(decls.map((d, i) => [d.name, i]));
  for (const unit of found) {
    unit.members = [unit.members[0], ...unit.members.slice(1).sort((a, b) => order.get(a.name) - order.get(b.name))];
    unit.deps = new Set(unit.members.flatMap((m) => [...m.refs].filter((r) => owner.has(r)).map((r) => owner.get(r))));
    unit.deps.delete(unit.name);
  }
  return found;
}

/** `import type { A, B } from "./x";` as prettier writes it at `printWidth`. */
function importLine(names, from, printWidth) {
  const line = `import type { ${names.join(", ")} } from "./${from}";`;
  return line.length <= printWidth
    ? line
    : `import type {\n${names.map((n) => `  ${n},`).join("\n")}\n} from "./${from}";`;
}

/** A file's text: banner, the types it imports from where `placed` says, then its own. */
function render(banner, fileUnits, placed, printWidth) {
  const own = new Set(fileUnits.flatMap((u) => u.members.map((m) => m.name)));
  const imports = new Map();
  for (const member of fileUnits.flatMap((u) => u.members)) {
    for (const ref of member.refs) {
      if (own.has(ref)) continue;
      if (!placed.has(ref)) throw new Error(`${member.name} uses ${ref}, which no earlier file has`);
      const from = placed.get(ref);
      imports.set(from, new Set([...(imports.get(from) ?? []), ref]));
    }
  }
  const head = [...imports.keys()].sort().map((from) => importLine([...imports.get(from)].sort(), from, printWidth));
  const body = fileUnits.map((u) => u.members.map((m) => m.text).join("\n")).join("\n\n");
  return [banner, ...(head.length > 0 ? [head.join("\n")] : []), body].join("\n\n") + "\n";
}

/**
 * File stem -> text of each file of the split `compiled` protocol, in dependency order.
 * `bannerOf(module)` heads each file; `printWidth` is the one the text was formatted with.
 */
export function splitProtocol(compiled, schema, rootName, bannerOf, printWidth) {
  const decls = declarations(compiled);
  const all = units(decls, anchorModules(decls, schema, rootName));
  const stems = new Map();
  for (const module of new Set(all.map((u) => u.module))) {
    const stem = module.split(".").at(-1);
    if ([...stems.values()].includes(stem)) throw new Error(`two modules are named ${stem}`);
    stems.set(module, stem);
  }
  const unitOf = new Map(all.map((u) => [u.name, u]));
  const moduleDeps = (module) =>
    new Set(
      all
        .filter((u) => u.module === module)
        .flatMap((u) => [...u.deps])
        .map((d) => unitOf.get(d).module),
    );
  const files = new Map();
  const placed = new Map(); // type name -> the file stem it is in
  for (const module of dependencyOrder([...stems.keys()], moduleDeps)) {
    const ordered = dependencyOrder(
      all.filter((u) => u.module === module).map((u) => u.name),
      (name) => unitOf.get(name).deps,
    ).map((name) => unitOf.get(name));
    let part = [];
    let stem = stems.get(module);
    let parts = 1;
    const close = () => {
      const text = render(bannerOf(module), part, placed, printWidth);
      if (lineCount(text) > MAX_LINES) throw new Error(`${part[0].name} alone is over ${MAX_LINES} lines`);
      if (files.has(stem)) throw new Error(`a part of ${module} and a module are both named ${stem}`);
      files.set(stem, text);
      for (const name of part.flatMap((u) => u.members.map((m) => m.name))) placed.set(name, stem);
    };
    for (const unit of ordered) {
      if (part.length > 0 && lineCount(render(bannerOf(module), [...part, unit], placed, printWidth)) > MAX_LINES) {
        close();
        part = [];
        parts += 1;
        stem = `${stems.get(module)}${parts}`;
      }
      part.push(unit);
    }
    close();
  }
  return files;
}
