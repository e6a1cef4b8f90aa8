// The install's CPU-only question when status already knows there is no card.
import { describe, expect, it } from "vitest";
import type { StatusResult } from "../../../extension/backend/protocol";
import { CPU_ONLY, installArgs, shouldOffer, WITH_PLUGIN } from "../../../extension/installChoice";
import type { TtXlaSettings } from "../../../extension/settings";
import { DEFAULTS } from "../defaults";

const NO_CARD: StatusResult = {
  backendVersion: "0",
  packages: {},
  state: "missing",
  ttDevices: [],
  ttSmi: null,
  venv: "v",
};
const CARD: StatusResult = { ...NO_CARD, ttDevices: ["/dev/tenstorrent/0"] };
const INSTALL = "tenstorrent.installTtXla";

function ui(status: StatusResult | undefined, answer?: string, settings: Partial<TtXlaSettings> = {}) {
  const asked: string[] = [];
  return {
    asked,
    status: async () => status,
    settings: () => ({ ...DEFAULTS, ...settings }),
    ask: async (message: string) => (asked.push(message), answer),
  };
}

describe("Install on a machine without a card", () => {
  it("asks only for a plugin install where status found no /dev/tenstorrent", () => {
    expect(shouldOffer(INSTALL, {}, DEFAULTS, NO_CARD)).toBe(true);
    expect(shouldOffer(INSTALL, {}, DEFAULTS, CARD)).toBe(false);
    expect(shouldOffer(INSTALL, {}, DEFAULTS, undefined)).toBe(false); // backend not up: no guess
    expect(shouldOffer(INSTALL, { cpuOnly: true }, DEFAULTS, NO_CARD)).toBe(false);
    expect(shouldOffer(INSTALL, { cpuOnly: false }, DEFAULTS, NO_CARD)).toBe(false);
    expect(shouldOffer(INSTALL, { reinstall: true }, DEFAULTS, NO_CARD)).toBe(false);
    expect(shouldOffer(INSTALL, {}, { ...DEFAULTS, cpuOnly: true }, NO_CARD)).toBe(false);
    expect(shouldOffer(INSTALL, {}, { ...DEFAULTS, externalEnvironment: "/opt/env" }, NO_CARD)).toBe(false);
    expect(shouldOffer("tenstorrent.runDoctor", {}, DEFAULTS, NO_CARD)).toBe(false);
  });

  it("CPU-only adds cpuOnly; the plugin keeps the arguments; dismissed starts nothing", async () => {
    const cpu = ui(NO_CARD, CPU_ONLY);
    expect(await installArgs(cpu, INSTALL, {})).toEqual({ cpuOnly: true });
    expect(cpu.asked[0]).toContain("No Tenstorrent card was found");
    expect(await installArgs(ui(NO_CARD, WITH_PLUGIN), INSTALL, {})).toEqual({});
    expect(await installArgs(ui(NO_CARD, undefined), INSTALL, {})).toBeUndefined();
  });

  it("with a card nothing is asked", async () => {
    const card = ui(CARD, CPU_ONLY);
    expect(await installArgs(card, INSTALL, {})).toEqual({});
    expect(card.asked).toEqual([]);
  });
});
