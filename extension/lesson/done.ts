// Which lesson steps have succeeded, kept in globalState so the ticks survive restarts.

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

  async mark(command: string): Promise<string[]> {
    const now = this.list();
    if (!now.includes(command)) {
      now.push(command);
      await this.store.update(this.key, now);
    }
    return now;
  }

  async clear(): Promise<void> {
    await this.store.update(this.key, []);
  }
}
