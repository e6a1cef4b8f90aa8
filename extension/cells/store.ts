// Keeps one lesson's cells (edits, last outputs, counts) in a memento (cells/wire.ts's
// durableMemento: a file written at once), so they come back after the tab is closed or the
// window reloads, in any workspace. Bounded per lesson (`boundLesson`), and written at most every
// SAVE_MS while a cell streams. The memento is passed
// in (vscode's `Memento` fits), so this is unit-tested without VS Code.
import { boundLesson, parseSnapshot, type LessonCells } from "../shared/cellModel";

export interface MementoLike {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** About 1 MB of JSON per lesson (UTF-16 code units, as JSON.stringify counts them). */
export const MAX_LESSON_CHARS = 1_000_000;
const SAVE_MS = 1_000;

export const storeKey = (lessonId: string): string => `tenstorrent.cells.${lessonId}`;

export class CellStore {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest: LessonCells | undefined;

  constructor(
    private readonly memento: MementoLike,
    private readonly lessonId: string,
    private readonly maxChars = MAX_LESSON_CHARS,
    private readonly onError: (err: unknown) => void = () => undefined,
    /** Told what came back, in a line for the log (a lost edit after a reload is then traceable). */
    private readonly onLoad: (line: string) => void = () => undefined,
  ) {}

  /** The saved cells; anything that no longer parses is left out. */
  load(): LessonCells {
    const out = this.read();
    this.onLoad(describeSaved(this.lessonId, out));
    return out;
  }

  private read(): LessonCells {
    const raw = this.memento.get(storeKey(this.lessonId));
    const out: LessonCells = {};
    if (!raw || typeof raw !== "object") return out;
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const index = Number(k);
      const snap = parseSnapshot(v);
      if (Number.isInteger(index) && index >= 0 && snap) out[index] = snap;
    }
    return out;
  }

  save(cells: LessonCells, now = false): void {
    this.latest = cells;
    if (now) {
      this.write();
      return;
    }
    this.timer ??= setTimeout(() => this.write(), SAVE_MS);
  }

  private write(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const cells = this.latest;
    this.latest = undefined;
    if (!cells) return;
    Promise.resolve(this.memento.update(storeKey(this.lessonId), boundLesson(cells, this.maxChars))).catch(
      this.onError,
    );
  }
}

/** "cells of L restored: 2 (cell 1, 3) edited, 1 (cell 3) stale": what a reloaded lesson finds. */
export function describeSaved(lessonId: string, cells: LessonCells): string {
  const which = (pick: (s: LessonCells[number]) => boolean): string => {
    const found = Object.entries(cells)
      .filter(([, s]) => pick(s))
      .map(([k]) => Number(k) + 1);
    return found.length ? `${found.length} (cell ${found.join(", ")})` : "0";
  };
  return `cells of ${lessonId} restored: ${which((s) => s.code !== undefined)} edited, ${which((s) => s.stale === true)} stale`;
}
