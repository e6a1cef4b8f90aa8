// Which lesson steps have succeeded, kept in globalState per venv (perVenv.ts) so the ticks
// survive restarts and belong to the environment they were earned on; which buttons they tick is
// shared/done.ts.
import { PerVenv } from "./perVenv";

export { doneKey, stepKey, tickedSteps, type StepRef } from "../shared/done";

export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const readKeys = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;

export class DoneSteps {
  private readonly store: PerVenv<string[]>;

  /** `venv`: the environment the runs use now (perVenv.ts's venvKey). */
  constructor(
    memento: Memento,
    private readonly venv: () => string,
    key = "tenstorrent.lesson.doneByVenv",
  ) {
    this.store = new PerVenv(memento, key, readKeys);
  }

  /** The done keys of the environment in use now. */
  list(): string[] {
    return this.store.get(this.venv()) ?? [];
  }

  /** Remembers a done key (see `doneKey`) for the environment in use now; returns them all. */
  async mark(key: string): Promise<string[]> {
    const now = this.list();
    if (!now.includes(key)) {
      now.push(key);
      await this.store.set(this.venv(), now);
    }
    return now;
  }
}
