// An error's fix buttons in the lesson page pass the same gate as every other click: the fix
// commands are on the allow-list with checked arguments; the Python-environment command is not.
import { describe, expect, it } from "vitest";
import { gate } from "../../../extension/lesson/gate";
import type { RenderedLesson } from "../../../extension/lesson/render";

const steps: RenderedLesson["steps"] = [{ stepId: "step-0", command: "tenstorrent.installTtXla", args: {} }];

describe("fix buttons through the gate", () => {
  it("Install CPU-only runs under the lesson's Install step with cpuOnly", () => {
    expect(
      gate({ type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args: { cpuOnly: true } }, steps),
    ).toEqual({ kind: "run", command: "tenstorrent.installTtXla", args: { cpuOnly: true }, stepId: "step-0" });
    expect(
      gate({ type: "run", stepId: "step-0", command: "tenstorrent.installTtXla", args: { cpuOnly: "yes" } }, steps)
        .kind,
    ).toBe("refuse");
  });

  it("the settings fixes are allowed; Open the settings only on one of our keys", () => {
    for (const command of ["tenstorrent.chooseWheelhouse", "tenstorrent.setIndexUrl", "tenstorrent.setPythonPath"]) {
      expect(gate({ type: "command", command }, steps)).toEqual({ kind: "command", command, args: {} });
    }
    const open = { type: "command", command: "tenstorrent.openSettings" };
    expect(gate({ ...open, args: { query: "tenstorrent.ttXla.wheelhouse" } }, steps)).toEqual({
      kind: "command",
      command: "tenstorrent.openSettings",
      args: { query: "tenstorrent.ttXla.wheelhouse" },
    });
    expect(gate({ ...open, args: { query: "terminal.integrated.shell.linux" } }, steps).kind).toBe("refuse");
    expect(gate({ ...open, args: { query: "tenstorrent.ttXla.wheelhouse", extra: 1 } }, steps).kind).toBe("refuse");
  });

  it("a page cannot switch the person's Python interpreter", () => {
    expect(gate({ type: "command", command: "tenstorrent.usePythonEnvironment" }, steps).kind).toBe("refuse");
  });
});
