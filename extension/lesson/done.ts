// Which lesson steps have succeeded, kept in globalState so the ticks survive restarts; which
// buttons they tick is shared/done.ts.
export { doneKey, stepKey, tickedSteps, type StepRef } from "../shared/done";

export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

export class DoneSteps {
  constructor(
    private readonly store: Memento,
    private readonly key = "tenstorrent.lesson.done",
  ) {}

  list(): string[] {
    const v = this.store.get<unknown>(this.key);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  }

  /** Remembers a done key (see `doneKey`); returns them all. */
  async mark(key: string): Promise<string[]> {
    const now = this.list();
    if (!now.includes(key)) {
      now.push(key);
      await this.store.update(this.key, now);
    }
    return now;
  }
}
