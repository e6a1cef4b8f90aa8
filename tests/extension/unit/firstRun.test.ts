// The lesson opens by itself on the extension's first activation after install, and only then.
import { describe, expect, it, vi } from "vitest";
import { OPENED_ON_INSTALL, openOnFirstActivation } from "../../../extension/lesson/firstRun";
import type { Memento } from "../../../extension/lesson/done";

function memento(initial: Record<string, unknown> = {}): Memento & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return { data, get: <T>(k: string) => data.get(k) as T, update: async (k, v) => void data.set(k, v) };
}

describe("open the lesson on first activation", () => {
  it("opens it on the first activation of a fresh profile, and not on later ones", async () => {
    const store = memento();
    const open = vi.fn(async () => {});
    expect(await openOnFirstActivation(store, open)).toBe(true);
    expect(open).toHaveBeenCalledTimes(1);
    expect(store.data.get(OPENED_ON_INSTALL)).toBe(true);
    expect(await openOnFirstActivation(store, open)).toBe(false);
    expect(await openOnFirstActivation(store, open)).toBe(false);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it("leaves a profile that already had it opened alone", async () => {
    const open = vi.fn(async () => {});
    expect(await openOnFirstActivation(memento({ [OPENED_ON_INSTALL]: true }), open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });

  it("remembers the attempt even when opening fails, so a broken lesson is not retried at every start", async () => {
    const store = memento();
    await expect(openOnFirstActivation(store, () => Promise.reject(new Error("no lesson")))).rejects.toThrow(
      "no lesson",
    );
    const open = vi.fn(async () => {});
    expect(await openOnFirstActivation(store, open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });
});
