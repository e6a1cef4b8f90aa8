// scripts/split-protocol.mjs on small made-up schemas: where each type goes, the numbered parts of
// a long module, and the schemas it refuses.
import { compile } from "json-schema-to-typescript";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { lineCount, MAX_LINES, MODULE_KEY, splitProtocol } from "../../../scripts/split-protocol.mjs";

type Schema = Record<string, unknown> & { $defs: Record<string, Record<string, unknown>> };

/** A definition with `fields` described string fields (each a titled type of its own). */
const model = (module: string | undefined, fields: number, extra: Record<string, unknown> = {}) => ({
  type: "object",
  ...(module === undefined ? {} : { [MODULE_KEY]: module }),
  properties: {
    ...Object.fromEntries(
      Array.from({ length: fields }, (_, i) => [`f${i}`, { type: "string", title: `F${i}`, description: "A field." }]),
    ),
    ...extra,
  },
});

const root = (defs: Schema["$defs"]): Schema => ({
  title: "Root",
  type: "object",
  [MODULE_KEY]: "pkg.root",
  properties: Object.fromEntries(Object.keys(defs).map((name) => [name.toLowerCase(), { $ref: `#/$defs/${name}` }])),
  $defs: defs,
});

async function split(schema: Schema): Promise<Map<string, string>> {
  const compiled = await compile(schema, "Root", {
    bannerComment: "",
    additionalProperties: false,
    unreachableDefinitions: true,
    style: { printWidth: 120 },
  });
  return splitProtocol(compiled, schema, "Root", (module: string) => `// ${module}`, 120) as Map<string, string>;
}

describe("splitProtocol", () => {
  it("puts each definition, with its titled field types, in its module's file", async () => {
    const files = await split(
      root({
        Leaf: model("pkg.base", 1),
        User: model("pkg.users", 1, { leaf: { $ref: "#/$defs/Leaf" } }),
      }),
    );
    expect([...files.keys()]).toEqual(["base", "users", "root"]);
    expect(files.get("base")).toMatch(/export interface Leaf[\s\S]*export type F0 = string;/);
    expect(files.get("users")).toContain('import type { Leaf } from "./base";');
    expect(files.get("users")).toMatch(/export interface User[\s\S]*export type F01 = string;/);
    expect(files.get("root")).toContain('import type { User } from "./users";');
  });

  it("continues a module past MAX_LINES in numbered parts that import only from earlier ones", async () => {
    const defs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`Big${i}`, model("pkg.big", 20)]));
    defs.Big0 = model("pkg.big", 20, { next: { $ref: "#/$defs/Big7" } });
    const files = await split(root(defs));
    const parts = [...files.keys()].filter((k) => k.startsWith("big"));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toBe("big");
    expect(parts[1]).toBe("big2");
    for (const text of files.values()) expect(lineCount(text)).toBeLessThanOrEqual(MAX_LINES);
    // Big0 uses Big7, so Big7 is placed first and Big0's part imports it, never the other way.
    const big0 = parts.find((p) => files.get(p)?.includes("export interface Big0 ")) ?? "";
    const big7 = parts.find((p) => files.get(p)?.includes("export interface Big7 ")) ?? "";
    expect(parts.indexOf(big7)).toBeLessThanOrEqual(parts.indexOf(big0));
  });

  it("refuses a definition without its module, and a part named like another module", async () => {
    await expect(split(root({ Lost: model(undefined, 1) }))).rejects.toThrow(`definition Lost has no ${MODULE_KEY}`);
    const defs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`Big${i}`, model("pkg.big", 20)]));
    await expect(split(root({ ...defs, Other: model("pkg.big2", 1) }))).rejects.toThrow("both named big2");
  });
});
