// What the lesson page may ask the host to run: rendered steps with checked arguments only.
import { describe, expect, it } from "vitest";
import { gate } from "../../../extension/lesson/gate";
import type { RenderedLesson } from "../../../extension/lesson/render";

describe("gate (what the lesson page may ask for)", () => {
  const steps: RenderedLesson["steps"] = [
    { stepId: "step-0", command: "tenstorrent.installTtXla", args: {} },
    { stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "2x4" } },
  ];

  it("runs a rendered step with checked arguments", () => {
    expect(
      gate({ type: "run", stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "2x4" } }, steps),
    ).toEqual({
      kind: "run",
      command: "tenstorrent.runMeshExample",
      args: { shape: "2x4" },
      stepId: "step-1",
    });
  });

  it("refuses steps the page was not rendered with, swapped commands, bad args and foreign commands", () => {
    const refused = [
      { type: "run", stepId: "step-9", command: "tenstorrent.installTtXla" },
      { type: "run", stepId: "step-0", command: "tenstorrent.runCnnExample" },
      { type: "run", stepId: "step-1", command: "tenstorrent.runMeshExample", args: { shape: "1x2 && reboot" } },
      { type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args: { force: true } },
      { type: "command", command: "workbench.action.terminal.sendSequence" },
      { type: "command", command: "tenstorrent.cancelRun" },
      { type: "eval", code: "x" },
    ];
    for (const m of refused) expect(gate(m, steps).kind, JSON.stringify(m)).toBe("refuse");
    expect(gate({ type: "command", command: "tenstorrent.showOutput" }, steps)).toEqual({
      kind: "command",
      command: "tenstorrent.showOutput",
      args: {},
    });
  });

  it("passes a doctor fix's checked arguments, with or without a lesson step", () => {
    const args = { reinstall: true };
    expect(gate({ type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args }, steps)).toEqual({
      kind: "run",
      command: "tenstorrent.installTtXla",
      args,
      stepId: "step-0",
    });
    expect(gate({ type: "command", command: "tenstorrent.installTtXla", args }, steps)).toEqual({
      kind: "command",
      command: "tenstorrent.installTtXla",
      args,
    });
    expect(gate({ type: "command", command: "tenstorrent.runDoctor", args }, steps).kind).toBe("refuse");
  });
});
