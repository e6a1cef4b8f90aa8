// State that belongs to the environment it was measured on (ticks, kept step results, the last
// sanity check): kept in one globalState key as {venv: {usedAt, value}}, so after `venvPath`
// points elsewhere (a new folder, a deleted one) the old venv's state is not shown as this one's.
// Bounded to the MAX_VENVS used last. The memento is passed in (VS Code's fits), as cells/store.ts
// does, so this is unit-tested without VS Code.
import { homedir } from "node:os";
import { resolve } from "node:path";
import type { MementoLike } from "../cells/store";
import type { TtXlaSettings } from "../settings";

/** Venvs remembered per key; the least recently used go first. */
export const MAX_VENVS = 8;

/** Which environment the runs use, as one key: the external one when set, else the venv folder. */
export function venvKey(s: Pick<TtXlaSettings, "venvPath" | "externalEnvironment">, home = homedir()): string {
  const expand = (p: string): string => resolve(p.replace(/^~(?=$|\/)/, home));
  return s.externalEnvironment ? `external:${expand(s.externalEnvironment)}` : expand(s.venvPath);
}

type Stored = Record<string, { usedAt: number; value: unknown }>;

export class PerVenv<T> {
  /** `read` checks a stored value (it may come from an older version) and returns it, or undefined. */
  constructor(
    private readonly memento: MementoLike,
    private readonly key: string,
    private readonly read: (raw: unknown) => T | undefined,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private stored(): Stored {
    const raw = this.memento.get(this.key);
    return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Stored) : {};
  }

  get(venv: string): T | undefined {
    const entry = this.stored()[venv];
    return entry && typeof entry === "object" ? this.read(entry.value) : undefined;
  }

  /** Stores `value` for `venv`, which becomes the most recently used. */
  set(venv: string, value: T): Promise<void> {
    // This venv first, then the others from the most recently used.
    const others = Object.entries(this.stored())
      .filter(([key]) => key !== venv)
      .sort(([, a], [, b]) => b.usedAt - a.usedAt);
    const bounded: Stored = Object.fromEntries([
      [venv, { usedAt: Date.now(), value }],
      ...others.slice(0, MAX_VENVS - 1),
    ]);
    return Promise.resolve(this.memento.update(this.key, bounded)).catch(this.onError);
  }
}
