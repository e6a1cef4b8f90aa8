// An error notification's buttons: the error's runnable fix actions, else the general ways out.
import { describe, expect, it } from "vitest";
import type { Event, FixAction } from "../../../extension/backend/protocol";
import { failureButtons, GENERAL_BUTTONS, lastError, runnableActions } from "../../../extension/errorActions";

const CPU: FixAction = { label: "Install CPU-only", command: "tenstorrent.installTtXla", args: { cpuOnly: true } };
const WHEELS: FixAction = { label: "Choose a wheelhouse folder…", command: "tenstorrent.chooseWheelhouse" };
const SETTINGS: FixAction = {
  label: "Open the settings",
  command: "tenstorrent.openSettings",
  args: { query: "tenstorrent.ttXla.indexUrl" },
};

describe("error actions", () => {
  it("keeps only actions whose command is ours and whose arguments pass its checks", () => {
    // The type says CommandId, but the wire is only checked here: a backend could send anything.
    const foreign = { label: "Shell", command: "workbench.action.terminal.sendSequence" } as unknown as FixAction;
    const badArgs: FixAction = { ...CPU, label: "Force", args: { force: true } };
    const otherKey: FixAction = { ...SETTINGS, args: { query: "workbench.colorTheme" } };
    expect(runnableActions([CPU, foreign, WHEELS, badArgs, SETTINGS, otherKey])).toEqual([CPU, WHEELS, SETTINGS]);
    expect(runnableActions(undefined)).toEqual([]);
  });

  it("runs both cures of a wheelhouse without the jax pin (wheelhouse_pin.py)", () => {
    const latest: FixAction = {
      label: "Install with the folder's jax",
      command: "tenstorrent.installTtXla",
      args: { cpuOnly: true, latestJax: true },
    };
    const rebuild: FixAction = {
      label: "Rebuild the wheelhouse",
      command: "tenstorrent.buildWheelhouse",
      args: { cpuOnly: true, pythonVersion: "3.12" },
    };
    const badVersion: FixAction = { ...rebuild, args: { pythonVersion: "3.12; rm -rf /" } };
    expect(runnableActions([latest, rebuild, badVersion])).toEqual([latest, rebuild]);
  });

  it("buttons: the actions then Show Output; without actions the general three", () => {
    expect(failureButtons([CPU, WHEELS])).toEqual(["Install CPU-only", "Choose a wheelhouse folder…", "Show Output"]);
    expect(failureButtons([])).toEqual([...GENERAL_BUTTONS]);
  });

  it("reads the run's last error event", () => {
    const events: Event[] = [
      { kind: "error", error: { code: "internal", message: "first" } },
      { kind: "log", stream: "stdout", lines: ["x"] },
      { kind: "error", error: { code: "index-unreachable", message: "second", actions: [CPU] } },
    ];
    expect(lastError(events)?.error.message).toBe("second");
    expect(lastError([])).toBeUndefined();
  });
});
