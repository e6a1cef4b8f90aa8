// @vitest-environment jsdom
// The install download's bytes, rate and time left: the words (the same as the CLI's,
// tests/python/test_download_text.py), the notification's bar and the lesson's run panel.
import { beforeEach, describe, expect, it } from "vitest";
import type { DownloadEvent } from "../../../extension/backend/protocol";
import { runPanelHtml } from "../../../extension/lesson/render";
import { NotificationProgress } from "../../../extension/runProgress";
import { downloadPercent, downloadText, etaText, sizeText } from "../../../extension/shared/downloadText";
import { RunPanel } from "../../../extension/webview/runPanel";

const INSTALL = "tenstorrent.installTtXla";

function dl(over: Partial<DownloadEvent> = {}): DownloadEvent {
  return {
    kind: "download",
    doneBytes: 312_400_000,
    totalBytes: 1_073_741_824,
    rateBps: 45_200_000,
    etaS: 16.8,
    filesDone: 3,
    filesTotal: 12,
    reusedBytes: 0,
    ...over,
  };
}

describe("the words", () => {
  it("sizes in decimal units, times left in s, min and h", () => {
    expect([0, 999, 1000, 512_000, 1_073_741_824].map(sizeText)).toEqual([
      "0 B",
      "999 B",
      "1.0 kB",
      "512.0 kB",
      "1.1 GB",
    ]);
    expect([null, 0.4, 59.4, 61, 3725].map(etaText)).toEqual([
      "time left unknown",
      "0 s left",
      "59 s left",
      "1 min 01 s left",
      "1 h 02 min left",
    ]);
  });

  it("a line with done of total, rate, time left and files, plus what was reused", () => {
    expect(downloadText(dl())).toBe("312.4 MB of 1.1 GB · 45.2 MB/s · 17 s left · 3/12 files");
    expect(
      downloadText(dl({ doneBytes: 0, totalBytes: 0, rateBps: 0, etaS: 0, filesDone: 12, reusedBytes: 2_500_000_000 })),
    ).toBe("0 B of 0 B · 0 B/s · 0 s left · 12/12 files · 2.5 GB already downloaded");
    expect(downloadPercent(dl({ doneBytes: 250, totalBytes: 1000 }))).toBe(25);
    expect(downloadPercent(dl({ doneBytes: 0, totalBytes: 0 }))).toBe(100);
  });
});

describe("the notification", () => {
  it("moves the bar through the install step's share as the bytes come, never backwards", () => {
    const p = new NotificationProgress();
    expect(p.next({ kind: "progress", step: 3, total: 5, label: "Install packages", percent: 40 })).toEqual({
      message: "Install packages (3/5)",
      increment: 40,
    });
    const half = p.next(dl({ doneBytes: 500, totalBytes: 1000 }));
    expect(half?.increment).toBeCloseTo(10); // half of the step's 20%
    expect(half?.message).toMatch(/^Downloading 500 B of 1\.0 kB · 45\.2 MB\/s · 17 s left/);
    expect(p.next(dl({ doneBytes: 1000, totalBytes: 1000 }))?.increment).toBeCloseTo(10);
    expect(p.next({ kind: "progress", step: 4, total: 5, label: "Verify", percent: 60 })?.increment).toBe(0);
    expect(p.next({ kind: "log", stream: "info", lines: ["x"] })).toBeUndefined();
  });
});

describe("the lesson's run panel", () => {
  let panel: RunPanel;
  let root: HTMLElement;
  beforeEach(() => {
    document.body.innerHTML = runPanelHtml(INSTALL, "step-1");
    root = document.querySelector<HTMLElement>(".tt-run-panel")!;
    panel = new RunPanel(root, new Set([INSTALL]));
    panel.reset("run-1");
  });

  it("draws the bytes as the progress bar and says them beside it", () => {
    panel.apply({ kind: "progress", step: 3, total: 5, label: "Install packages", percent: 40 });
    panel.apply(dl({ doneBytes: 268_435_456, totalBytes: 1_073_741_824 }));
    expect(root.querySelector<HTMLProgressElement>("progress.tt-progress")?.value).toBe(25);
    expect(root.querySelector(".tt-step")?.textContent).toBe(
      "Downloading: 268.4 MB of 1.1 GB · 45.2 MB/s · 17 s left · 3/12 files",
    );
    expect(root.querySelector(".tt-announce")?.textContent).toBe("Downloading 12 files");
    panel.apply({ kind: "progress", step: 4, total: 5, label: "Verify", percent: 60 });
    expect(root.querySelector<HTMLProgressElement>("progress.tt-progress")?.value).toBe(60);
  });
});
