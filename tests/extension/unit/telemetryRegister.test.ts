// The telemetry's editor side with a stand-in `vscode` module: the status-bar item shows only
// with chips, the sidebar rows follow the readings, the hasChips context key (which package.json's
// Reset Chips menus name) changes with them, and nothing is read while the window is unfocused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { StatusRow } from "../../../extension/status/model";
import { registerTelemetry } from "../../../extension/telemetry/register";
import { HAS_CHIPS } from "../../../extension/telemetry/reset";
import type { ChipReading } from "../../../extension/telemetry/sysfs";

const fake = vi.hoisted(() => ({
  focused: true,
  windowListeners: new Set<(s: { focused: boolean }) => void>(),
  item: { text: "", tooltip: "", visible: false, name: "", command: "" },
  context: [] as [string, unknown][],
}));

vi.mock("vscode", () => ({
  StatusBarAlignment: { Left: 1 },
  window: {
    get state() {
      return { focused: fake.focused, active: fake.focused };
    },
    onDidChangeWindowState: (l: (s: { focused: boolean }) => void) => {
      fake.windowListeners.add(l);
      return { dispose: () => fake.windowListeners.delete(l) };
    },
    createStatusBarItem: () =>
      Object.assign(fake.item, {
        show: () => (fake.item.visible = true),
        hide: () => (fake.item.visible = false),
        dispose: () => undefined,
      }),
  },
  commands: {
    executeCommand: async (cmd: string, key: string, value: unknown) => {
      if (cmd === "setContext") fake.context.push([key, value]);
    },
  },
  Disposable: {
    from: (...ds: { dispose(): void }[]) => ({ dispose: () => ds.forEach((d) => d.dispose()) }),
  },
}));

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));
const chip: ChipReading = { index: 0, card: "n150", tempC: 45, powerW: 23, aiclkMHz: 1000 };

beforeEach(() => {
  fake.focused = true;
  fake.windowListeners.clear();
  fake.context = [];
  Object.assign(fake.item, { text: "", tooltip: "", visible: false });
});

describe("registerTelemetry", () => {
  it("shows nothing and leaves hasChips false where no chip exists", async () => {
    const rows: StatusRow[][] = [];
    const d = registerTelemetry({ showRows: (r) => rows.push(r) }, async () => []);
    await settle();
    expect(fake.item.visible).toBe(false);
    expect(rows).toEqual([]); // no rows were ever added, so none to remove
    expect(fake.context).toEqual([[HAS_CHIPS, false]]);
    d.dispose();
  });

  it("shows the chips in the status bar and the sidebar, and sets hasChips", async () => {
    const rows: StatusRow[][] = [];
    const d = registerTelemetry({ showRows: (r) => rows.push(r) }, async () => [chip]);
    await settle();
    expect(fake.item.visible).toBe(true);
    expect(fake.item.text).toBe("$(thermometer) 45 °C · 23 W · 1000 MHz");
    expect(rows.map((r) => r.map((row) => row.label))).toEqual([["Chip 0 (n150)"]]);
    expect(fake.context).toEqual([[HAS_CHIPS, true]]);
    d.dispose();
  });

  it("reads nothing while the window is unfocused, and at once when it gains focus", async () => {
    fake.focused = false;
    let reads = 0;
    const d = registerTelemetry({ showRows: () => undefined }, async () => {
      reads++;
      return [chip];
    });
    await settle();
    expect(reads).toBe(0);
    for (const l of fake.windowListeners) l({ focused: true });
    await settle();
    expect(reads).toBe(1);
    d.dispose();
    expect(fake.windowListeners.size).toBe(0);
  });
});

describe("Reset Chips in package.json", () => {
  it("shows in the palette and the view only while chips are found", () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const entries = Object.entries(pkg.contributes.menus).flatMap(([menu, items]) =>
      items.filter((i) => i.command === "tenstorrent.resetChips").map((i) => [menu, i.when] as const),
    );
    expect(entries.map(([menu]) => menu).sort()).toEqual(["commandPalette", "view/title"]);
    for (const [, when] of entries) expect(when).toContain(HAS_CHIPS);
  });
});
