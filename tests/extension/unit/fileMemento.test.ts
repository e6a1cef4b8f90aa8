// The cells' store on disk: written at once and whole, read back by a new instance (a reloaded
// window's), with what older versions kept in globalState read until the first write.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { FileMemento } from "../../../extension/cells/fileMemento";
import { CellStore, storeKey } from "../../../extension/cells/store";
import { emptySnapshot } from "../../../extension/shared/cellModel";

let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), "tt-cells-")), "cells");
});

describe("FileMemento", () => {
  it("an update is on disk when the call returns, before anything is awaited", () => {
    const key = storeKey("tt-xla-jax");
    void new FileMemento(dir).update(key, { 3: { code: "x = 1" } });
    // A window reloaded right now reads it with a new instance.
    expect(new FileMemento(dir).get(key)).toEqual({ 3: { code: "x = 1" } });
    expect(readdirSync(dir)).toEqual([`${key}.json`]); // no temporary file left behind
  });

  it("reads globalState's value for a key with no file yet; once written, the file wins", async () => {
    const legacy = { get: vi.fn(() => ({ 0: { code: "old" } })) };
    const m = new FileMemento(dir, legacy);
    expect(m.get("k")).toEqual({ 0: { code: "old" } });
    await m.update("k", { 0: { code: "new" } });
    expect(m.get("k")).toEqual({ 0: { code: "new" } });
    expect(legacy.get).toHaveBeenCalledTimes(1);
  });

  it("a damaged file reads as nothing kept (not the older globalState value)", () => {
    const m = new FileMemento(dir, { get: () => ({ 0: { code: "old" } }) });
    void m.update("k", {});
    writeFileSync(m.file("k"), "{ half");
    expect(m.get("k")).toBeUndefined();
  });

  it("any key stays a file inside its folder", () => {
    const m = new FileMemento(dir);
    void m.update("../../escape/k", 1);
    expect(m.file("../../escape/k").startsWith(dir + "/")).toBe(true);
    expect(m.get("../../escape/k")).toBe(1);
    expect(existsSync(join(dir, "..", "..", "escape"))).toBe(false);
  });

  it("a write into a path that cannot be a folder rejects (the cells store logs it)", async () => {
    writeFileSync(join(dir, "..", "blocker"), "");
    const m = new FileMemento(join(dir, "..", "blocker", "cells"));
    await expect(m.update("k", 1)).rejects.toThrow(/ENOTDIR|EEXIST/);
  });

  it("holds a lesson's cells for the next CellStore: a Reset saved at once is there after a reload", () => {
    const store = new CellStore(new FileMemento(dir), "tt-xla-jax");
    store.save({ 2: { ...emptySnapshot(), stale: true, editedAt: 5 } }, true);
    const again = new CellStore(new FileMemento(dir), "tt-xla-jax").load();
    expect(again[2]).toMatchObject({ stale: true, editedAt: 5 });
    expect(again[2]?.code).toBeUndefined();
  });
});
