// Where the cells are kept: one JSON file per key in the extension's storage folder, on the
// machine the extension host runs on. globalState is not durable enough for them: in VS Code for
// the Web and code-server it lives in the browser and is written a moment later, so a reload soon
// after a Reset or an edit brought back the old code. A file written at once survives the reload.
// Values saved by older versions in globalState are read until the first write of that key.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MementoLike } from "./store";

export class FileMemento implements MementoLike {
  constructor(
    private readonly dir: string,
    /** Read when a key has no file yet (globalState, where the cells used to be kept). */
    private readonly fallback?: Pick<MementoLike, "get">,
  ) {}

  /** A file name for any key: lesson ids come from file names, but nothing relies on it. */
  file(key: string): string {
    return join(this.dir, `${encodeURIComponent(key)}.json`);
  }

  get(key: string): unknown {
    let text: string;
    try {
      text = readFileSync(this.file(key), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return this.fallback?.get(key);
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined; // a damaged file reads as nothing kept; the next save replaces it
    }
  }

  /** Written synchronously, whole or not at all (a temporary file renamed over the old one). */
  update(key: string, value: unknown): Promise<void> {
    try {
      mkdirSync(this.dir, { recursive: true });
      const path = this.file(key);
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(value ?? null));
      renameSync(tmp, path);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
