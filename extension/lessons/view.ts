// The sidebar's Lessons view: every shipped lesson with its progress; a click opens it.
import * as vscode from "vscode";
import { COMMAND } from "../backend/routes.generated";
import { LESSON_CONTEXT, lessonRow, type LessonEntry, type LessonRunSummary, type Progress } from "./catalog";

export interface LessonsSource {
  lessons: () => Promise<LessonEntry[]>;
  progress: (entry: LessonEntry) => Progress;
  lastRun: (lessonId: string) => LessonRunSummary | undefined;
}

export class LessonsView implements vscode.TreeDataProvider<LessonEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly source: LessonsSource) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(entry: LessonEntry): vscode.TreeItem {
    const row = lessonRow(entry, this.source.progress(entry), this.source.lastRun(entry.lessonId));
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `lesson:${entry.lessonId}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon);
    item.contextValue = LESSON_CONTEXT;
    item.command = { command: COMMAND.OPEN_LESSON, title: "Open", arguments: [{ lessonId: entry.lessonId }] };
    return item;
  }

  async getChildren(entry?: LessonEntry): Promise<LessonEntry[]> {
    return entry ? [] : this.source.lessons();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
