// Live chip telemetry in the editor: a status-bar item and sidebar rows, fed by the poller while
// the window is focused, plus the Reset Chips command's window calls. Thin: the reading, the
// wording and the polling rules live in sysfs.ts, format.ts and poller.ts.
import * as vscode from "vscode";
import type { StatusRow } from "../status/model";
import { barText, chipRows } from "./format";
import { TelemetryPoller, type WindowFocus } from "./poller";
import { HAS_CHIPS, ProcessPty, resetChips, type ResetUi } from "./reset";
import { readChips, type ChipReading } from "./sysfs";

export interface TelemetryHost {
  /** Shows the chips' rows in the sidebar status view (an empty list removes them). */
  showRows(rows: StatusRow[]): void;
}

const windowFocus: WindowFocus = {
  get focused() {
    return vscode.window.state.focused;
  },
  onDidChange: (listener) => vscode.window.onDidChangeWindowState((s) => listener(s.focused)),
};

export function registerTelemetry(
  host: TelemetryHost,
  read: () => Promise<ChipReading[]> = () => readChips(),
): vscode.Disposable {
  const item = vscode.window.createStatusBarItem("tenstorrent.telemetry", vscode.StatusBarAlignment.Left, 9);
  item.name = "Tenstorrent chip telemetry";
  item.command = "workbench.view.extension.tenstorrent";
  let shown = "[]"; // the view starts without chip rows
  let hasChips: boolean | undefined;
  const poller = new TelemetryPoller(read, windowFocus, (chips) => {
    const bar = barText(chips);
    if (bar) {
      item.text = bar.text;
      item.tooltip = bar.tooltip;
      item.show();
    } else {
      item.hide(); // no chip, no telemetry
    }
    if (hasChips !== chips.length > 0) {
      hasChips = chips.length > 0;
      void vscode.commands.executeCommand("setContext", HAS_CHIPS, hasChips);
    }
    const rows = chipRows(chips);
    const key = JSON.stringify(rows);
    if (key !== shown) host.showRows(rows); // redraw the tree only when a value changed
    shown = key;
  });
  return vscode.Disposable.from(item, poller);
}

const resetUi: ResetUi = {
  confirm: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  info: (message) => void vscode.window.showInformationMessage(message),
  runInTerminal: (name, file, args) => {
    const terminal = vscode.window.createTerminal({ name, pty: new ProcessPty(file, args) });
    terminal.show();
  },
};

/** The Reset Chips command: confirm, then `tt-smi -r` in a terminal. */
export function resetChipsCommand(): Promise<boolean> {
  return resetChips(resetUi, () => readChips());
}
