// @vitest-environment jsdom
// The browser side: run panels driven by events, and the result renderers of the DOM contract.
import { beforeEach, describe, expect, it } from "vitest";
import type { CommandId, Event } from "../../../extension/backend/protocol";
import { runPanelHtml } from "../../../extension/lesson/render";
import { formatClock, formatFloat } from "../../../extension/shared/format";
import { MAX_LOG_LINES, RunPanel } from "../../../extension/webview/runPanel";

const ALLOWED = new Set(["tenstorrent.installTtXla", "tenstorrent.testTtXlaInstall"]);
let panel: RunPanel;
let root: HTMLElement;

function mount(command: string): void {
  document.body.innerHTML = `<button class="tt-run" data-command="${command}">x</button>${runPanelHtml(command, "step-0")}`;
  root = document.querySelector<HTMLElement>(".tt-run-panel")!;
  panel = new RunPanel(root, ALLOWED);
  panel.reset("run-1");
}
const text = (sel: string): string => root.querySelector(sel)?.textContent ?? "";
const feed = (...events: Event[]): void => events.forEach((e) => panel.apply(e));
const end = (status: "succeeded" | "failed" | "cancelled", exitCode: number | null = 0): Event => ({
  kind: "end",
  status,
  exitCode,
  durationS: 4.8,
});

describe("RunPanel", () => {
  beforeEach(() => mount("tenstorrent.testTtXlaInstall"));

  it("shows running, progress, log lines, then the final status, exit code and duration", () => {
    expect(root.dataset.status).toBe("running");
    expect(root.hidden).toBe(false);
    expect(root.querySelector<HTMLButtonElement>("button.tt-cancel")?.disabled).toBe(false);
    feed(
      { kind: "progress", step: 1, total: 3, label: "Importing JAX", percent: 20 },
      { kind: "log", stream: "stdout", lines: ["a", "b"] },
      { kind: "log", stream: "stderr", lines: ["c"] },
    );
    expect(root.querySelector<HTMLProgressElement>("progress.tt-progress")?.value).toBe(20);
    expect(text(".tt-step")).toBe("Step 1/3: Importing JAX (20%)");
    expect(text("pre.tt-log")).toBe("a\nb\nc");
    feed(end("succeeded"));
    expect(root.dataset.status).toBe("succeeded");
    expect(text(".tt-status")).toBe("succeeded");
    expect(text(".tt-exit-code")).toBe("exit code 0");
    expect(text(".tt-duration")).toBe("4.8 s");
    expect(text(".tt-step")).toBe(""); // a success does not end on a step label ("Step 1/3")
    expect(root.querySelector<HTMLButtonElement>("button.tt-cancel")?.disabled).toBe(true);
  });

  it("a failed or cancelled run says at which step it stopped", () => {
    feed({ kind: "progress", step: 4, total: 5, label: "Generate", percent: 80 }, end("cancelled", null));
    expect(text(".tt-step")).toBe("Stopped at Step 4/5: Generate");
    panel.reset("run-2");
    feed(end("failed", 1));
    expect(text(".tt-step")).toBe(""); // it never reached a step
  });

  it("keeps only the last lines of a flood", () => {
    const lines = Array.from({ length: MAX_LOG_LINES + 500 }, (_, i) => `line ${i}`) as [string, ...string[]];
    feed({ kind: "log", stream: "stdout", lines });
    const shown = text("pre.tt-log").split("\n");
    expect(shown).toHaveLength(MAX_LOG_LINES);
    expect(shown.at(-1)).toBe(`line ${MAX_LOG_LINES + 499}`);
  });

  it("shows an error with its fixes, and says something even when a failure has no error event", () => {
    feed(
      { kind: "error", error: { code: "venv-not-ready", message: "The venv is missing.", fixes: ["Run Install"] } },
      end("failed", 2),
    );
    expect(text(".tt-error")).toContain("The venv is missing.");
    expect([...root.querySelectorAll(".tt-error li")].map((l) => l.textContent)).toEqual(["Run Install"]);
    mount("tenstorrent.testTtXlaInstall");
    feed(end("failed", 1));
    expect(text(".tt-error")).toMatch(/failed \(exit code 1\)/);
  });

  it("a new run clears the previous one", () => {
    feed({ kind: "log", stream: "stdout", lines: ["old"] }, end("cancelled", null));
    expect(root.dataset.status).toBe("cancelled");
    panel.reset("run-2");
    expect(text("pre.tt-log")).toBe("");
    expect(root.dataset.status).toBe("running");
    expect(panel.runId).toBe("run-2");
  });
});

describe("a step's result kept from before the reload", () => {
  it("is marked with when it ran (and the day, when not today); a new run takes the mark away", () => {
    mount("tenstorrent.testTtXlaInstall");
    feed(end("succeeded"));
    const at = new Date(2026, 11, 2, 14, 2).getTime();
    panel.markKept(at, new Date(2026, 11, 2, 18, 0).getTime());
    expect(root.dataset.kept).toBe("true");
    expect(text(".tt-kept")).toBe(`From ${formatClock(at, false)}, before the reload.`);
    expect(root.querySelector(".tt-result")?.firstElementChild?.className).toBe("tt-kept");
    panel.reset("run-2");
    expect(root.dataset.kept).toBeUndefined();
    expect(root.querySelector(".tt-kept")).toBeNull();
    feed(end("succeeded"));
    panel.markKept(at, new Date(2026, 11, 5, 9, 0).getTime());
    expect(text(".tt-kept")).toBe(
      `From ${new Date(at).toLocaleDateString()} ${formatClock(at, false)}, before the reload.`,
    );
  });
});

describe("result renderers", () => {
  it("sanity: device table, the value with its .0, and where it ran", () => {
    mount("tenstorrent.testTtXlaInstall");
    feed({
      kind: "result",
      result: {
        kind: "sanity",
        devices: [
          { id: 0, platform: "cpu", kind: "cpu", description: "cpu:0" },
          {
            id: 1,
            platform: "tt",
            kind: "Wormhole_b0",
            description: "TTDevice(id=1, arch=Wormhole_b0)",
            arch: "Wormhole_b0",
          },
        ],
        platform: "cpu",
        resultDevice: "cpu:0",
        value: 32,
        expected: 32,
        ok: true,
        ttDevice: false,
        jaxVersion: "0.10.2",
        timings: { importS: 1, computeS: 0.1 },
      },
    });
    const rows = root.querySelectorAll("table.tt-devices tbody tr");
    expect(rows).toHaveLength(2);
    expect([...rows[0]!.querySelectorAll("td")].map((t) => t.textContent)).toEqual(["0", "cpu", "cpu", "—"]);
    expect(rows[1]!.querySelectorAll("td")[3]!.textContent).toBe("Wormhole_b0");
    expect(text(".tt-value")).toBe("32.0");
    expect(text(".tt-ran-on")).toMatch(/CPU/);
    expect(root.querySelector(".tt-board")).toBeNull(); // no board named on the CPU
    // Fewer devices than a lesson cell lists: the result says why.
    expect(text(".tt-cpu-devices")).toBe(
      "This check sees 1 CPU device: it runs with JAX's plain CPU device. The lesson's cells run in a kernel " +
        "that splits the CPU into 8 devices so the mesh examples have devices to shard over, which is why a " +
        "cell lists 8 CpuDevices.",
    );
  });

  it("sanity on a card: the board the backend named comes above the device table", () => {
    mount("tenstorrent.testTtXlaInstall");
    const chip = (id: number) => ({
      id,
      platform: "tt",
      kind: "Wormhole_b0",
      description: `TTDevice(id=${id}, arch=Wormhole_b0)`,
      arch: "Wormhole_b0",
    });
    feed({
      kind: "result",
      result: {
        kind: "sanity",
        devices: [chip(0), chip(1)],
        board: "n300 card, 2 Wormhole chips",
        platform: "tt",
        resultDevice: "TTDevice(id=0, arch=Wormhole_b0)",
        value: 32,
        expected: 32,
        ok: true,
        ttDevice: true,
        jaxVersion: "0.7.1",
        timings: { importS: 1, computeS: 0.1 },
      },
    });
    expect(text(".tt-board")).toBe("Board: n300 card, 2 Wormhole chips");
    expect(root.querySelector(".tt-sanity > .tt-board + table.tt-devices")).not.toBeNull();
    expect(root.querySelector(".tt-cpu-devices")).toBeNull(); // only a CPU run needs the note
  });

  it("gpt2: tokens stream in, then next token, probability and one bar per top-k token", () => {
    mount("tenstorrent.runTtXlaDemo");
    feed(
      { kind: "token", index: 0, token: " Paris", tokenId: 6342, probability: 0.4 },
      { kind: "token", index: 1, token: ".", tokenId: 13, probability: 0.3 },
    );
    expect(text(".tt-generated")).toBe(" Paris.");
    feed({
      kind: "result",
      result: {
        kind: "gpt2",
        model: "gpt2",
        modelSource: "/m",
        prompt: "The capital of France is",
        nextToken: " Paris",
        probability: 0.4,
        topK: [
          { token: " Paris", tokenId: 6342, probability: 0.4 },
          { token: " the", tokenId: 262, probability: 0.1 },
        ],
        generated: " Paris.",
        platform: "cpu",
        ttDevice: false,
        cacheHit: false,
        timings: { loadS: 1, compileS: 2, firstTokenS: 0.5, tokensPerS: 10 },
      },
    });
    expect(text(".tt-next-token")).toBe("␣Paris");
    expect(text(".tt-probability")).toBe("40.0%");
    const bars = root.querySelectorAll<HTMLElement>(".tt-topk .tt-bar");
    expect(bars).toHaveLength(2);
    expect(bars[1]!.querySelector<HTMLElement>(".tt-bar-fill")!.style.width).toBe("10%");
    expect(text(".tt-generated")).toBe(" Paris."); // streamed tokens are kept, not duplicated
  });

  it("mesh: one cell per device, coloured by the shard it holds", () => {
    mount("tenstorrent.runMeshExample");
    feed({
      kind: "result",
      result: {
        kind: "mesh",
        rows: 1,
        cols: 2,
        axisNames: ["data", "model"],
        platform: "cpu",
        ttDevice: false,
        devices: [],
        shards: [
          { deviceId: 0, row: 0, col: 0, index: "[0:4, 0:8]" },
          { deviceId: 1, row: 0, col: 1, index: "[0:4, 8:16]" },
        ],
        maxAbsError: 0,
        ok: true,
        timings: {},
      },
    });
    const cells = root.querySelectorAll<HTMLElement>(".tt-mesh-grid .tt-mesh-cell[data-device-id]");
    expect([...cells].map((c) => c.dataset.deviceId)).toEqual(["0", "1"]);
    expect(cells[0]!.style.backgroundColor).not.toBe(cells[1]!.style.backgroundColor);
  });

  it("cnn: the loss curve grows with each epoch, accuracy at the end", () => {
    mount("tenstorrent.runCnnExample");
    feed({ kind: "epoch", epoch: 1, loss: 2.0 }, { kind: "epoch", epoch: 2, loss: 1.0 });
    const svg = root.querySelector("svg.tt-loss-curve")!;
    expect(svg.querySelector("polyline")!.getAttribute("points")!.split(" ")).toHaveLength(2);
    feed({ kind: "epoch", epoch: 3, loss: 0.5 });
    expect(svg.querySelectorAll("circle")).toHaveLength(3);
    feed({
      kind: "result",
      result: {
        kind: "cnn",
        dataset: "digits",
        epochs: 3,
        losses: [2, 1, 0.5],
        testAccuracy: 0.93,
        trainS: 3,
        platform: "cpu",
        ttDevice: false,
      },
    });
    expect(text(".tt-accuracy")).toMatch(/93\.0%/);
  });

  it("doctor: findings, with fix buttons only for allow-listed commands", () => {
    mount("tenstorrent.runDoctor");
    feed({
      kind: "result",
      result: {
        kind: "doctor",
        findings: [
          {
            id: "venv",
            status: "fail",
            title: "No venv",
            detail: "missing",
            fix: { label: "Install TT-XLA", command: "tenstorrent.installTtXla" },
          },
          {
            id: "plugin",
            status: "fail",
            title: "ImportError: undefined symbol",
            detail: "",
            fix: { label: "Reinstall pjrt-plugin-tt", command: "tenstorrent.installTtXla", args: { reinstall: true } },
          },
          {
            id: "evil",
            status: "warn",
            title: "x",
            detail: "",
            // Not a CommandId: the page must refuse what the type would not let through.
            fix: { label: "Do it", command: "workbench.action.terminal.sendSequence" as CommandId },
          },
          { id: "ok", status: "ok", title: "Python 3.11", detail: "" },
        ],
      },
    });
    const items = root.querySelectorAll(".tt-findings li");
    expect(items).toHaveLength(4);
    const fixes = root.querySelectorAll<HTMLButtonElement>(".tt-findings button.tt-fix");
    expect([...fixes].map((b) => b.dataset.command)).toEqual(["tenstorrent.installTtXla", "tenstorrent.installTtXla"]);
    // The reinstall fix carries its arguments; a fix without any carries none.
    expect([...fixes].map((b) => b.dataset.args)).toEqual([undefined, JSON.stringify({ reinstall: true })]);
    expect(root.querySelectorAll("button.tt-run")).toHaveLength(0); // fix buttons never look like steps
  });
});

describe("a doctor run that finds problems", () => {
  const check = (checkedAt: string, ...statuses: ("ok" | "fail" | "warn")[]): Event => ({
    kind: "result",
    result: {
      kind: "doctor",
      checkedAt,
      findings: statuses.map((status, i) => ({ id: `f${i}`, status, title: `Finding ${i}`, detail: "" })),
    },
  });
  const first = "2026-12-02T14:01:50+00:00";
  const second = "2026-12-02T14:02:11+00:00";

  it("ends as 'N problems found', not as a success, when any finding FAILs", () => {
    mount("tenstorrent.runDoctor");
    feed(check(first, "fail", "ok", "fail"), end("succeeded"));
    expect(root.dataset.status).toBe("problems");
    expect(text(".tt-status")).toBe("2 problems found");
    expect(text(".tt-announce")).toMatch(/^2 problems found after 4\.8 s/);
    panel.reset("run-2");
    feed(check(second, "ok", "warn"), end("succeeded"));
    expect(root.dataset.status).toBe("succeeded");
    expect(text(".tt-status")).toBe("succeeded");
  });

  it("a check run again says when it ran and which findings changed since the one before", () => {
    mount("tenstorrent.runDoctor");
    feed(check(first, "fail", "ok"), end("succeeded"));
    expect(text(".tt-doctor-checked")).toBe(`Checked at ${formatClock(first)}.`);
    expect(root.querySelector(".tt-doctor-changes")).toBeNull(); // nothing to compare with yet
    panel.reset("run-2");
    feed(check(second, "fail", "ok"), end("succeeded"));
    expect(text(".tt-doctor-checked")).toBe(`Checked at ${formatClock(second)}.`);
    expect(text(".tt-doctor-unchanged")).toBe(`Nothing changed since the check at ${formatClock(first)}.`);
    panel.reset("run-3");
    feed(check("2026-12-02T14:03:00+00:00", "ok", "ok", "warn"), end("succeeded"));
    expect(text(".tt-doctor-changed")).toBe(`Changed since the check at ${formatClock(second)}:`);
    expect([...root.querySelectorAll(".tt-doctor-changes li")].map((li) => li.textContent)).toEqual([
      "Finding 0: FAIL → OK",
      "Finding 2: — → WARN (new)",
    ]);
  });
});

describe("formatFloat", () => {
  it("keeps the .0 of whole numbers", () => {
    expect(formatFloat(32)).toBe("32.0");
    expect(formatFloat(0.125)).toBe("0.125");
  });
});
