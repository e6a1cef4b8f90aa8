// @vitest-environment jsdom
// The run panel for keyboards and screen readers: an error's fixes as buttons, the run announced
// in a live region, tables and mesh cells named, and mesh colours readable under white text.
import { beforeEach, describe, expect, it } from "vitest";
import type { Event, MeshResult } from "../../../extension/backend/protocol";
import { runPanelHtml } from "../../../extension/lesson/render";
import { meshGrid } from "../../../extension/webview/charts";
import { renderMesh, renderSanity } from "../../../extension/webview/results";
import { RunPanel } from "../../../extension/webview/runPanel";

const INSTALL = "tenstorrent.installTtXla";
const ALLOWED = new Set([INSTALL, "tenstorrent.chooseWheelhouse", "tenstorrent.openSettings"]);
let panel: RunPanel;
let root: HTMLElement;

beforeEach(() => {
  document.body.innerHTML = `<button class="tt-run" data-command="${INSTALL}">Install TT-XLA</button>${runPanelHtml(INSTALL, "step-1")}`;
  root = document.querySelector<HTMLElement>(".tt-run-panel")!;
  panel = new RunPanel(root, ALLOWED);
  panel.reset("run-1");
});

const live = (): string => root.querySelector('.tt-announce[role="status"][aria-live="polite"]')?.textContent ?? "";

describe("an error's fixes", () => {
  it("become buttons for the allowed commands, with their arguments; the text fixes stay", () => {
    const event: Event = {
      kind: "error",
      error: {
        code: "index-unreachable",
        message: "Tenstorrent's package index could not be reached.",
        fixes: ["Offline? Use a wheelhouse."],
        actions: [
          { label: "Install CPU-only", command: INSTALL, args: { cpuOnly: true } },
          { label: "Choose a wheelhouse folder…", command: "tenstorrent.chooseWheelhouse" },
          { label: "Set the index URL…", command: "tenstorrent.setIndexUrl" }, // not allowed here
          {
            label: "Open the settings",
            command: "tenstorrent.openSettings",
            args: { query: "tenstorrent.ttXla.indexUrl" },
          },
        ],
      },
    };
    panel.apply(event);
    const buttons = [...root.querySelectorAll<HTMLButtonElement>(".tt-error button.tt-fix")];
    expect(buttons.map((b) => [b.textContent, b.type, b.dataset.command, b.dataset.args])).toEqual([
      ["Install CPU-only", "button", INSTALL, '{"cpuOnly":true}'],
      ["Choose a wheelhouse folder…", "button", "tenstorrent.chooseWheelhouse", undefined],
      ["Open the settings", "button", "tenstorrent.openSettings", '{"query":"tenstorrent.ttXla.indexUrl"}'],
    ]);
    expect(root.querySelector(".tt-fix-actions")?.getAttribute("aria-label")).toBe("Ways to fix this");
    expect(root.querySelector(".tt-fixes")?.textContent).toBe("Offline? Use a wheelhouse.");
  });

  it("an error without actions draws no button row", () => {
    panel.apply({ kind: "error", error: { code: "internal", message: "boom", fixes: ["read the log"] } });
    expect(root.querySelector(".tt-fix-actions")).toBeNull();
  });
});

describe("the run, announced", () => {
  it("names the region after its step and labels its controls", () => {
    expect(root.getAttribute("role")).toBe("region");
    expect(root.getAttribute("aria-label")).toBe("Run of Install TT-XLA");
    expect(root.querySelector("progress")?.getAttribute("aria-label")).toBe("Progress of this run");
    expect(root.querySelector("button.tt-cancel")?.getAttribute("aria-label")).toBe("Cancel this run");
    expect(root.querySelector("pre.tt-log")?.getAttribute("tabindex")).toBe("0");
  });

  it("says the start, each new step once (not every percent), and the end with its reason", () => {
    expect(live()).toBe("Running…");
    panel.apply({ kind: "progress", step: 1, total: 3, label: "Checking", percent: 10 });
    expect(live()).toBe("Step 1/3: Checking");
    root.querySelector(".tt-announce")!.textContent = ""; // as if read out
    panel.apply({ kind: "progress", step: 1, total: 3, label: "Checking", percent: 30 });
    expect(live()).toBe("");
    panel.apply({ kind: "error", error: { code: "internal", message: "No space left." } });
    panel.apply({ kind: "end", status: "failed", exitCode: 1, durationS: 2 });
    expect(live()).toMatch(/^Failed after .*: No space left\.$/);
  });

  it("a new panel on a page already announced keeps one live region", () => {
    new RunPanel(root, ALLOWED);
    expect(root.querySelectorAll(".tt-announce")).toHaveLength(1);
  });
});

describe("drawn results", () => {
  it("tables have a name and column headers", () => {
    const box = renderSanity(document, {
      kind: "sanity",
      devices: [{ id: 0, platform: "cpu", kind: "cpu" }],
      value: 32,
      expected: 32,
      ok: true,
      ttDevice: false,
      platform: "cpu",
      jaxVersion: "0.7.1",
      resultDevice: "TFRT_CPU_0",
      timings: { importS: 1, computeS: 0.1 },
    } as unknown as Parameters<typeof renderSanity>[1]);
    const t = box.querySelector("table.tt-devices")!;
    expect(t.getAttribute("aria-label")).toBe("Devices JAX sees");
    expect([...t.querySelectorAll("th")].every((th) => th.getAttribute("scope") === "col")).toBe(true);
  });

  it("mesh cells are a named list, each reachable by keyboard and read with its device and shard", () => {
    const r = {
      kind: "mesh",
      rows: 1,
      cols: 2,
      axisNames: ["x", "y"],
      maxAbsError: 0,
      ok: true,
      ttDevice: false,
      platform: "cpu",
      shards: [
        { row: 0, col: 0, deviceId: 0, index: "[0:4, 0:8]" },
        { row: 0, col: 1, deviceId: 1, index: "[0:4, 8:16]" },
      ],
    } as unknown as MeshResult;
    const grid = renderMesh(document, r).querySelector(".tt-mesh-grid")!;
    expect(grid.getAttribute("role")).toBe("list");
    const cells = [...grid.querySelectorAll<HTMLElement>(".tt-mesh-cell")];
    expect(cells.map((c) => [c.tabIndex, c.getAttribute("role"), c.getAttribute("aria-label")])).toEqual([
      [0, "listitem", "device 0 holds [0:4, 0:8]"],
      [0, "listitem", "device 1 holds [0:4, 8:16]"],
    ]);
  });

  it("every shard colour keeps white text at WCAG AA contrast (4.5:1)", () => {
    const n = 12; // hues every 30 degrees, yellow included
    const shards = Array.from({ length: n }, (_, i) => ({ row: 0, col: i, deviceId: i, index: `[${i}]` }));
    const grid = meshGrid(document, 1, n, shards as unknown as Parameters<typeof meshGrid>[3]);
    for (const cell of grid.querySelectorAll<HTMLElement>(".tt-mesh-cell")) {
      const bg = cell.style.backgroundColor; // jsdom normalises hsl() to rgb()
      const [r, g, b] = (/rgb\((\d+), (\d+), (\d+)\)/.exec(bg) ?? []).slice(1).map(Number);
      const lin = (c: number): number => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      const lum = 0.2126 * lin(r ?? 255) + 0.7152 * lin(g ?? 255) + 0.0722 * lin(b ?? 255);
      expect(1.05 / (lum + 0.05), `${cell.dataset.shard}: ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
