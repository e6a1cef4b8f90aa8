// extension/backend/protocol.ts must be what the generator makes from protocol/schema.json now.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  generateManifest,
  generateProtocol,
  generateRoutes,
  MANIFEST,
  OUTPUT,
  ROUTES_OUTPUT,
  // @ts-expect-error: a plain .mjs build script without type declarations
} from "../../../scripts/gen-protocol.mjs";

describe("generated protocol", () => {
  it("is current with protocol/schema.json (run `npm run gen` if this fails)", async () => {
    const fresh = (await generateProtocol()) as string;
    expect(readFileSync(OUTPUT as string, "utf8")).toBe(fresh);
    expect(fresh).toContain("export interface EventNotification");
    expect(OUTPUT).toBe(join(__dirname, "..", "..", "..", "extension", "backend", "protocol.ts"));
  }, 30_000);

  it("routes.generated.ts is current with the schema's data section", async () => {
    const fresh = (await generateRoutes()) as string;
    expect(readFileSync(ROUTES_OUTPUT as string, "utf8")).toBe(fresh);
    expect(fresh).toContain("export const RUN_COMMANDS");
    expect(fresh).toContain('"tenstorrent.installTtXla"');
  }, 30_000);

  it("package.json's commands and settings are the generated ones", async () => {
    const fresh = (await generateManifest()) as string;
    expect(readFileSync(MANIFEST as string, "utf8")).toBe(fresh);
    const pkg = JSON.parse(fresh) as { contributes: { commands: { command: string }[] } };
    expect(pkg.contributes.commands.map((c) => c.command)).toContain("tenstorrent.installTtXla");
  }, 30_000);
});
