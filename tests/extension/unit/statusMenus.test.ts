// The sidebar's inline actions: package.json's view/item/context menus and the contextValues the
// status rows carry must name each other, or a button silently never shows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SanityResult, StatusResult } from "../../../extension/backend/protocol";
import { ROW_CONTEXTS, statusRows } from "../../../extension/status/model";

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  contributes: { commands: { command: string; icon?: string }[]; menus: Record<string, MenuItem[]> };
};
// The status view's (the Lessons view's are checked in lessonsCatalog.test.ts).
const itemMenus = (pkg.contributes.menus["view/item/context"] ?? []).filter((m) =>
  /\bview == tenstorrent\.status\b/.test(m.when ?? ""),
);
const viewItem = (m: MenuItem): string | undefined => /\bviewItem == ([\w.-]+)/.exec(m.when ?? "")?.[1];

const status: StatusResult = {
  kind: "status",
  venv: "/v",
  state: "ready",
  pythonVersion: "3.11.7",
  packages: { "pjrt-plugin-tt": "0.1", jax: "0.10.2", flax: "0.12.8", transformers: "5.24.0" },
  ttDevices: ["n300 L"],
  ttSmi: "/usr/bin/tt-smi",
  backendVersion: "0.1.0",
};
const sanity = { ok: true, value: 32, ttDevice: true } as SanityResult;

/** contextValues rows really carry, over the states the view can be in. */
function produced(): Set<string> {
  const all = [
    ...statusRows(status, sanity),
    ...statusRows({ ...status, state: "missing", ttDevices: [], ttSmi: null }, undefined),
    ...statusRows(undefined, undefined),
    ...statusRows(undefined, undefined, "No Python"),
  ];
  return new Set(all.flatMap((r) => (r.contextValue ? [r.contextValue] : [])));
}

describe("status view inline actions", () => {
  it("every viewItem a menu names is a contextValue the rows produce", () => {
    const rows = produced();
    for (const m of itemMenus) {
      expect(m.when, m.command).toMatch(/\bview == tenstorrent\.status\b/);
      expect(rows.has(viewItem(m) ?? ""), `${m.command} on ${m.when}`).toBe(true);
    }
  });

  it("every contextValue has an inline action, and the declared list is the produced one", () => {
    expect([...produced()].sort()).toEqual([...ROW_CONTEXTS].sort());
    for (const ctx of ROW_CONTEXTS) {
      expect(
        itemMenus.some((m) => viewItem(m) === ctx && m.group?.startsWith("inline")),
        ctx,
      ).toBe(true);
    }
  });

  it("inline actions are contributed commands with an icon (inline buttons show only the icon)", () => {
    const icons = new Map(pkg.contributes.commands.map((c) => [c.command, c.icon]));
    for (const m of itemMenus) expect(icons.get(m.command), m.command).toMatch(/^\$\([\w-]+\)$/);
  });

  it("the lesson opens from its own row, whatever the backend's state", () => {
    for (const rows of [statusRows(status, sanity), statusRows(undefined, undefined, "No Python")]) {
      expect(rows[0]).toMatchObject({ id: "lesson", contextValue: "lesson" });
    }
    expect(itemMenus).toContainEqual(expect.objectContaining({ command: "tenstorrent.openLesson", group: "inline" }));
  });

  it("a Backend row that is not up (and not just starting) offers Restart the Backend inline", () => {
    const backendRow = (problem?: string) => statusRows(undefined, undefined, problem).find((r) => r.id === "backend");
    expect(backendRow("The backend keeps stopping; not restarted.")?.contextValue).toBe("backendStopped");
    expect(backendRow()?.contextValue).toBeUndefined(); // starting: nothing to restart yet
    expect(statusRows(status, sanity).find((r) => r.id === "backend")?.contextValue).toBeUndefined();
    expect(itemMenus).toContainEqual({
      command: "tenstorrent.restartBackend",
      when: "view == tenstorrent.status && viewItem == backendStopped",
      group: "inline",
    });
  });
});
