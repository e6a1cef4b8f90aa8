// What the person is told when no interpreter fits or the backend keeps dying, and what the
// buttons on those notifications do; through the notices' seam, without an editor.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { noInterpreter, PYTHON_SETTING, type NoticeLog, type NoticeUi } from "../../../extension/backend/notices";
import { Restarts } from "../../../extension/backend/restart";

const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  contributes: { configuration: { properties: Record<string, unknown> } };
};

interface Shown {
  level: "error" | "warning";
  message: string;
  actions: string[];
}

/** A window that records each notification and answers with `pick` (undefined: dismissed). */
function fakeUi(pick?: string): NoticeUi & { shown: Shown[]; executeCommand: ReturnType<typeof vi.fn> } {
  const shown: Shown[] = [];
  return {
    shown,
    showError: async (message, ...actions) => (shown.push({ level: "error", message, actions }), pick),
    showWarning: async (message, ...actions) => (shown.push({ level: "warning", message, actions }), pick),
    executeCommand: vi.fn(async () => undefined),
  };
}

function fakeLog(): NoticeLog & { show: ReturnType<typeof vi.fn>; lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info ${m}`),
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
    show: vi.fn(),
  };
}

const tried = [
  "/opt/mine/bin/python (setting): spawn /opt/mine/bin/python ENOENT",
  "python3 (path): Command failed: python3 -c import sys\nTraceback (most recent call last):\n  boom",
];

describe("no Python interpreter", () => {
  it("shows an error that names what was tried and offers the setting and the output", async () => {
    const ui = fakeUi();
    const log = fakeLog();
    await noInterpreter(ui, log, tried);
    expect(ui.shown).toHaveLength(1);
    const [notice] = ui.shown;
    expect(notice?.level).toBe("error");
    expect(notice?.message).toMatch(/^No Python 3\.10\+ interpreter found/);
    expect(notice?.message).toContain("/opt/mine/bin/python (setting): spawn /opt/mine/bin/python ENOENT");
    expect(notice?.message).toContain("python3 (path): Command failed");
    expect(notice?.message).not.toContain("Traceback"); // first lines only; the rest is in the log
    expect(notice?.message).toContain(`"${PYTHON_SETTING}"`);
    expect(notice?.actions).toEqual(["Open Setting", "Show Output"]);
    expect(log.lines.join("\n")).toContain("Traceback"); // the log keeps every reason in full
    expect(ui.executeCommand).not.toHaveBeenCalled(); // dismissed: nothing runs
    expect(log.show).not.toHaveBeenCalled();
  });

  it("Open Setting opens the settings editor at the contributed pythonPath setting", async () => {
    const ui = fakeUi("Open Setting");
    const log = fakeLog();
    await noInterpreter(ui, log, tried);
    // tenstorrent.openSettings picks the tab (Remote for a machine-overridable key in a remote window).
    expect(ui.executeCommand).toHaveBeenCalledExactlyOnceWith("tenstorrent.openSettings", PYTHON_SETTING);
    expect(pkg.contributes.configuration.properties).toHaveProperty([PYTHON_SETTING]);
    expect(log.show).not.toHaveBeenCalled();
  });

  it("Show Output reveals the log that lists every candidate", async () => {
    const ui = fakeUi("Show Output");
    const log = fakeLog();
    await noInterpreter(ui, log, []);
    expect(ui.shown[0]?.message).toContain("Tried: nothing.");
    expect(log.show).toHaveBeenCalledOnce();
    expect(ui.executeCommand).not.toHaveBeenCalled();
  });
});

describe("backend restarts", () => {
  const policy = { maxRestarts: 2, windowMs: 60_000 };

  it("restarts a backend that died and warns that it did", () => {
    const ui = fakeUi();
    const restarts = new Restarts(ui, fakeLog(), vi.fn(), policy, () => 1000);
    expect(restarts.exited()).toBe(true);
    expect(ui.shown).toEqual([
      {
        level: "warning",
        message: expect.stringMatching(/backend stopped unexpectedly and was restarted/),
        actions: [],
      },
    ]);
  });

  it("once the budget is spent, stops restarting and says how to start it again", async () => {
    const ui = fakeUi("Restart Backend");
    const log = fakeLog();
    const restartByHand = vi.fn(async () => {});
    const restarts = new Restarts(ui, log, restartByHand, policy, () => 1000);
    expect([restarts.exited(), restarts.exited(), restarts.exited()]).toEqual([true, true, false]);
    expect(ui.shown.map((s) => s.level)).toEqual(["warning", "warning", "error"]);
    const notice = ui.shown[2];
    expect(notice?.message).toMatch(/keeps stopping, so it was not restarted again/);
    expect(notice?.message).toMatch(/choose Restart Backend to start it again/);
    expect(notice?.actions).toEqual(["Restart Backend", "Show Output"]);
    expect(log.lines).toContainEqual(expect.stringMatching(/^error .*not restarted again/));
    await vi.waitFor(() => expect(restartByHand).toHaveBeenCalledOnce());
  });

  it("Show Output on the gave-up error reveals the log and starts nothing", async () => {
    const ui = fakeUi("Show Output");
    const log = fakeLog();
    const restartByHand = vi.fn(async () => {});
    const restarts = new Restarts(ui, log, restartByHand, { maxRestarts: 0, windowMs: 1 }, () => 0);
    expect(restarts.exited()).toBe(false);
    await vi.waitFor(() => expect(log.show).toHaveBeenCalledOnce());
    expect(restartByHand).not.toHaveBeenCalled();
  });

  it("a deliberate start forgives earlier crashes", () => {
    const restarts = new Restarts(fakeUi(), fakeLog(), vi.fn(), { maxRestarts: 1, windowMs: 60_000 }, () => 0);
    expect([restarts.exited(), restarts.exited()]).toEqual([true, false]);
    restarts.reset();
    expect(restarts.exited()).toBe(true);
  });
});
