// Sidebar status (a TreeView) and the status-bar item. Both redraw from the same rows, refreshed
// after every run and on demand.
import * as vscode from "vscode";
import type { SanityResult, StatusResult } from "../backend/protocol";
import { deviceSummary, statusRows, type StatusRow } from "./model";

export class StatusView implements vscode.TreeDataProvider<StatusRow>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private status: StatusResult | undefined;
  private problem: string | undefined;
  /** Rows added after the status rows: the chips' live telemetry (telemetry/register.ts). */
  private extraRows: StatusRow[] = [];
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly fetch: () => Promise<StatusResult>,
    private readonly lastSanity: () => SanityResult | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item = vscode.window.createStatusBarItem("tenstorrent.devices", vscode.StatusBarAlignment.Left, 10);
    this.item.name = "Tenstorrent devices";
    this.item.command = "workbench.view.extension.tenstorrent";
    this.disposables.push(this.item, this.changed, vscode.window.registerTreeDataProvider("tenstorrent.status", this));
    this.draw();
    this.item.show();
  }

  async refresh(): Promise<void> {
    try {
      this.status = await this.fetch();
      this.problem = undefined;
    } catch (err) {
      this.status = undefined;
      this.problem = err instanceof Error ? err.message : String(err);
      this.log.warn(`status: ${this.problem}`);
    }
    this.draw();
  }

  setExtraRows(rows: StatusRow[]): void {
    this.extraRows = rows;
    this.changed.fire();
  }

  /** The backend is gone (or has no interpreter): say so instead of showing stale values. */
  setProblem(problem: string): void {
    this.status = undefined;
    this.problem = problem;
    this.draw();
  }

  private draw(): void {
    const summary = deviceSummary(this.status);
    this.item.text = `$(chip) ${summary}`;
    this.item.tooltip = this.status
      ? `TT-XLA venv ${this.status.venv}: ${this.status.state}`
      : (this.problem ?? "Starting the Tenstorrent backend");
    this.changed.fire();
  }

  getTreeItem(row: StatusRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = row.tooltip ?? `${row.label}: ${row.description}`;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    if (row.contextValue) item.contextValue = row.contextValue;
    return item;
  }

  getChildren(row?: StatusRow): StatusRow[] {
    return row ? [] : [...statusRows(this.status, this.lastSanity(), this.problem), ...this.extraRows];
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
